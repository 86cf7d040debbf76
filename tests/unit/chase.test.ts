import { describe, expect, it } from "vitest";
import { chaseAction, expiryDue } from "../../lib/requests/chase";

const opened = new Date("2026-03-02T09:00:00Z");
const at = (hours: number) => new Date(opened.getTime() + hours * 3_600_000);
const step = (over: Partial<Parameters<typeof chaseAction>[0]> = {}) => ({
  openedAt: opened,
  slaHours: 24,
  remindersSent: 0,
  escalatedAt: null,
  ...over,
});

describe("chasing an open step", () => {
  it("nothing before the SLA; a reminder when it passes; one per further SLA period", () => {
    expect(chaseAction(step(), at(23))).toMatchObject({ remind: false, escalate: false });
    expect(chaseAction(step(), at(24))).toMatchObject({ remind: true, escalate: false, overdueHours: 0 });
    expect(chaseAction(step({ remindersSent: 1 }), at(30))).toMatchObject({ remind: false });
    expect(chaseAction(step({ remindersSent: 1 }), at(47))).toMatchObject({
      remind: false,
      escalate: false,
      overdueHours: 23,
    });
  });

  it("at twice the SLA: the second reminder and the escalation, once", () => {
    expect(chaseAction(step({ remindersSent: 1 }), at(48))).toMatchObject({
      remind: true,
      escalate: true,
      overdueHours: 24,
    });
    expect(chaseAction(step({ remindersSent: 2, escalatedAt: at(48) }), at(60))).toMatchObject({
      remind: false,
      escalate: false,
    });
    expect(chaseAction(step({ remindersSent: 2, escalatedAt: at(48) }), at(72))).toMatchObject({
      remind: true,
      escalate: false,
    });
  });

  it("a missed sweep catches up with one reminder, not a burst", () => {
    // Down for days: one reminder now, and the count jumps to the periods owed, so the next sweep sends none.
    const action = chaseAction(step(), at(24 * 5));
    expect(action).toMatchObject({ remind: true, escalate: true, periodsDue: 5 });
    expect(
      chaseAction(step({ remindersSent: action.periodsDue, escalatedAt: at(24 * 5) }), at(24 * 5 + 0.1)),
    ).toMatchObject({ remind: false, escalate: false });
  });

  it("an emergency's retro-approval deadline is the due time when sooner, and escalates once passed", () => {
    const retroDueAt = at(12);
    expect(chaseAction(step({ retroDueAt }), at(11))).toMatchObject({ remind: false, escalate: false });
    expect(chaseAction(step({ retroDueAt }), at(12))).toMatchObject({
      remind: true,
      escalate: true,
      dueAt: retroDueAt,
    });
  });

  it("approval expiry is warned once, within 48 hours of lapsing", () => {
    const expires = at(100);
    expect(expiryDue(expires, null, at(40))).toBe(false);
    expect(expiryDue(expires, null, at(52))).toBe(true);
    expect(expiryDue(expires, at(52), at(60))).toBe(false);
    expect(expiryDue(expires, null, at(101))).toBe(false);
    expect(expiryDue(null, null, at(60))).toBe(false);
  });
});
