import type { Metadata } from "next";
import Link from "next/link";
import { OperationCard } from "@/components/api-reference/operation-card";
import { openApiDocument } from "@/lib/http/openapi/document";
import { referenceSections } from "@/lib/http/openapi/reference";
import { pageUser } from "@/lib/session/page-guard";

export const metadata: Metadata = { title: "API reference · Greenlight" };

// Rendered on the server from the same document /api/v1/openapi.json serves: no script or font
// from elsewhere, so it works on an installation with no internet.
export default async function ApiReferencePage() {
  await pageUser();
  const sections = referenceSections(openApiDocument() as Parameters<typeof referenceSections>[0]);
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">API reference</h1>
        <p className="max-w-3xl text-sm text-muted-foreground">
          Every call acts as a person: send <code className="rounded bg-muted px-1">Authorization: Bearer glt_…</code>{" "}
          with an API token from{" "}
          <Link className="underline underline-offset-2" href="/settings">
            Settings
          </Link>
          . Errors are RFC 9457 problem details, with each field&apos;s messages under{" "}
          <code className="rounded bg-muted px-1">errors</code>. The machine-readable document (OpenAPI 3.1) is at{" "}
          <a className="underline underline-offset-2" href="/api/v1/openapi.json">
            /api/v1/openapi.json
          </a>
          ; generate a client from it.
        </p>
        <p className="max-w-3xl text-sm text-muted-foreground">
          Any call can answer 401 (no valid token or session), 403 (not allowed for you), 429 (too many requests: wait
          for Retry-After seconds) or 500 (a failure on our side, logged).
        </p>
      </div>
      <nav aria-label="API sections" className="flex flex-wrap gap-2">
        {sections.map((s) => (
          <a
            key={s.tag}
            href={`#${s.tag.toLowerCase()}`}
            className="rounded-md border border-border px-2 py-1 text-sm hover:bg-muted"
          >
            {s.tag} <span className="text-muted-foreground">({s.operations.length})</span>
          </a>
        ))}
      </nav>
      {sections.map((section) => (
        <section
          key={section.tag}
          id={section.tag.toLowerCase()}
          className="flex flex-col gap-3"
          aria-labelledby={`h-${section.tag}`}
        >
          <h2 id={`h-${section.tag}`} className="text-lg font-semibold">
            {section.tag}
          </h2>
          {section.operations.map((op) => (
            <OperationCard key={op.id} operation={op} />
          ))}
        </section>
      ))}
    </div>
  );
}
