import { describe, expect, it } from "vitest";
import type { Role } from "../../db/schema/org";
import { mayReadAudit } from "../../lib/audit/permissions";
import { mayManageBudget, mayReadBudgets, maySeeBudgetImpact } from "../../lib/budgets/permissions";
import { mayDelegateRole, mayEndDelegation, mayReadDelegationsOf } from "../../lib/delegations/permissions";
import { delegationStatus, isOpen, scopeInWords } from "../../lib/delegations/status";
import { mayBrowseModels, mayManageTeamModels } from "../../lib/models/permissions";
import { mayReadOutbox, outboxExists } from "../../lib/notifications/permissions";
import {
  isEditable,
  mayBrowseRequests,
  mayEdit,
  mayFileFor,
  mayFileForSomeTeam,
  mayFileRequests,
  mayRevoke,
  offersFiling,
} from "../../lib/requests/permissions";
import { mayDecidePackages, mayReviewSecurity } from "../../lib/security/permissions";
import { mayAdminister } from "../../lib/users/permissions";

// The rules every page, route and layout asks (lib/<domain>/permissions.ts): pure functions of who
// is asking and the facts, each allowed and refused here.
const ROLES: Role[] = ["requester", "manager", "security", "ml_lead", "admin"];
const FRAUD = "team-fraud";
const SEARCH = "team-search";
const person = (roles: Role[], teamIds: string[] = [FRAUD], id = "p1") => ({ id, roles, teamIds });
/** The roles (held alone) for which a role-only rule says yes. */
const allowedRoles = (rule: (p: { roles: readonly Role[] }) => boolean) => ROLES.filter((r) => rule({ roles: [r] }));

describe("role-only rules", () => {
  it("each section and area is for exactly its roles, and for nobody without one", () => {
    expect(allowedRoles(mayAdminister)).toEqual(["admin"]);
    expect(allowedRoles(mayReadAudit)).toEqual(["admin"]);
    expect(allowedRoles(mayReadBudgets)).toEqual(["manager", "admin"]);
    expect(allowedRoles(mayBrowseModels)).toEqual(ROLES); // read-only for those who may not register
    expect(allowedRoles(mayBrowseRequests)).toEqual(ROLES);
    expect(allowedRoles(mayReviewSecurity)).toEqual(["security", "admin"]);
    expect(allowedRoles(mayFileRequests)).toEqual(["requester", "admin"]);
    expect(allowedRoles(offersFiling)).toEqual(["requester"]);
    expect(allowedRoles(mayRevoke)).toEqual(["security", "ml_lead", "admin"]);
    for (const rule of [
      mayAdminister,
      mayReadAudit,
      mayReadBudgets,
      mayBrowseRequests,
      mayReviewSecurity,
      mayFileRequests,
      offersFiling,
      mayRevoke,
    ]) {
      expect(rule({ roles: [] }), rule.name).toBe(false);
    }
    expect(mayBrowseModels({ roles: [] })).toBe(true); // the registry is open to every signed-in person
  });
});

describe("budgets", () => {
  it("a manager manages their own teams' budgets, an admin every team's, nobody else any", () => {
    expect(mayManageBudget(person(["manager"]), FRAUD)).toBe(true);
    expect(mayManageBudget(person(["manager"]), SEARCH)).toBe(false);
    expect(mayManageBudget(person(["admin"], []), SEARCH)).toBe(true);
    expect(mayManageBudget(person(["requester"]), FRAUD)).toBe(false);
  });

  it("a request's budget position is shown to its requester, its team's managers and the admins", () => {
    const request = { requestedBy: "alice", teamId: FRAUD };
    expect(maySeeBudgetImpact(person(["requester"], [FRAUD], "alice"), request)).toBe(true);
    expect(maySeeBudgetImpact(person(["manager"], [FRAUD], "maya"), request)).toBe(true);
    expect(maySeeBudgetImpact(person(["manager"], [SEARCH], "mo"), request)).toBe(false); // another team's manager
    expect(maySeeBudgetImpact(person(["admin"], [], "ada"), request)).toBe(true);
    expect(maySeeBudgetImpact(person(["requester"], [FRAUD], "bob"), request)).toBe(false);
    expect(maySeeBudgetImpact(person(["security", "ml_lead"], [], "sam"), request)).toBe(false);
  });
});

