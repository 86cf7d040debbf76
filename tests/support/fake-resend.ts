import http from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for Resend's HTTP API on loopback, for the real SDK (its baseUrl pointed here). It keeps
// Resend's idempotency rule: a key it has accepted is answered with the first response and never
// sent again (a different body under the same key is a 409). What it does with a NEW key is up to
// the test: accept, refuse with a 500, hang without accepting, or accept and then hang (the
// response is lost, as when a connection drops after Resend has queued the email).

export type Reply = "ok" | "error" | "hang" | "accept-then-hang";
/** Decides the reply to a not-yet-accepted key; `attempt` counts that key's requests from 1. */
export type Behaviour = (call: { key: string; attempt: number; body: Record<string, unknown> }) => Reply;

export type FakeResend = {
  baseUrl: string;
  behaviour: Behaviour;
  /** Every POST /emails, in order, with what the fake did. */
  calls: { key: string; reply: Reply | "replay" | "conflict" }[];
  /** Emails actually sent, per idempotency key: exactly-once means every value is 1. */
  sent: Map<string, number>;
  close(): Promise<void>;
};

export async function startFakeResend(behaviour: Behaviour = () => "ok"): Promise<FakeResend> {
  const accepted = new Map<string, { body: string; id: string }>();
  const attempts = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  let nextId = 1;

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      // No key: a fresh key per request, so a missing key shows up as a duplicate send.
      const key = String(req.headers["idempotency-key"] ?? `missing-${fake.calls.length}`);
      const earlier = accepted.get(key);
      if (earlier) {
        const same = earlier.body === raw;
        fake.calls.push({ key, reply: same ? "replay" : "conflict" });
        return same
          ? json(res, 200, { id: earlier.id })
          : json(res, 409, {
              name: "invalid_idempotent_request",
              message: "Same idempotency key, different request.",
              statusCode: 409,
            });
      }
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const reply = fake.behaviour({ key, attempt, body: JSON.parse(raw || "{}") as Record<string, unknown> });
      fake.calls.push({ key, reply });
      if (reply === "error")
        return json(res, 500, { name: "internal_server_error", message: "Something broke.", statusCode: 500 });
      if (reply === "ok" || reply === "accept-then-hang") {
        const id = `re_fake_${nextId++}`;
        accepted.set(key, { body: raw, id });
        fake.sent.set(key, (fake.sent.get(key) ?? 0) + 1);
        if (reply === "ok") return json(res, 200, { id });
      }
      hanging.add(res); // never answered: the client's timeout must give up on it
      res.on("close", () => hanging.delete(res));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  const fake: FakeResend = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    behaviour,
    calls: [],
    sent: new Map(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
