import net from "node:net";
import type { PGlite } from "@electric-sql/pglite";

// Serves one PGlite database to many PostgreSQL connections on a loopback port.
//
// PGlite is a single backend session, so connections must take turns. The turn is held for a whole
// extended-protocol batch (Parse/Bind/Describe/Execute ... Sync) or simple Query, and for as long as
// the batch leaves a transaction open; interleaving at message level (as a naive multiplexer does)
// lets one connection's Bind meet another's Parse, which fails or, worse, returns another query's rows.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/** A first-come, first-served lock whose owner is a connection id. */
class Turn {
  private owner: number | null = null;
  private waiting: { id: number; grant: () => void }[] = [];

  async acquire(id: number): Promise<void> {
    if (this.owner === id) return;
    if (this.owner === null) {
      this.owner = id;
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ id, grant }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiting.shift();
    this.owner = next?.id ?? null;
    next?.grant();
  }

  holds(id: number): boolean {
    return this.owner === id;
  }

  forget(id: number): void {
    this.waiting = this.waiting.filter((w) => w.id !== id);
  }
}

export type PgliteServer = { port: number; close: () => Promise<void> };

export async function servePglite(db: PGlite, options: { host?: string; port?: number } = {}): Promise<PgliteServer> {
  const turn = new Turn();
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let awaitingStartup = true; // until the startup message, messages carry no type byte
    let closed = false;
    const queue: { startup: boolean; message: Buffer }[] = [];
    let pumping = false;

    const run = (message: Buffer) =>
      db.runExclusive(() =>
        db.execProtocolRawStream(new Uint8Array(message), {
          onRawData: (data) => {
            if (!closed) socket.write(Buffer.from(data));
          },
        }),
      );

    const handle = async ({ startup, message }: { startup: boolean; message: Buffer }) => {
      if (startup) {
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) return void socket.write("N");
        if (code === CANCEL_REQUEST) return void socket.end();
      } else if (message[0] === TERMINATE) {
        return void socket.end();
      }
      await turn.acquire(id);
      if (closed) return turn.release(id);
      await run(message);
      const endsBatch = startup || message[0] === SYNC || message[0] === QUERY;
      if (endsBatch && !db.isInTransaction()) turn.release(id);
    };

    const pump = async () => {
      if (pumping) return;
      pumping = true;
      try {
        while (queue.length && !closed) await handle(queue.shift()!);
      } catch (error) {
        console.error("[embedded database] connection failed:", error);
        socket.destroy();
      } finally {
        pumping = false;
      }
    };

    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const offset = awaitingStartup ? 0 : 1;
        if (buffer.length < offset + 4) break;
        const length = buffer.readInt32BE(offset) + offset;
        if (buffer.length < length) break;
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        const startup = awaitingStartup;
        if (startup) {
          const code = message.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) awaitingStartup = false;
        }
        queue.push({ startup, message });
      }
      void pump();
    });

    const cleanup = async () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      turn.forget(id);
      if (turn.holds(id)) {
        // The client vanished inside a transaction: undo it so the next connection starts clean.
        if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => undefined);
        turn.release(id);
      }
    };
    socket.on("close", () => void cleanup());
    socket.on("error", () => void cleanup());
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("embedded database server has no port");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
