import { describe, expect, it } from "vitest";
import { ValidationError } from "../../lib/errors";
import { CONFIGURABLE_EVENTS, NOTIFICATION_EVENTS } from "../../lib/notifications/events";
import {
  eventOf,
  renderTemplate,
  subjectFor,
  TEMPLATES,
  type TemplateName,
  type TemplateProps,
} from "../../lib/notifications/templates";

const names = Object.keys(TEMPLATES) as TemplateName[];
const preview = <N extends TemplateName>(name: N) => TEMPLATES[name].preview as TemplateProps<N>;
const linkOf = (name: TemplateName) => {
  const p = preview(name) as { url?: string; settingsUrl?: string };
  return (p.url ?? p.settingsUrl)!;
};

// The line a reader sees first, per template. Keyed by every template, so a new one needs an entry here.
const HEADLINES: Record<TemplateName, string> = {
  "sign-in": "Sign in to Greenlight at localhost:3000.",
  "budget-alert": "Fraud: 80% of the Nov 2026 budget spent",
  "request-update": "Your approval is needed: Security review",
  "request-submitted": "Your approval is needed: Security review",
  "step-waiting": "Your turn: ML lead approval",
  "decision-made": "Sam Okafor approved Security review",
  "changes-requested": "Maya Patel asked for changes",
  "request-approved": "Approved: you may deploy",
  "request-rejected": "Rejected by Sam Okafor",
  "request-revoked": "Approval revoked: the gate is closed",
  "comment-mention": "Alice Moreau mentioned you",
  "sla-reminder": "Reminder: Security review is 6 hours overdue",
  escalation: "Escalation: Security review is 48 hours overdue",
  "delegation-started": "Maya Patel has delegated their approvals to you",
  "delegation-ended": "Maya Patel's delegation to you has ended",
  "daily-digest": "Your digest for Thursday, 12 November 2026",
  "approval-expiring": "Your approval expires soon",
  "new-advisory": "New high advisory on a reviewed request",
  "webhook-disabled": "A webhook endpoint was turned off",
  "approved-at-submission": "Approved at submission: you may deploy",
  "request-deployed": "Deployed to production: fraud-detector v3",
  "approval-expired": "Your approval expired before it was used",
  "package-decisions": "Security rejected 1 package and approved 2",
  "policy-changed": "CR-1042 keeps its approval chain",
  "monitoring-alert": "A monitoring alert opened a rollback request",
  "dataset-changed": "A dataset changed under a model you look after",
  "weekly-insights": "Bottleneck: Security review holds 61% of waiting time; median 2.1 days.",
};

async function refused(name: TemplateName, props: Record<string, unknown>): Promise<string[]> {
  const error = await renderTemplate(name, props).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return Object.keys((error as ValidationError).fieldErrors ?? {});
}

