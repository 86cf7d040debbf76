import type { Metadata } from "next";
import Link from "next/link";
import { PackageOpen } from "lucide-react";
import { LocalTime } from "@/components/local-time";
import { DependencyTable } from "@/components/security/dependency-table";
import { ManifestUpload } from "@/components/security/manifest-upload";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRead } from "@/lib/session/page-guard";
import { readDependenciesPage } from "@/lib/requests/read-dependencies";
import { cn } from "@/lib/utils";
import { decidePackageAction, uploadManifestAction } from "../../../security/actions";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }): Promise<Metadata> {
  return { title: `Dependencies · CR-${(await params).number} · Greenlight` };
}

const FILTERS = {
  all: { label: "All", test: () => true },
  pending: { label: "Undecided", test: (d: Dep) => d.decision === "pending" },
  new: { label: "New to the org", test: (d: Dep) => d.newToOrg },
  affected: { label: "Vulnerable", test: (d: Dep) => d.findings.length > 0 },
  licence: { label: "Licence issues", test: (d: Dep) => !["allowed", "not_declared"].includes(d.licenceStatus) },
  signals: { label: "Supply-chain signals", test: (d: Dep) => d.signals.length > 0 },
} as const;
const isFilter = (show: string | undefined): show is keyof typeof FILTERS =>
  show !== undefined && Object.hasOwn(FILTERS, show);
type Dep = NonNullable<Awaited<ReturnType<typeof readDependenciesPage>>["current"]>["deps"][number];

export default async function DependenciesPage({
  params,
  searchParams,
}: {
  params: Promise<{ number: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { number } = await params;
  const { request, current, can } = await pageRead((ctx) => readDependenciesPage(ctx, { number }));
  const { show } = await searchParams;
  const active = isFilter(show) ? show : "all";
  const editable = can.edit;
  const canDecide = can.decidePackages;
  const deps = current?.deps ?? [];
  const shown = deps.filter(FILTERS[active].test);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <Link href={`/requests/${request.number}`} className="text-sm text-muted-foreground hover:underline">
          ← CR-{request.number} {request.title}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Dependencies</h1>
        {current ? (
          <p className="text-sm text-muted-foreground">
            {current.manifest.fileName} ({current.manifest.format}), {deps.length} packages, checked for Python{" "}
            {String(current.manifest.target.pythonVersion)} on {String(current.manifest.target.platform)} against the
            advisories imported{" "}
            {current.manifest.advisorySnapshotAt ? (
              <LocalTime iso={current.manifest.advisorySnapshotAt.toISOString()} />
            ) : (
              "(none imported: vulnerabilities could not be checked)"
            )}
            .
          </p>
        ) : (
          <p className="text-sm text-muted-foreground">No manifest yet.</p>
        )}
      </div>
      {current && (current.manifest.errors.length > 0 || current.manifest.warnings.length > 0) && (
        <ul
          className="flex flex-col gap-1 rounded-md border border-warning/40 bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
          aria-label="Manifest problems"
        >
          {current.manifest.errors.map((e, i) => (
            <li key={`e${i}`}>
              <strong>Could not read</strong> {e.line ? `line ${e.line}` : ""}
              {e.file ? ` of ${e.file}` : ""}: {e.message}
            </li>
          ))}
          {current.manifest.warnings.slice(0, 20).map((w, i) => (
            <li key={`w${i}`}>
              {w.line ? `Line ${w.line}: ` : ""}
              {w.message}
            </li>
          ))}
        </ul>
      )}
      {current ? (
        <>
          <nav aria-label="Filter dependencies" className="flex flex-wrap gap-1">
            {Object.entries(FILTERS).map(([key, f]) => (
              <Link
                key={key}
                href={`/requests/${request.number}/dependencies${key === "all" ? "" : `?show=${key}`}`}
                aria-current={key === active ? "page" : undefined}
                className={cn(
                  "rounded-md px-3 py-1.5 text-sm font-medium",
                  key === active
                    ? "bg-primary text-primary-foreground"
                    : "text-muted-foreground hover:bg-muted hover:text-foreground",
                )}
              >
                {f.label} ({deps.filter(f.test).length})
              </Link>
            ))}
          </nav>
          {shown.length ? (
            <DependencyTable number={request.number} deps={shown} canDecide={canDecide} action={decidePackageAction} />
          ) : (
            <p className="text-sm text-muted-foreground">No dependency matches this filter.</p>
          )}
        </>
      ) : (
        <EmptyState
          icon={PackageOpen}
          titleAs="h2"
          title="No dependency manifest"
          description={
            editable
              ? "Upload the model environment's requirements.txt, lockfile or SBOM below: every package is checked for known vulnerabilities, licences and supply-chain signals."
              : "The requester has not uploaded one yet."
          }
        />
      )}
      {editable && (
        <section aria-labelledby="upload-heading" className="flex flex-col gap-2 rounded-lg border border-border p-4">
          <h2 id="upload-heading" className="text-lg font-semibold">
            {current ? "Replace the manifest" : "Upload a manifest"}
          </h2>
          <ManifestUpload
            number={request.number}
            replacing={Boolean(current) && (request.status === "in_review" || request.status === "approved")}
            action={uploadManifestAction}
          />
        </section>
      )}
    </div>
  );
}
