import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { servePglite } from "./pglite-server";

// Only one process may ever open a PGlite folder (two processes corrupt it). The first process that
// needs the embedded database opens the folder, takes a lock file and serves the database on a
// loopback port; every other process (the CLI while the server runs, drizzle migrations) connects to
// that port with the ordinary PostgreSQL driver. The server itself connects through the same socket,
// so all access goes through one queue that keeps each connection's transaction whole.

type LockInfo = { pid: number; port: number | null; startedAt: string };

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

const lockPath = (dataDir: string) => path.join(dataDir, "greenlight.lock");
// Folders this process serves: a lock naming our own pid is ours only if it is listed here (after a
// container restart a stale lock can carry the same pid).
const servedHere = new Set<string>();

function lockIsLive(dataDir: string, lock: LockInfo | null): lock is LockInfo {
  if (!lock) return false;
  if (lock.pid === process.pid) return servedHere.has(path.resolve(dataDir));
  return processAlive(lock.pid);
}
export const embeddedUrl = (port: number) => `postgres://postgres@127.0.0.1:${port}/postgres`;

function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The URL of the process already serving this data folder, or null when nobody holds it. */
export async function findEmbeddedServer(dataDir: string, waitMs = 60_000): Promise<string | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = readLock(dataDir);
    if (!lockIsLive(dataDir, lock)) return null;
    // The holder is alive; it may still be opening the folder (a fresh one takes seconds).
    if (lock.port !== null && (await portAnswers(lock.port))) return embeddedUrl(lock.port);
    if (Date.now() > deadline) {
      throw new Error(`The embedded database in ${dataDir} is held by process ${lock.pid}, which does not answer.`);
    }
    await sleep(200);
  }
}

function takeLock(dataDir: string): boolean {
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath(dataDir), "wx");
      writeFileSync(fd, JSON.stringify({ pid: process.pid, port: null, startedAt: new Date().toISOString() }));
      closeSync(fd);
      servedHere.add(path.resolve(dataDir));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockIsLive(dataDir, readLock(dataDir))) return false;
      rmSync(lockPath(dataDir), { force: true }); // stale: its process is gone
    }
  }
  return false;
}

/**
 * Opens the PGlite folder in this process and serves it on 127.0.0.1 (an OS-assigned port, no
 * password: loopback only). Returns null when another live process already holds the folder.
 */
export async function serveEmbeddedDatabase(dataDir: string): Promise<EmbeddedServer | null> {
  if (!takeLock(dataDir)) return null;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const pglite = await PGlite.create(path.join(dataDir, "pgdata"));
    const server = await servePglite(pglite, { host: "127.0.0.1", port: 0 });
    const port = server.port;
    writeFileSync(lockPath(dataDir), JSON.stringify({ pid: process.pid, port, startedAt: new Date().toISOString() }));
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await server.close().catch(() => undefined);
      await pglite.close().catch(() => undefined);
      servedHere.delete(path.resolve(dataDir));
      rmSync(lockPath(dataDir), { force: true });
    };
    return { url: embeddedUrl(port), stop };
  } catch (error) {
    servedHere.delete(path.resolve(dataDir));
    rmSync(lockPath(dataDir), { force: true });
    throw error;
  }
}
