import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReferenceField, ReferenceOperation } from "@/lib/http/openapi/reference";

const METHOD_VARIANT = {
  GET: "info",
  POST: "success",
  PUT: "warning",
  PATCH: "warning",
  DELETE: "destructive",
} as const;

function Fields({ fields, label, showWhere }: { fields: ReferenceField[]; label: string; showWhere?: boolean }) {
  return (
    <Table scrollable aria-label={label} className="text-xs">
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          {showWhere ? <TableHead>In</TableHead> : null}
          <TableHead>Type</TableHead>
          <TableHead>Required</TableHead>
          <TableHead>Notes</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {fields.map((f) => (
          <TableRow key={`${f.where ?? "body"}-${f.name}`}>
            <TableCell className="font-mono">{f.name}</TableCell>
            {showWhere ? <TableCell>{f.where}</TableCell> : null}
            <TableCell className="max-w-56 whitespace-normal break-words">{f.type}</TableCell>
            <TableCell>{f.required ? "yes" : "no"}</TableCell>
            <TableCell className="min-w-40 max-w-96 whitespace-normal break-words text-muted-foreground">
              {f.notes || "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One operation: method and path, who may call it, its parameters, body and answers. */
export function OperationCard({ operation: op }: { operation: ReferenceOperation }) {
  return (
    <article
      id={op.id}
      className="flex flex-col gap-3 rounded-lg border border-border p-4"
      aria-labelledby={`${op.id}-title`}
    >
      <div className="flex flex-col gap-1">
        <h3 id={`${op.id}-title`} className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <Badge variant={METHOD_VARIANT[op.method as keyof typeof METHOD_VARIANT] ?? "outline"}>{op.method}</Badge>{" "}
          <code className="break-all font-mono">{op.path}</code>
        </h3>
        <p className="text-sm">{op.summary}</p>
        {op.description.map((paragraph) => (
          <p key={paragraph} className="text-sm text-muted-foreground">
            {paragraph.replace(/\*\*/g, "").replace(/`/g, "")}
          </p>
        ))}
      </div>
      {op.parameters.length ? (
        <Fields fields={op.parameters} label={`Parameters of ${op.method} ${op.path}`} showWhere />
      ) : null}
      {op.body ? (
        <div className="flex flex-col gap-2">
          <h4 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
            JSON body{op.body.required ? "" : " (optional)"}
          </h4>
          {op.body.fields.length ? (
            <Fields fields={op.body.fields} label={`Body of ${op.method} ${op.path}`} />
          ) : (
            <p className="text-sm text-muted-foreground">No fields: send nothing, or an empty object.</p>
          )}
          <details className="text-xs">
            <summary className="cursor-pointer text-muted-foreground">Full JSON Schema</summary>
            <pre className="mt-2 max-h-96 overflow-auto rounded bg-muted p-2" tabIndex={0}>
              {op.body.schema}
            </pre>
          </details>
        </div>
      ) : null}
      <div className="flex flex-col gap-1">
        <h4 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">Answers</h4>
        <ul className="flex flex-col gap-1 text-sm">
          {op.responses.map((r) => (
            <li key={r.status} className="flex gap-2">
              <span className="w-10 shrink-0 font-mono">{r.status}</span>
              <span className="text-muted-foreground">
                {r.description.replace(/`/g, "")}
                {r.problem ? " (problem+json)" : ""}
              </span>
            </li>
          ))}
        </ul>
        {op.common.length ? (
          <p className="text-xs text-muted-foreground">
            And, like every call, {op.common.join(", ")} as problem+json (see the top of this page).
          </p>
        ) : null}
      </div>
    </article>
  );
}
