import type { Metadata } from "next";
import { describeConditions } from "@/lib/policies/describe";
import { ruleToLine } from "@/lib/policies/rule-lines";
import { ruleFor } from "@/lib/policies/auto-pass";
import { PolicyForm, type PolicyChoices } from "@/components/policies/policy-form";
import { STEP_CONFLICTS } from "@/db/schema/governance";
import { ROLES } from "@/db/schema/org";
import { REQUEST_KINDS, STEP_SCOPES } from "@/db/schema/requests";
import { ROLE_LABELS } from "@/components/roles";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { pageRead } from "@/lib/session/page-guard";
import { readPolicies } from "@/lib/policies/queries";
import { dryRunPolicyAction, savePolicyAction } from "../actions";

// Environments are data: the page adds them from the database.
const CHOICES: Omit<PolicyChoices, "environments"> = {
  kinds: REQUEST_KINDS,
  roles: ROLES,
  scopes: STEP_SCOPES,
  conflicts: STEP_CONFLICTS,
};

export const metadata: Metadata = { title: "Policies · Admin · Greenlight" };

export default async function PoliciesPage() {
  const { policies, teams, people, environments } = await pageRead(readPolicies);
  const teamOptions = teams.map((t) => ({ id: t.id, name: t.name }));
  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm text-muted-foreground">
        Every matching policy adds its steps at submission; the same role and scope merge into one step (higher quorum,
        later stage). The chain is snapshotted on the request, so edits here never change requests in flight.
      </p>
      <p className="text-sm text-muted-foreground">
        Keep policies in git:{" "}
        <code className="font-mono text-xs">npm run cli -- policies export &gt; policies.yaml</code>, review changes in
        a pull request, then{" "}
        <code className="font-mono text-xs">npm run cli -- policies apply policies.yaml --dry-run</code> (and without{" "}
        <code className="font-mono text-xs">--dry-run</code> from CI, with GREENLIGHT_URL and an admin&apos;s
        GREENLIGHT_TOKEN).
      </p>
      {policies.map((p) => (
        <Card key={p.id}>
          <CardHeader>
            <CardTitle>
              {p.name} <span className="text-sm font-normal text-muted-foreground">version {p.version}</span>{" "}
              {p.active ? <Badge variant="success">Active</Badge> : <Badge variant="secondary">Inactive</Badge>}
            </CardTitle>
            <CardDescription>{p.description}</CardDescription>
            <p className="text-xs text-muted-foreground">
              {describeConditions(
                p.definition.conditions,
                (id) => teams.find((t) => t.id === id)?.name ?? "unknown team",
              )}
            </p>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            <ol className="flex flex-wrap items-start gap-3 text-sm" aria-label={`${p.name} stages`}>
              {p.definition.stages.map((stage, i) => (
                <li key={i} className="rounded-md border border-border p-2">
                  <span className="text-xs font-semibold uppercase text-muted-foreground">Stage {i + 1}</span>
                  <ul>
                    {stage.map((s) => (
                      <li key={`${s.kind ?? "approval"}-${s.name}-${s.role}-${s.scope}`}>
                        {s.kind === "check" ? (
                          <>
                            {s.name}: automated check ({(s.rules ?? []).map(ruleToLine).join("; ")}); a failure{" "}
                            {s.onFail === "changes_requested" ? "sends it back" : "rejects it"}, {ROLE_LABELS[s.role]}{" "}
                            may override
                          </>
                        ) : (
                          <>
                            {s.name}: {s.quorum} × {ROLE_LABELS[s.role]}
                            {s.scope === "requester_team" ? " (requester's team)" : ""}, {s.slaHours} h
                          </>
                        )}
                        {s.autoPass !== "never" && (
                          <span className="block text-xs text-muted-foreground">
                            Passes by itself: {ruleFor(s.autoPass).label.toLowerCase()}
                          </span>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            <details className="rounded-md border border-border p-3">
              <summary className="cursor-pointer text-sm font-medium">Edit</summary>
              <div className="mt-3">
                <PolicyForm
                  policy={p}
                  teams={teamOptions}
                  people={people}
                  choices={{ ...CHOICES, environments }}
                  action={savePolicyAction}
                  dryRun={dryRunPolicyAction}
                />
              </div>
            </details>
          </CardContent>
        </Card>
      ))}
      <Card>
        <CardHeader>
          <CardTitle>New policy</CardTitle>
        </CardHeader>
        <CardContent>
          <PolicyForm
            teams={teamOptions}
            people={people}
            choices={{ ...CHOICES, environments }}
            action={savePolicyAction}
            dryRun={dryRunPolicyAction}
          />
        </CardContent>
      </Card>
    </div>
  );
}
