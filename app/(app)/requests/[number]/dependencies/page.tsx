import type { Metadata } from "next";
import Link from "next/link";
import { PackageOpen } from "lucide-react";
import { LocalTime } from "@/components/local-time";
import { DependencyTable } from "@/components/security/dependency-table";
import { ManifestUpload } from "@/components/security/manifest-upload";
import { EmptyState } from "@/components/ui/empty-state";
import { pageRead } from "@/lib/session/page-guard";
import { readDependenciesPage } from "@/lib/requests/read-dependencies";
import {
  DEPENDENCY_FILTERS,
  DEPENDENCY_PAGE_SIZE,
  type DependencyFilter,
  type DependencyWindow,
} from "@/lib/security/dependency-list";
import { cn } from "@/lib/utils";
import { decidePackageAction, uploadManifestAction } from "../../../security/actions";

export async function generateMetadata({ params }: { params: Promise<{ number: string }> }): Promise<Metadata> {
  return { title: `Dependencies · CR-${(await params).number} · Greenlight` };
}

const count = (n: number) => n.toLocaleString("en");

/** The page's own address for a list and page (the first page of "All" is the bare path). */
function listHref(number: number, show: DependencyFilter, page = 1, limit = DEPENDENCY_PAGE_SIZE) {
  const params = new URLSearchParams({
    ...(show === "all" ? {} : { show }),
    ...(page === 1 ? {} : { page: String(page) }),
    ...(limit === DEPENDENCY_PAGE_SIZE ? {} : { limit: String(limit) }),
  });
  const query = params.toString();
  return `/requests/${number}/dependencies${query ? `?${query}` : ""}`;
}

export default async function DependenciesPage({
  params,
  searchParams,
}: {
  params: Promise<{ number: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { number } = await params;
  const query = await searchParams;
  const { request, current, can } = await pageRead((ctx) => readDependenciesPage(ctx, { number, query }));
  const editable = can.edit;
  const canDecide = can.decidePackages;
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <Link href={`/requests/${request.number}`} className="text-sm text-muted-foreground hover:underline">
          ← CR-{request.number} {request.title}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Dependencies</h1>
        {current ? (
          <p className="text-sm text-muted-foreground">
            {current.manifest.fileName} ({current.manifest.format}), {count(current.counts.all)} packages, checked for
            Python {String(current.manifest.target.pythonVersion)} on {String(current.manifest.target.platform)} against
            the advisories imported{" "}
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
            {(Object.keys(DEPENDENCY_FILTERS) as DependencyFilter[]).map((key) => (
              <Link
                key={key}
                href={listHref(request.number, key, 1, current.page.limit)}
                aria-current={key === current.show ? "page" : undefined}
                className={cn(
                  "rounded-md px-3 py-1.5 text-sm font-medium",
                  key === current.show
                    ? "bg-primary text-primary-foreground"
                    : "text-muted-foreground hover:bg-muted hover:text-foreground",
                )}
              >
                {DEPENDENCY_FILTERS[key]} ({count(current.counts[key])})
              </Link>
            ))}
          </nav>
          {current.deps.length ? (
            <>
              <DependencyTable
                number={request.number}
                deps={current.deps}
                canDecide={canDecide}
                action={decidePackageAction}
              />
              <PageLinks number={request.number} show={current.show} page={current.page} />
            </>
          ) : current.page.total > 0 ? (
            <p className="text-sm text-muted-foreground">
              This list has {current.page.pages} {current.page.pages === 1 ? "page" : "pages"}.{" "}
              <Link
                href={listHref(request.number, current.show, 1, current.page.limit)}
                className="font-medium hover:underline"
              >
                Back to the first page
              </Link>
              .
            </p>
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

/** "Showing 101–200 of 4,812" with the neighbouring pages, under the table. */
function PageLinks({ number, show, page }: { number: number; show: DependencyFilter; page: DependencyWindow }) {
  const link = "rounded-md border border-border px-3 py-1.5 text-sm font-medium hover:bg-muted";
  return (
    <nav aria-label="Dependency pages" className="flex flex-wrap items-center justify-between gap-2">
      <p className="text-sm text-muted-foreground" aria-live="polite">
        Showing {count(page.from)}–{count(page.to)} of {count(page.total)}
      </p>
      {page.pages > 1 && (
        <div className="flex gap-2">
          {page.previous !== null ? (
            <Link href={listHref(number, show, page.previous, page.limit)} rel="prev" className={link}>
              ← Previous
            </Link>
          ) : null}
          {page.next !== null ? (
            <Link href={listHref(number, show, page.next, page.limit)} rel="next" className={link}>
              Next →
            </Link>
          ) : null}
        </div>
      )}
    </nav>
  );
}
