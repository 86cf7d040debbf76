import type { Metadata } from "next";
import { KeyRound } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { ROLE_LABELS } from "@/components/roles";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { pageRead } from "@/lib/session/page-guard";
import { readGroupMapping } from "@/lib/sso/queries";
import { setGroupMappingAction } from "../actions";

export const metadata: Metadata = { title: "SSO · Admin · Greenlight" };

export default async function AdminSsoPage() {
  const view = await pageRead(readGroupMapping);
  const rules = view.mapping.rules;
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        {view.sso ? (
          <p className="text-sm text-muted-foreground">
            Sign-in through <strong>{view.sso.name}</strong>; groups are read from the{" "}
            <code className="font-mono">{view.sso.groupsClaim}</code> claim of the ID token.
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">
            SSO is not configured (set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET): these rules apply once it
            is.
          </p>
        )}
        {rules.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            title="No group rules yet"
            description="Everyone who signs in through SSO is a requester; give roles and teams under Users, or add a rule so the directory decides."
          />
        ) : (
          <Table aria-label="Group rules" scrollable>
            <TableHeader>
              <TableRow>
                <TableHead>Directory group</TableHead>
                <TableHead>Roles</TableHead>
                <TableHead>Teams</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rules.map((r) => (
                <TableRow key={r.group}>
                  <TableCell className="font-mono text-xs">{r.group}</TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      {r.roles.map((role) => (
                        <Badge key={role} variant="secondary">
                          {ROLE_LABELS[role]}
                        </Badge>
                      ))}
                    </div>
                  </TableCell>
                  <TableCell>{r.teamIds.map((id) => view.teamNames[id] ?? "(deleted team)").join(", ")}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      <Card className="self-start">
        <CardHeader>
          <CardTitle as="h2">Group rules</CardTitle>
          <CardDescription>
            One line per group: <code className="font-mono">group: role, team Name</code>. At each SSO sign-in a person
            gets the roles and teams of their groups and loses those of the rules they no longer match. Roles and teams
            no rule names stay as granted by hand; requester is never taken away.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ActionForm action={setGroupMappingAction} className="flex flex-col gap-3" aria-label="Group rules">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="group-rules">Rules</Label>
              <Textarea
                id="group-rules"
                name="rules"
                rows={8}
                className="font-mono text-xs"
                defaultValue={view.text}
                placeholder={"greenlight-admins: admin\nml-platform: ml_lead\nfraud-managers: manager, team Fraud"}
                aria-describedby="group-rules-error"
              />
              <FormFieldError name="rules" id="group-rules-error" />
            </div>
            <SubmitButton pendingLabel="Saving…">Save rules</SubmitButton>
          </ActionForm>
        </CardContent>
      </Card>
    </div>
  );
}
