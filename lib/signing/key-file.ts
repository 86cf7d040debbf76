import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "../env";
import { generatePrivateKeyPem, signingKeyFromPem, type SigningKey } from "./ed25519";

const loaded = new Map<string, SigningKey>();

/**
 * The installation's signing key, from SIGNING_KEY_FILE (default DATA_DIR/signing-key.pem). A fresh
 * install has none, so the first caller writes one (mode 0600). It is kept on disk and never in the
 * database: an attacker who can rewrite the database must also take this file to forge a checkpoint.
 */
export function loadSigningKey(file = getEnv().signingKeyFile): SigningKey {
  const cached = loaded.get(file);
  if (cached) return cached;
  const key = signingKeyFromPem(readOrCreate(file));
  loaded.set(file, key);
  return key;
}

function readOrCreate(file: string): string {
  try {
    const mode = statSync(file).mode & 0o077;
    if (mode) console.warn(`[greenlight] ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it.`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generatePrivateKeyPem();
  // Written whole under a private name, then linked into place: link fails if the file exists, so
  // two processes starting together end up with one key, and neither ever reads a half-written one.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, pem, { mode: 0o600, flag: "wx" });
  try {
    linkSync(draft, file);
    console.warn(`[greenlight] generated the audit signing key ${file}: back it up (see README, Audit log).`);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8");
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}