describe("email templates", () => {
  it.each(names)(
    "%s renders its preview: the link in the HTML, the headline and the absolute link in the text",
    async (name) => {
      const { html, text } = await renderTemplate(name, preview(name));
      const link = linkOf(name);
      expect(link).toMatch(/^https?:\/\//);
      expect(html).toContain(`href="${link.replaceAll("&", "&amp;")}"`);
      expect(text).toContain(HEADLINES[name]);
      expect(text).toContain(link);
      expect(text).not.toMatch(/<[a-z][^>]*>/i); // no markup leaks into the text part
      expect(`Subject: ${subjectFor(name, preview(name))}\n\n${text}`).toMatchSnapshot();
    },
  );

  it("every template belongs to a notification event, and every preference a person can set governs some email", () => {
    const known = new Set<string>([...CONFIGURABLE_EVENTS, "sign_in", "daily_digest", "other"]);
    for (const name of names) expect(known.has(eventOf(name)), name).toBe(true);
    // A row on the settings page that no email obeys would be a lie; "other" is only the generic fallback.
    const governed = new Set(names.map((n) => eventOf(n)));
    for (const event of CONFIGURABLE_EVENTS) expect(governed.has(event), event).toBe(true);
    expect(names.filter((n) => eventOf(n) === "other")).toEqual(["request-update"]);
    // Work waiting for a person and mentions can never be switched off.
    expect(
      (["request-submitted", "step-waiting", "sla-reminder", "escalation", "comment-mention"] as const).every(
        (n) => NOTIFICATION_EVENTS[eventOf(n) as keyof typeof NOTIFICATION_EVENTS].mandatory,
      ),
    ).toBe(true);
  });

  it("a changed request says the approval is needed again, in the subject and the text", async () => {
    const props = { ...preview("request-submitted"), revision: 3 };
    expect(subjectFor("request-submitted", props)).toBe(
      "[CR-1042] Changed (revision 3): your approval is needed again for Security review",
    );
    const { text } = await renderTemplate("request-submitted", props);
    expect(text).toContain("Approvals given to the earlier revision no longer count");
  });

  it("an emergency approval names the retro-approval deadline; a partial quorum says how far it got", async () => {
    const emergency = await renderTemplate("request-approved", {
      ...preview("request-approved"),
      retroDueAt: "2026-11-14T16:45:00.000Z",
    });
    expect(emergency.text).toContain("Emergency change approved: the gate is open");
    expect(emergency.text).toContain("Retro-approval due by: Sat, 14 Nov 2026, 16:45 UTC");
    const partial = await renderTemplate("decision-made", {
      ...preview("decision-made"),
      quorum: 2,
      remaining: ["Security review"],
    });
    expect(partial.text).toContain(
      "Security review has 1 of the 2 approvals it needs. Still waiting on: Security review.",
    );
  });

  it("a delegation ended early tells the delegator, in their words, that their steps are theirs again", async () => {
    const props = {
      ...preview("delegation-ended"),
      recipient: "delegator" as const,
      endedByName: "Ada Nwosu",
      scope: "",
    };
    expect(subjectFor("delegation-ended", props)).toBe("Your delegation to Sam Okafor has ended");
    const { text } = await renderTemplate("delegation-ended", props);
    expect(text).toContain("Sam Okafor can no longer decide approval steps for you");
    expect(text).toContain("Ended by: Ada Nwosu");
    expect(text).not.toContain("It covered");
    expect(await refused("delegation-ended", { ...props, recipient: "someone" })).toContain("recipient");
  });

  it("a scoped delegation tells the delegate what it covers", async () => {
    const { text } = await renderTemplate("delegation-started", {
      ...preview("delegation-started"),
      scope: "Manager steps, Fraud requests only",
    });
    expect(text).toContain("Covers only: Manager steps, Fraud requests only");
  });

  it("a reminder at the due time says due now; an escalation with nobody to decide says so", async () => {
    expect(subjectFor("sla-reminder", { ...preview("sla-reminder"), overdueHours: 0 })).toBe(
      "[CR-1042] Reminder: Security review is due now",
    );
    const { text } = await renderTemplate("escalation", { ...preview("escalation"), waitingOn: [] });
    expect(text).toContain("Nobody can decide this step now");
  });

  it("the digest groups its items by kind, work first, and links the notification settings", async () => {
    const { text } = await renderTemplate("daily-digest", preview("daily-digest"));
    const order = [
      "Waiting for your decision (2)",
      "Mentions (1)",
      "Decisions on your requests (1)",
      "Budget alerts (1)",
    ].map((h) => text.indexOf(h));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain("Change that in your notification settings http://localhost:3000/settings");
    const untagged = await renderTemplate("daily-digest", {
      ...preview("daily-digest"),
      items: [{ headline: "Something else", url: "http://localhost:3000/x", at: "2026-11-12T08:00:00Z" }],
    });
    expect(untagged.text).toContain("Other updates (1)");
  });

  it("refuses bad props: relative or script links, times that are not ISO, an empty digest", async () => {
    for (const name of names) {
      const p = preview(name) as Record<string, unknown>;
      if (typeof p.url === "string")
        expect(await refused(name, { ...p, url: "/requests/1042" }), name).toContain("url");
    }
    expect(await refused("comment-mention", { ...preview("comment-mention"), url: "javascript:alert(1)" })).toContain(
      "url",
    );
    expect(await refused("sla-reminder", { ...preview("sla-reminder"), dueAt: "tomorrow" })).toContain("dueAt");
    expect(await refused("escalation", { ...preview("escalation"), overdueHours: -1 })).toContain("overdueHours");
    expect(await refused("changes-requested", { ...preview("changes-requested"), comment: "  " })).toContain("comment");
    const digest = preview("daily-digest");
    expect(await refused("daily-digest", { ...digest, settingsUrl: "/settings" })).toContain("settingsUrl");
    expect(await refused("daily-digest", { ...digest, items: [{ ...digest.items[0]!, url: "requests/1" }] })).toContain(
      "items.0.url",
    );
    expect(await refused("daily-digest", { ...digest, items: [] })).toContain("items");
    expect(() => subjectFor("approval-expiring", { ...preview("approval-expiring"), expiresAt: "27/11/2026" })).toThrow(
      ValidationError,
    );
    await expect(renderTemplate("no-such-template", {})).rejects.toThrow('Unknown email template "no-such-template"');
  });
});

describe("policy-changed for admins", () => {
  it("states who changed which policies and how many requests in review a revision would route differently", async () => {
    const props = {
      audience: "admin" as const,
      policies: ["Staging deployments", "Production deployments"],
      byName: "Ada Lovelace",
      affected: 3,
      scanned: 2000,
      capped: true,
      url: "http://localhost:3000/admin/policies",
    };
    const { text } = await renderTemplate("policy-changed", props);
    expect(subjectFor("policy-changed", props)).toBe("Policy changed: Staging deployments and Production deployments");
    expect(text).toContain("The approval policies changed");
    expect(text).toContain("Ada Lovelace changed these policies.");
    expect(text).toContain(
      "In review now and routed differently on their next revision: 3 requests of 2000 compared (the most recent only)",
    );
    expect(text).toContain("http://localhost:3000/admin/policies");
  });
});
