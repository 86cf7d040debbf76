import type { Metadata } from "next";
import Link from "next/link";
import { Boxes } from "lucide-react";
import { ActionForm, FormFieldError, SubmitButton } from "@/components/forms/action-form";
import { LocalTime } from "@/components/local-time";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { pageRead } from "@/lib/session/page-guard";
import { readModelsPage } from "@/lib/models/queries";
import { readLiveEverywhere } from "@/lib/requests/deployments";
import { createModelAction } from "./actions";

export const metadata: Metadata = { title: "Models · Greenlight" };

export default async function ModelsPage() {
  const [{ models, total, myTeams }, live] = await pageRead((ctx) =>
    Promise.all([readModelsPage(ctx), readLiveEverywhere(ctx)]),
  );
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr] [&>*]:min-w-0">
      <div className="flex flex-col gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
          <p className="text-sm text-muted-foreground">
            Every model and its immutable versions: what was trained, on which data, how well it did.
          </p>
        </div>
        {total > models.length && (
          <p className="text-sm text-muted-foreground">
            Showing the first {models.length.toLocaleString("en")} of {total.toLocaleString("en")} models, by name.
          </p>
        )}
        {models.length === 0 ? (
          <EmptyState
            icon={Boxes}
            title="No models registered yet"
            description="Register your team's first model, then add a version to file a deployment request."
          />
        ) : (
          <Table aria-label="Models">
            <TableHeader>
              <TableRow>
                <TableHead>Model</TableHead>
                <TableHead>Team</TableHead>
                <TableHead className="text-right">Versions</TableHead>
                <TableHead>Live</TableHead>
                <TableHead>Owner</TableHead>
                <TableHead>Registered</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {models.map((m) => (
                <TableRow key={m.id}>
                  <TableCell>
                    <Link
                      href={`/models/${m.name}`}
                      className="font-medium text-primary underline-offset-2 hover:underline"
                    >
                      {m.name}
                    </Link>
                    <p className="max-w-md truncate text-xs text-muted-foreground">{m.description}</p>
                  </TableCell>
                  <TableCell>{m.team}</TableCell>
                  <TableCell className="text-right tabular-nums">{m.versions}</TableCell>
                  <TableCell className="whitespace-nowrap text-xs">
                    {live[m.name]?.map((l) => (
                      <span key={l.environment} className="block">
                        {l.environment} {l.version}
                      </span>
                    ))}
                    {!live[m.name] && <span className="text-muted-foreground">—</span>}
                  </TableCell>
                  <TableCell className="text-xs">{m.owner}</TableCell>
                  <TableCell className="whitespace-nowrap text-xs">
                    <LocalTime iso={m.createdAt.toISOString()} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      {myTeams.length > 0 && (
        <Card className="self-start">
          <CardHeader>
            <CardTitle>Register a model</CardTitle>
            <CardDescription>The name is how CI refers to it (lowercase, no spaces).</CardDescription>
          </CardHeader>
          <CardContent>
            <ActionForm
              action={createModelAction}
              resetOnSuccess
              className="flex flex-col gap-3"
              aria-label="Register a model"
            >
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="model-name">Name</Label>
                <Input id="model-name" name="name" placeholder="churn-predictor" aria-describedby="model-name-error" />
                <FormFieldError name="name" id="model-name-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="model-team">Team</Label>
                <NativeSelect id="model-team" name="teamId" aria-describedby="model-team-error">
                  {myTeams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </NativeSelect>
                <FormFieldError name="teamId" id="model-team-error" />
              </div>
              <div className="flex flex-col gap-1.5">
                <Label htmlFor="model-description">Description</Label>
                <Textarea id="model-description" name="description" rows={3} />
              </div>
              <SubmitButton pendingLabel="Registering…">Register model</SubmitButton>
            </ActionForm>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
