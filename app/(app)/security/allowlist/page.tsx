import type { Metadata } from "next";
import Link from "next/link";
import { ListChecks } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { pageRead } from "@/lib/session/page-guard";
import { readAllowlistPage } from "@/lib/security/queries";
import { createAllowlistAction, revokeAllowlistAction } from "../actions";

export const metadata: Metadata = { title: "Allowlist · Security · Greenlight" };

const STATE = { active: "success", expired: "secondary", revoked: "destructive" } as const;

export default async function AllowlistPage() {
  const { entries, teams } = await pageRead(readAllowlistPage);
  const unused = entries.filter((e) => e.unused).length;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <Link href="/security" className="text-sm text-muted-foreground hover:underline">
          ← Security review
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Allowlist</h1>
        <p className="text-sm text-muted-foreground">
          Packages the security team approved once: a request whose packages are all here (with no open vulnerability)
          passes its security step by itself.{" "}
          {unused > 0 && `${unused} active ${unused === 1 ? "entry has" : "entries have"} never been used.`}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
        {entries.length === 0 ? (
          <EmptyState
            icon={ListChecks}
            titleAs="h2"
            title="The allowlist is empty"
            description="Approve packages while reviewing a request, or add an entry here."
          />
        ) : (
          <Table aria-label="Allowlist entries">
            <TableHeader>
              <TableRow>
                <TableHead>Package</TableHead>
                <TableHead>Allows</TableHead>
                <TableHead>For</TableHead>
                <TableHead>Reason</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>
                  <span className="sr-only">Revoke</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {entries.map((e) => (
                <TableRow key={e.id}>
                  <TableCell>
                    <span className="font-medium">{e.normalizedName}</span>{" "}
                    <span className="font-mono text-xs">{e.versionRange}</span>
                    <span className="block text-xs text-muted-foreground">{e.ecosystem}</span>
                  </TableCell>
                  <TableCell className="text-sm">
                    {e.action === "approve"
                      ? "use"
                      : e.action === "ignore_vulnerability"
                        ? `ignore ${e.vulnerabilityIds.join(", ")}`
                        : "licence override"}
                  </TableCell>
                  <TableCell className="text-sm">{e.team ?? "Organisation"}</TableCell>
                  <TableCell className="max-w-64 text-sm">
                    {e.reason}
                    <span className="block text-xs text-muted-foreground">
                      {e.approvedBy ?? "system"}, <LocalTime iso={e.approvedAt.toISOString()} />
                    </span>
                  </TableCell>
                  <TableCell>
                    <span className="flex flex-wrap gap-1">
                      <Badge variant={STATE[e.state]}>{e.state}</Badge>
                      {e.unused && <Badge variant="warning">Never used</Badge>}
                    </span>
                    {e.expiresAt && e.state === "active" && (
                      <span className="block text-xs text-muted-foreground">
                        until <LocalTime iso={e.expiresAt.toISOString()} />
                      </span>
                    )}
                  </TableCell>
                  <TableCell>
                    {e.state === "active" && (
                      <ActionForm
                        action={revokeAllowlistAction}
                        aria-label={`Revoke ${e.normalizedName} ${e.versionRange} (${e.action.replace("_", " ")}, ${e.team ?? "organisation"})`}
                      >
                        <input type="hidden" name="entryId" value={e.id} />
                        <SubmitButton size="sm" variant="outline" pendingLabel="Revoking…">
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
        <Card className="self-start">
          <CardHeader>
            <CardTitle as="h2">Add an entry</CardTitle>
          </CardHeader>
          <CardContent>
            <ActionForm
              action={createAllowlistAction}
              resetOnSuccess
              className="flex flex-col gap-3"
              aria-label="Add an allowlist entry"
            >
              <div className="grid grid-cols-2 gap-3">
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="al-ecosystem">Ecosystem</Label>
                  <NativeSelect id="al-ecosystem" name="ecosystem" defaultValue="PyPI">
                    <option value="PyPI">PyPI</option>
                    <option value="npm">npm</option>
                  </NativeSelect>
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="al-name">Package</Label>
                  <Input id="al-name" name="name" required aria-describedby="al-name-error" />
                  <FormFieldError name="name" id="al-name-error" />
                </div>
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="al-range">Version range</Label>
                <Input
                  id="al-range"
                  name="versionRange"
                  placeholder=">=2.0,<3  (npm: ^4.17.0; * for any)"
                  required
                  aria-describedby="al-range-error"
                />
                <FormFieldError name="versionRange" id="al-range-error" />
              </div>
              <div className="grid grid-cols-2 gap-3">
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="al-team">For</Label>
                  <NativeSelect id="al-team" name="teamId" defaultValue="">
                    <option value="">the organisation</option>
                    {teams.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.name} only
                      </option>
                    ))}
                  </NativeSelect>
                </div>
                <div className="flex flex-col gap-1.5">
                  <Label htmlFor="al-expires">Expires in (days)</Label>
                  <Input
                    id="al-expires"
                    name="expiresInDays"
                    type="number"
                    min={1}
                    max={730}
                    defaultValue={180}
                    aria-describedby="al-expires-error"
                  />
                  <FormFieldError name="expiresInDays" id="al-expires-error" />
                </div>
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="al-reason">Reason</Label>
                <Input id="al-reason" name="reason" required aria-describedby="al-reason-error" />
                <FormFieldError name="reason" id="al-reason-error" />
              </div>
              <SubmitButton pendingLabel="Adding…">Add to the allowlist</SubmitButton>
            </ActionForm>
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
