import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Timeline } from "../../components/requests/timeline";

// Issue 20, item 7: the request's timeline reads as sentences, never as internal event names.
const at = "2026-12-03T10:00:00.000Z";
const render = (action: string, data: Record<string, unknown>, actorEmail = "sam@example.com") =>
  renderToStaticMarkup(createElement(Timeline, { events: [{ seq: 1, action, actorEmail, occurredAt: at, data }] }))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replaceAll("&#x27;", "'");

describe("timeline sentences", () => {
  it("says what happened to the manifest and its packages, in words", () => {
    expect(render("manifest.uploaded", { file: "requirements.txt", dependencies: 16, findings: 1 })).toContain(
      "sam@example.com uploaded requirements.txt: 16 packages, 1 known vulnerability",
    );
    expect(
      render("dependency.decided", {
        package: "reqeusts",
        version: "2.31.0",
        decision: "reject",
        reason: "Typosquat.",
      }),
    ).toContain("rejected the package reqeusts 2.31.0: Typosquat.");
    expect(render("request.rechecked", { packages: ["jinja2"], advisories: ["GHSA-462w-v97r-4m45"] })).toContain(
      "found a new advisory for jinja2 (GHSA-462w-v97r-4m45) after the review",
    );
  });

  it("keeps budget amounts off the timeline, and names reminders and escalations", () => {
    const held = render("budget.committed", { amountMinor: 1_460_000, currency: "USD" }, "system:budgets");
    expect(held).toContain("budgets held the amount on the team's budget");
    expect(held).not.toMatch(/14,?600|1460000/);
    expect(render("request.step_escalated", { step: "Security review", overdueHours: 48 })).toContain(
      "escalated Security review to the team's managers and the admins (48 hours overdue)",
    );
  });

  it("an action without a sentence of its own still reads as words, not as its dotted name", () => {
    const text = render("request.step_completed", {});
    expect(text).toContain("recorded: request step completed");
    expect(text).not.toContain("request.step_completed");
  });
});
