import "server-only";
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "../env";
import {
  generatePrivateKeyPem,
  signingKeyFromPem,
  verifyingKeyFromPem,
  type SigningKey,
  type VerifyingKey,
} from "./ed25519";

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

/** Where a rotated-out key's PUBLIC half is kept, beside the key file: `<file>.retired/<keyId>.pem`. */
export function retiredKeysDir(file = getEnv().signingKeyFile): string {
  return `${file}.retired`;
}

/** The public keys this installation signed with before its last rotations (from files, not the database). */
export function retiredVerifyingKeys(file = getEnv().signingKeyFile): VerifyingKey[] {
  const dir = retiredKeysDir(file);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".pem"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.sort().map((n) => verifyingKeyFromPem(readFileSync(path.join(dir, n), "utf8")));
}

/**
 * Replaces the key file with a new key. The old key's public half is written to the retired folder
 * first (so the checkpoints and receipts it signed still verify), the old private key is then gone:
 * a retired key must not sign again. Processes that already loaded the old key keep it until they
 * restart.
 */
export function rotateSigningKeyFile(file = getEnv().signingKeyFile): { retired: SigningKey; current: SigningKey } {
  const retired = loadSigningKey(file);
  const dir = retiredKeysDir(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path.join(dir, `${retired.keyId}.pem`), retired.publicKeyPem, { mode: 0o644 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, generatePrivateKeyPem(), { mode: 0o600, flag: "wx" });
  renameSync(draft, file); // atomic: a reader sees the old key or the new one, never half of either
  loaded.delete(file);
  return { retired, current: loadSigningKey(file) };
}
