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
import { listDelegations, listTokens } from "@/lib/tokens/queries";
import { createDelegationAction, createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "Settings · Greenlight" };

export default async function SettingsPage() {
  const me = await pageUser();
  const db = await getDb();
  const [tokens, delegations] = await Promise.all([listTokens(db, me.id), listDelegations(db, me.id)]);
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
            you; it stops working when revoked or when your account is deactivated.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-[2fr_1fr]">
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
            Away? Someone can decide your steps for a while; their decisions record that they acted for you.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6 lg:grid-cols-[2fr_1fr]">
          {delegations.length === 0 ? (
            <p className="text-sm text-muted-foreground">No current delegations.</p>
          ) : (
            <ul className="flex flex-col gap-2 text-sm">
              {delegations.map((d) => (
                <li key={d.id}>
                  {d.to}: <LocalTime iso={d.startsAt.toISOString()} /> to <LocalTime iso={d.endsAt.toISOString()} />
                  {d.reason ? ` (${d.reason})` : ""}
                </li>
              ))}
            </ul>
          )}
          <ActionForm
            action={createDelegationAction}
            resetOnSuccess
            className="flex flex-col gap-3"
            aria-label="Delegate approvals"
          >
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="d-to">Delegate to (email)</Label>
              <Input id="d-to" name="to" type="email" aria-describedby="d-to-error" />
              <FormFieldError name="to" id="d-to-error" />
            </div>
            <div className="grid grid-cols-2 gap-2">
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="d-start">From</Label>
                <Input id="d-start" name="startsAt" type="date" aria-describedby="d-start-error" />
                <FormFieldError name="startsAt" id="d-start-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="d-end">Until</Label>
                <Input id="d-end" name="endsAt" type="date" aria-describedby="d-end-error" />
                <FormFieldError name="endsAt" id="d-end-error" />
              </div>
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
    </div>
  );
}
