import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { TokenForm } from "@/components/settings/token-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageUser } from "@/lib/session/page-guard";
import { getDb } from "@/lib/db";
import { listTokens } from "@/lib/tokens/queries";
import { readDelegations, type DelegationWithStatus } from "@/lib/delegations/queries";
import { scopeInWords } from "@/lib/delegations/status";
import { listTeams } from "@/lib/teams/queries";
import { DelegationTable, type DelegationRow } from "@/components/settings/delegation-table";
import { ROLE_LABELS } from "@/components/roles";
import { NativeSelect } from "@/components/ui/select";
import { createDelegationAction, createTokenAction, revokeDelegationAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "Settings · Greenlight" };

/** A delegation as its table row: the other person ("to" for those given, "from" for those received). */
const row =
  (other: "to" | "from") =>
  (d: DelegationWithStatus): DelegationRow => ({
    id: d.id,
    person: d[other].name ?? d[other].email,
    scope: scopeInWords(d),
    startsAt: d.startsAt.toISOString(),
    endsAt: d.endsAt.toISOString(),
    reason: d.reason,
    status: d.status,
    endedEarly:
      d.revokedAt && d.revokedBy ? { at: d.revokedAt.toISOString(), by: d.revokedBy.name ?? d.revokedBy.email } : null,
    canEnd: d.canEnd,
  });

export default async function SettingsPage() {
  const me = await pageUser();
  const db = await getDb();
  const [tokens, delegations, teams] = await Promise.all([
    listTokens(db, me.id),
    readDelegations({ db, actor: me }),
    listTeams(db),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <Link
          href="/settings/notifications"
          className="text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          Email notifications: immediately, in a daily digest, or off →
        </Link>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>API tokens</CardTitle>
          <CardDescription>
            For CI/CD and scripts: send <code>Authorization: Bearer &lt;token&gt;</code> to /api/v1. A token acts as
            you; it stops working when revoked or when your account is deactivated. Every endpoint is in the{" "}
            <Link className="underline underline-offset-2" href="/api-reference">
              API reference
            </Link>
            .
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
          {tokens.length === 0 ? (
            <p className="text-sm text-muted-foreground">No tokens yet.</p>
          ) : (
            <Table aria-label="API tokens">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Prefix</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Last used</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {tokens.map((t) => (
                  <TableRow key={t.id}>
                    <TableCell className="font-medium">{t.name}</TableCell>
                    <TableCell className="font-mono text-xs">{t.prefix}…</TableCell>
                    <TableCell className="text-xs">
                      <LocalTime iso={t.createdAt.toISOString()} />
                    </TableCell>
                    <TableCell className="text-xs">
                      {t.lastUsedAt ? <LocalTime iso={t.lastUsedAt.toISOString()} /> : "never"}
                    </TableCell>
                    <TableCell className="text-right">
                      {t.revokedAt ? (
                        <Badge variant="secondary">Revoked</Badge>
                      ) : (
                        <ActionForm action={revokeTokenAction}>
                          <input type="hidden" name="tokenId" value={t.id} />
                          <SubmitButton size="sm" variant="outline" aria-label={`Revoke token ${t.name}`}>
                            Revoke
                          </SubmitButton>
                        </ActionForm>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <TokenForm action={createTokenAction} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Delegate your approvals</CardTitle>
          <CardDescription>
            Away? Someone can decide your steps for a while, for one of your roles or all of them, and for one
            team&apos;s requests or any. Their decisions record that they acted for you, and you count once: if they
            decide for you, you do not decide that request revision yourself, and the other way round.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ActionForm
            action={createDelegationAction}
            resetOnSuccess
            className="grid gap-3 md:grid-cols-2 lg:grid-cols-3"
            aria-label="Delegate approvals"
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-to">Delegate to (email)</Label>
              <Input id="d-to" name="to" type="email" aria-describedby="d-to-error" />
              <FormFieldError name="to" id="d-to-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-role">For</Label>
              <NativeSelect id="d-role" name="role" defaultValue="" aria-describedby="d-role-error">
                <option value="">Every role I hold</option>
                {me.roles.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]} steps only
                  </option>
                ))}
              </NativeSelect>
              <FormFieldError name="role" id="d-role-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-team">Requests of</Label>
              <NativeSelect id="d-team" name="teamId" defaultValue="" aria-describedby="d-team-error">
                <option value="">Any team</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} only
                  </option>
                ))}
              </NativeSelect>
              <FormFieldError name="teamId" id="d-team-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-start">From (empty or today: now)</Label>
              <Input id="d-start" name="startsAt" type="date" aria-describedby="d-start-error" />
              <FormFieldError name="startsAt" id="d-start-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-end">Until (at most 90 days)</Label>
              <Input id="d-end" name="endsAt" type="date" aria-describedby="d-end-error" />
              <FormFieldError name="endsAt" id="d-end-error" />
            </div>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-reason">Reason</Label>
              <Input id="d-reason" name="reason" placeholder="Holiday" />
            </div>
            <div>
              <SubmitButton pendingLabel="Saving…">Delegate</SubmitButton>
            </div>
          </ActionForm>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Delegations you gave</CardTitle>
          <CardDescription>Current and upcoming ones, and those that ended in the last 90 days.</CardDescription>
        </CardHeader>
        <CardContent>
          {delegations.given.length === 0 ? (
            <p className="text-sm text-muted-foreground">You have not delegated your approvals.</p>
          ) : (
            <DelegationTable
              direction="given"
              rows={delegations.given.map(row("to"))}
              action={revokeDelegationAction}
            />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Delegations to you</CardTitle>
          <CardDescription>
            While one is active, the steps it covers appear in your inbox, marked with whom you decide for.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {delegations.received.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nobody has delegated their approvals to you.</p>
          ) : (
            <DelegationTable
              direction="received"
              rows={delegations.received.map(row("from"))}
              action={revokeDelegationAction}
            />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
