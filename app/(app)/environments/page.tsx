import type { Metadata } from "next";
import Link from "next/link";
import { Layers } from "lucide-react";
import { EnvironmentForm } from "@/components/environments/environment-form";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { readEnvironments } from "@/lib/environments/queries";
import { pageRead } from "@/lib/session/page-guard";
import { defineEnvironmentAction } from "./actions";

export const metadata: Metadata = { title: "Environments · Greenlight" };

export default async function EnvironmentsPage() {
  const { environments, mayEdit } = await pageRead(readEnvironments);
  const inUse = environments.filter((e) => !e.archived);
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Environments</h1>
          <p className="text-sm text-muted-foreground">
            Where model versions are deployed, in promotion order, and what is live in each.
          </p>
        </div>
        {environments.length === 0 ? (
          <EmptyState
            icon={Layers}
            title="No environments yet"
            description={
              mayEdit
                ? "Add the first one: requests name an environment to deploy to."
                : "Ask an admin to define where models are deployed."
            }
          />
        ) : (
          <Table aria-label="Environments in promotion order" scrollable>
            <TableHeader>
              <TableRow>
                <TableHead className="text-right">Order</TableHead>
                <TableHead>Environment</TableHead>
                <TableHead>Promotion rule</TableHead>
                <TableHead className="text-right">Live models</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {environments.map((e) => (
                <TableRow key={e.name}>
                  <TableCell className="text-right tabular-nums">{e.position}</TableCell>
                  <TableCell>
                    <Link
                      href={`/environments/${e.name}`}
                      className="font-medium text-primary underline-offset-2 hover:underline"
                    >
                      {e.name}
                    </Link>{" "}
                    {e.protected && <Badge variant="secondary">protected</Badge>}{" "}
                    {e.archived && <Badge variant="outline">archived</Badge>}
                    {e.description && <p className="max-w-md text-xs text-muted-foreground">{e.description}</p>}
                  </TableCell>
                  <TableCell className="text-sm">
                    {e.requiresDeployedIn ? (
                      <>after {e.requiresDeployedIn}</>
                    ) : (
                      <span className="text-muted-foreground">any registered version</span>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{e.liveModels}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      {mayEdit && (
        <Card className="h-fit">
          <CardHeader>
            <CardTitle>Add an environment</CardTitle>
            <CardDescription>
              Policies match it by name; the promotion rule is checked when a deployment request is submitted.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <EnvironmentForm earlier={inUse} action={defineEnvironmentAction} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
