import { describe, expect, it } from "vitest";
import { retroGateReason, retroState, type RetroFacts } from "../../lib/requests/retro";

const due = new Date("2031-09-03T09:00:00Z");
const facts = (over: Partial<RetroFacts> = {}): RetroFacts => ({
  number: 1042,
  status: "approved",
  retroDueAt: due,
  pendingSteps: 2,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe("emergency retro-approval", () => {
  it("is pending while the gate opened early and steps still wait; overdue once the deadline has passed", () => {
    expect(retroState(facts(), at("2031-09-03T08:59:59Z"))).toEqual({ pending: true, overdue: false });
    expect(retroState(facts(), at("2031-09-03T09:00:01Z"))).toEqual({ pending: true, overdue: true });
    expect(retroState(facts({ status: "deployed" }), at("2031-09-04T00:00:00Z"))).toEqual({
      pending: true,
      overdue: true,
    });
    expect(retroState(facts({ pendingSteps: 0 }), at("2031-09-04T00:00:00Z"))).toEqual({
      pending: false,
      overdue: false,
    });
    expect(retroState(facts({ status: "in_review" }), at("2031-09-04T00:00:00Z")).pending).toBe(false);
  });

  it("closes the gate with the reason only when overdue", () => {
    expect(retroGateReason(facts(), at("2031-09-03T08:00:00Z"))).toBeNull();
    expect(retroGateReason(facts(), at("2031-09-03T10:00:00Z"))).toBe(
      "CR-1042's retro-approval was due at 2031-09-03T09:00:00.000Z; the gate stays closed until the chain completes.",
    );
    expect(retroGateReason(facts({ pendingSteps: 0 }), at("2031-09-05T10:00:00Z"))).toBeNull();
  });
});
