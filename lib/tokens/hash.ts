import { createHash, randomBytes } from "node:crypto";

// API tokens: "glt_" + 32 random bytes. Only the SHA-256 is stored; the first 12 characters are kept
// to tell tokens apart in lists.
export function newToken(): { token: string; prefix: string; hash: string } {
  const token = `glt_${randomBytes(32).toString("base64url")}`;
  return { token, prefix: token.slice(0, 12), hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
