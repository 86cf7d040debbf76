import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { AUDIT_ACTIONS } from "../../lib/audit/actions";
import { isPrivateAddress } from "../../lib/webhooks/address";
import { nextAttemptAfter, signedHeaders, MAX_WEBHOOK_ATTEMPTS } from "../../lib/webhooks/deliver";
import { WEBHOOK_EVENT_TYPES, webhookEventFor } from "../../lib/audit/webhook-events";
import { eventsRaisedBy } from "../../lib/audit/queue-webhooks";
import { newWebhookSecret } from "../../lib/webhooks/secret";

describe("webhooks", () => {
  it("refuses loopback, private, link-local, CGNAT, multicast and mapped forms of them; allows public addresses", () => {
    for (const refused of [
      "127.0.0.1",
      "127.255.0.9",
      "10.0.0.1",
      "172.16.5.4",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "not an address",
    ]) {
      expect(isPrivateAddress(refused), refused).toBe(true);
    }
    for (const allowed of [
      "8.8.8.8",
      "203.0.113.9",
      "172.32.0.1",
      "192.169.0.1",
      "2001:4860:4860::8888",
      "::ffff:8.8.8.8",
    ]) {
      expect(isPrivateAddress(allowed), allowed).toBe(false);
    }
  });

  it("signs the Standard Webhooks way: v1,<base64 HMAC-SHA256 of id.timestamp.body> under the secret's base64 key", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: "request.approved", timestamp: "2026-12-03T10:00:00.000Z", data: {} });
    const at = new Date("2026-12-03T10:00:00.900Z");
    const headers = signedHeaders(secret, "msg_1", at, body);
    const seconds = String(Math.floor(at.getTime() / 1000));
    expect(headers["webhook-timestamp"]).toBe(seconds);
    expect(headers["webhook-id"]).toBe("msg_1");
    const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64"))
      .update(`msg_1.${seconds}.${body}`)
      .digest("base64");
    expect(headers["webhook-signature"]).toBe(`v1,${mac}`);
    // The reference library verifies a delivery signed now, and refuses it with the body changed.
    const fresh = signedHeaders(secret, "msg_2", new Date(), body);
    expect(new Webhook(secret).verify(body, fresh)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace("approved", "rejected"), fresh)).toThrow();
  });

  it("backs off 30 s, 2, 10, 30 min, 2 h, 6 h and then gives up", () => {
    const t0 = new Date("2026-12-03T00:00:00Z");
    const delays = Array.from({ length: MAX_WEBHOOK_ATTEMPTS }, (_, i) => {
      const next = nextAttemptAfter(i + 1, t0);
      return next ? (next.getTime() - t0.getTime()) / 1000 : null;
    });
    expect(delays).toEqual([30, 120, 600, 1800, 7200, 21600, null]);
  });

  it("raises an event per mapped audit action, and a decision that ends a stage raises its outcome too", () => {
    for (const type of WEBHOOK_EVENT_TYPES) {
      expect(
        AUDIT_ACTIONS.some(
          (a) =>
            webhookEventFor(a) === type ||
            eventsRaisedBy({
              action: "request.decided",
              data: { requestStatus: type.split(".")[1], previousStatus: "in_review" },
            }).includes(type),
        ),
        type,
      ).toBe(true);
    }
    expect(
      eventsRaisedBy({ action: "request.decided", data: { requestStatus: "approved", previousStatus: "in_review" } }),
    ).toEqual(["request.decided", "request.approved"]);
    // A retro-approval on an emergency change already approved is a decision, not a new approval.
    expect(
      eventsRaisedBy({ action: "request.decided", data: { requestStatus: "approved", previousStatus: "approved" } }),
    ).toEqual(["request.decided"]);
    expect(eventsRaisedBy({ action: "request.step_auto_passed", data: {} })).toEqual(["step.auto_passed"]);
    expect(eventsRaisedBy({ action: "user.created", data: {} })).toEqual([]);
  });
});