describe("delegations", () => {
  const d = { fromUserId: "sam", toUserId: "bob" };

  it("the delegator, the delegate or an admin ends one; nobody else", () => {
    expect(mayEndDelegation(person(["security"], [], "sam"), d)).toBe(true);
    expect(mayEndDelegation(person(["requester"], [], "bob"), d)).toBe(true);
    expect(mayEndDelegation(person(["admin"], [], "ada"), d)).toBe(true);
    for (const roles of [["manager"], ["security"], ["ml_lead"], ["requester"]] as Role[][])
      expect(mayEndDelegation(person(roles, [], "mo"), d), roles.join()).toBe(false);
  });

  it("one's own delegations are one's to read; an admin reads anyone's", () => {
    expect(mayReadDelegationsOf(person(["requester"], [], "bob"), "bob")).toBe(true);
    expect(mayReadDelegationsOf(person(["manager"], [], "mo"), "bob")).toBe(false);
    expect(mayReadDelegationsOf(person(["admin"], [], "ada"), "bob")).toBe(true);
  });

  it("a delegation passes on only a role its giver holds", () => {
    expect(mayDelegateRole({ roles: ["manager", "security"] }, "security")).toBe(true);
    expect(mayDelegateRole({ roles: ["manager"] }, "ml_lead")).toBe(false);
  });

  it("where one stands: starts later, active, ended, ended early; and what it covers in words", () => {
    const now = new Date("2026-12-01T12:00:00Z");
    const at = (iso: string) => new Date(iso);
    const window = { startsAt: at("2026-12-01T00:00:00Z"), endsAt: at("2026-12-05T00:00:00Z"), revokedAt: null };
    expect(delegationStatus(window, now)).toBe("active");
    expect(delegationStatus({ ...window, startsAt: at("2026-12-02T00:00:00Z") }, now)).toBe("scheduled");
    expect(delegationStatus({ ...window, endsAt: now }, now)).toBe("ended");
    expect(delegationStatus({ ...window, revokedAt: now }, now)).toBe("ended_early");
    expect(isOpen(window, now)).toBe(true);
    expect(isOpen({ ...window, revokedAt: now }, now)).toBe(false);
    expect(scopeInWords({ role: null, team: null })).toBe("All the delegator's steps, any team");
    expect(scopeInWords({ role: "ml_lead", team: { name: "Fraud" } })).toBe("ML lead steps, Fraud requests only");
  });
});

describe("models", () => {
  it("ML leads and admins manage every team's models, a requester only their own teams'", () => {
    expect(mayManageTeamModels(person(["ml_lead"], []), SEARCH)).toBe(true);
    expect(mayManageTeamModels(person(["admin"], []), SEARCH)).toBe(true);
    expect(mayManageTeamModels(person(["requester"]), FRAUD)).toBe(true);
    expect(mayManageTeamModels(person(["requester"]), SEARCH)).toBe(false);
    expect(mayManageTeamModels(person(["manager"]), FRAUD)).toBe(false);
  });
});

describe("requests", () => {
  it("filing: requesters for their own teams, admins for any; someone with no team has nothing to file for", () => {
    expect(mayFileFor(person(["requester"]), FRAUD)).toBe(true);
    expect(mayFileFor(person(["requester"]), SEARCH)).toBe(false);
    expect(mayFileFor(person(["admin"], []), SEARCH)).toBe(true);
    expect(mayFileFor(person(["manager"]), FRAUD)).toBe(false);
    expect(mayFileForSomeTeam(person(["requester"]))).toBe(true);
    expect(mayFileForSomeTeam(person(["admin"], []))).toBe(true);
    expect(mayFileForSomeTeam(person(["requester"], []))).toBe(false);
  });

  it("only the requester edits, and only while the request is open and not deployed", () => {
    const open = { requestedBy: "alice", status: "in_review", deployedAt: null };
    expect(mayEdit("alice", open)).toBe(true);
    expect(mayEdit("bob", open)).toBe(false);
    expect(mayEdit("alice", { ...open, status: "rejected" })).toBe(false);
    expect(mayEdit("alice", { ...open, status: "approved", deployedAt: new Date() })).toBe(false);
    expect(isEditable({ status: "draft", deployedAt: null })).toBe(true);
    expect(isEditable({ status: "withdrawn", deployedAt: null })).toBe(false);
  });
});

describe("security", () => {
  it("the security team decides packages while the review is on, and not after", () => {
    for (const status of ["draft", "in_review", "changes_requested"]) {
      expect(mayDecidePackages({ roles: ["security"] }, { status }), status).toBe(true);
    }
    for (const status of ["approved", "rejected", "deployed", "withdrawn"]) {
      expect(mayDecidePackages({ roles: ["security"] }, { status }), status).toBe(false);
    }
    expect(mayDecidePackages({ roles: ["admin"] }, { status: "in_review" })).toBe(false);
    expect(mayDecidePackages({ roles: ["ml_lead", "requester"] }, { status: "in_review" })).toBe(false);
  });
});

describe("the built-in outbox", () => {
  const admin = { roles: ["admin"] as Role[] };
  const requester = { roles: ["requester"] as Role[] };

  it("exists only while mail is not sent through Resend: then nobody reads it, admins included", () => {
    expect(outboxExists({ resend: false })).toBe(true);
    expect(outboxExists({ resend: true })).toBe(false);
    expect(mayReadOutbox(admin, { resend: true, demoMode: false })).toBe(false);
    expect(mayReadOutbox(null, { resend: true, demoMode: true })).toBe(false);
  });

  it("in demo mode anyone reads it, signed in or not; otherwise admins only", () => {
    expect(mayReadOutbox(null, { resend: false, demoMode: true })).toBe(true);
    expect(mayReadOutbox(requester, { resend: false, demoMode: true })).toBe(true);
    expect(mayReadOutbox(admin, { resend: false, demoMode: false })).toBe(true);
    expect(mayReadOutbox(requester, { resend: false, demoMode: false })).toBe(false);
    expect(mayReadOutbox(null, { resend: false, demoMode: false })).toBe(false);
  });
});
