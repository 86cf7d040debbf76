import { describe, expect, it } from "vitest";
import { clientIp, normaliseIp } from "../../lib/rate-limit/client-ip";

const from = (forwardedFor?: string) => new Headers(forwardedFor ? { "x-forwarded-for": forwardedFor } : {});

describe("client IP for per-IP limits", () => {
  it("with no proxy, the address Next.js recorded (the rightmost entry); none at all is one shared key", () => {
    expect(clientIp(from("203.0.113.9"), 0)).toBe("203.0.113.9");
    expect(clientIp(from(), 0)).toBe("unknown");
  });

  it("behind N proxies, the entry the outermost one wrote: what the client put further left is ignored", () => {
    const header = from("6.6.6.6, 203.0.113.9, 10.0.0.2");
    expect(clientIp(header, 1)).toBe("10.0.0.2");
    expect(clientIp(header, 2)).toBe("203.0.113.9");
    expect(clientIp(from("203.0.113.9"), 3)).toBe("203.0.113.9"); // fewer entries than proxies: the first
  });

  it("one key per client: IPv4-mapped as IPv4, IPv6 by its /64, ports and zones dropped, garbage shared", () => {
    expect(normaliseIp("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(normaliseIp("192.0.2.1:51234")).toBe("192.0.2.1");
    expect(normaliseIp("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(normaliseIp("[2001:db8:1:2::9]:443")).toBe("2001:db8:1:2::/64");
    expect(normaliseIp("2001:DB8::1")).toBe("2001:db8:0:0::/64");
    expect(normaliseIp("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(normaliseIp("not an address")).toBe("invalid");
  });
});
