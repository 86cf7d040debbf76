import { describe, expect, it } from "vitest";
import { directoryChanges, groupsFromClaim, parseRulesText, rulesText } from "../../lib/sso/group-mapping";

const mapping = {
  rules: [
    { group: "ml-leads", roles: ["ml_lead" as const], teamIds: ["t-fraud"] },
    { group: "fraud-managers", roles: ["manager" as const], teamIds: ["t-fraud"] },
    { group: "everyone", roles: ["requester" as const], teamIds: [] },
  ],
};

describe("directory groups", () => {
  it("reads the claim as providers send it; absent or unreadable is 'unknown', not 'no groups'", () => {
    expect(groupsFromClaim(["a", " b ", 3, ""])).toEqual(["a", "b"]);
    expect(groupsFromClaim("solo")).toEqual(["solo"]);
    expect(groupsFromClaim([])).toEqual([]);
    expect(groupsFromClaim(undefined)).toBeUndefined();
    expect(groupsFromClaim({ a: 1 })).toBeUndefined();
    expect(groupsFromClaim(Array.from({ length: 5000 }, (_, i) => `g${i}`))).toHaveLength(1000);
  });

  it("grants what the groups give and takes back only what the mapping names", () => {
    const held = { roles: ["requester", "security", "manager"] as const, teamIds: ["t-search", "t-fraud"] };
    expect(directoryChanges(mapping, ["ml-leads"], { roles: [...held.roles], teamIds: held.teamIds })).toEqual({
      grantRoles: ["ml_lead"],
      revokeRoles: ["manager"], // named by a rule the person no longer matches; security is nobody's rule
      joinTeams: [],
      leaveTeams: [],
    });
    // Both rules give Fraud: leaving one group keeps the team.
    expect(directoryChanges(mapping, [], { roles: ["requester"], teamIds: ["t-fraud", "t-search"] })).toEqual({
      grantRoles: [],
      revokeRoles: [], // requester is never taken away
      joinTeams: [],
      leaveTeams: ["t-fraud"],
    });
  });

  it("parses the page's text and writes it back", () => {
    const parsed = parseRulesText("# comment\ncn=ml:leads: ml_lead, team Fraud & Risk\n\nadmins: admin");
    expect(parsed).toEqual({
      rules: [
        { group: "cn=ml:leads", roles: ["ml_lead"], teams: ["Fraud & Risk"] },
        { group: "admins", roles: ["admin"], teams: [] },
      ],
    });
    expect(parseRulesText("no colon here\nok: admin")).toEqual({
      problems: ['Line 1: write "group: role, team Name" (a colon after the group).'],
    });
    expect(rulesText(mapping, (id) => (id === "t-fraud" ? "Fraud" : undefined))).toBe(
      "ml-leads: ml_lead, team Fraud\nfraud-managers: manager, team Fraud\neveryone: requester",
    );
  });
});
