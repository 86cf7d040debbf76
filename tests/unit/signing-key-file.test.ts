import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSigningKey } from "../../lib/signing/key-file";

describe("the signing key file", () => {
  it("is generated on first use (mode 0600, Ed25519 PKCS#8 PEM) and read back the same afterwards", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "greenlight-key-")), "keys", "signing-key.pem");
    const key = loadSigningKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(loadSigningKey(file).keyId).toBe(key.keyId);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });
});
