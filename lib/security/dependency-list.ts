import { z } from "zod";

// Pure: how a manifest's dependencies are listed a page at a time. A manifest may hold up to
// MANIFEST_LIMITS.packages rows; a read loads one page of them and counts the rest in SQL.

/** The lists a reader can ask for, in the order the page shows them. */
export const DEPENDENCY_FILTERS = {
  all: "All",
  pending: "Undecided",
  new: "New to the org",
  affected: "Vulnerable",
  licence: "Licence issues",
  signals: "Supply-chain signals",
} as const;
export type DependencyFilter = keyof typeof DEPENDENCY_FILTERS;
const filterKeys = Object.keys(DEPENDENCY_FILTERS) as [DependencyFilter, ...DependencyFilter[]];

export const DEPENDENCY_PAGE_SIZE = 100;
export const MAX_DEPENDENCY_PAGE_SIZE = 500;
/** Far past the last page of the biggest manifest at the smallest page size: anything above is a typo. */
const MAX_PAGE = 10_000;

/** The query string of a dependency list, strict: a value that does not parse is a 400 (the API). */
export const DependencyListQuery = z.object({
  page: z.coerce
    .number({ error: "The page is a whole number from 1." })
    .int({ error: "The page is a whole number from 1." })
    .min(1, { error: "The page is a whole number from 1." })
    .max(MAX_PAGE, { error: `The page is at most ${MAX_PAGE}.` })
    .default(1),
  limit: z.coerce
    .number({ error: `The limit is a whole number from 1 to ${MAX_DEPENDENCY_PAGE_SIZE}.` })
    .int({ error: `The limit is a whole number from 1 to ${MAX_DEPENDENCY_PAGE_SIZE}.` })
    .min(1, { error: `The limit is a whole number from 1 to ${MAX_DEPENDENCY_PAGE_SIZE}.` })
    .max(MAX_DEPENDENCY_PAGE_SIZE, { error: `The limit is a whole number from 1 to ${MAX_DEPENDENCY_PAGE_SIZE}.` })
    .default(DEPENDENCY_PAGE_SIZE),
  show: z.enum(filterKeys, { error: `Show one of: ${filterKeys.join(", ")}.` }).default("all"),
});
export type DependencyListQuery = z.output<typeof DependencyListQuery>;

/** The same, forgiving (the page): an unreadable value falls back to its default, as a link typo should. */
export const DependencyListQueryOrDefaults = z.object({
  page: DependencyListQuery.shape.page.catch(1),
  limit: DependencyListQuery.shape.limit.catch(DEPENDENCY_PAGE_SIZE),
  show: DependencyListQuery.shape.show.catch("all"),
});

/** How many rows each list holds, and how many the security team rejected (the request page shows it). */
export type DependencyCounts = Record<DependencyFilter, number> & { rejected: number };

/** Where one page sits in a list of `total`: 1-based row numbers shown, and the neighbouring pages. */
export function dependencyWindow(total: number, query: Pick<DependencyListQuery, "page" | "limit">) {
  const pages = Math.max(1, Math.ceil(total / query.limit));
  const offset = (query.page - 1) * query.limit;
  const from = total > offset ? offset + 1 : 0;
  const to = from ? Math.min(total, offset + query.limit) : 0;
  return {
    number: query.page,
    limit: query.limit,
    offset,
    total,
    pages,
    from,
    to,
    next: query.page < pages ? query.page + 1 : null,
    previous: query.page > 1 ? Math.min(query.page - 1, pages) : null,
  };
}
export type DependencyWindow = ReturnType<typeof dependencyWindow>;
