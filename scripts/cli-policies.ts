// `policies export` and `policies apply`: on the local database, or over HTTP against a server when
// GREENLIGHT_URL and GREENLIGHT_TOKEN are set (CI). Both paths run the same verb (applyPolicies), the
// remote one through POST /api/v1/policies/apply, so the plan printed is the same.
import { readFileSync } from "node:fs";
import type { Actor } from "@/lib/auth/actor";
import { getConnection } from "@/lib/db";
import { cliRemote } from "@/lib/env";
import { isAppError, type FieldErrors } from "@/lib/errors";
import {
  describeFieldErrors,
  describePlan,
  POLICY_FORMATS,
  type Plan,
  type PolicyFormat,
} from "@/lib/policies/as-code";
import { applyPolicies } from "@/lib/policies/apply-policies";
import { exportAll } from "@/lib/policies/queries";

type Outcome = { plan: Plan; applied: boolean };
type Problem = { detail?: string; errors?: FieldErrors; status?: number };

class RemoteFailure extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? `The server answered ${problem.status}.`);
  }
}

async function remoteCall(remote: { url: string; token: string }, path: string, init: RequestInit = {}) {
  const response = await fetch(`${remote.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${remote.token}`, "content-type": "application/json", ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) {
    let problem: Problem = { status: response.status };
    try {
      problem = { ...problem, ...(JSON.parse(text) as Problem) };
    } catch {
      problem.detail = `The server answered ${response.status}: ${text.slice(0, 200)}`;
    }
    throw new RemoteFailure(problem);
  }
  return text;
}

/** Exit status and output of `policies <command>`; usage problems are thrown as `usage(message)`. */
export async function policiesCommand(
  command: string | undefined,
  positionals: string[],
  values: { format?: string; "dry-run"?: boolean; prune?: boolean },
  usage: (message: string) => Error,
  actor: Actor,
): Promise<number> {
  const remote = cliRemote();
  if (command === "export") {
    const format = (values.format ?? "yaml") as PolicyFormat;
    if (!POLICY_FORMATS.includes(format)) throw usage("--format is yaml or json");
    const document = remote
      ? await remoteCall(remote, `/api/v1/policies/export?format=${format}`)
      : await exportAll((await getConnection({ migrateEmbedded: true })).db, format);
    process.stdout.write(document);
    return 0;
  }
  if (command !== "apply") throw usage(`unknown command: policies ${command ?? ""}`.trim());
  const [file] = positionals;
  if (!file || positionals.length > 1) throw usage("policies apply needs exactly one file");
  let document: string;
  try {
    document = readFileSync(file, "utf8");
  } catch {
    throw usage(`cannot read ${file}`);
  }
  const prune = Boolean(values.prune);
  const apply = async (dryRun: boolean): Promise<Outcome> =>
    remote
      ? (JSON.parse(
          await remoteCall(remote, "/api/v1/policies/apply", {
            method: "POST",
            body: JSON.stringify({ document, dryRun, prune }),
          }),
        ) as Outcome)
      : applyPolicies({ db: (await getConnection({ migrateEmbedded: true })).db, actor }, { document, dryRun, prune });
  try {
    const planned = await apply(true);
    console.log(`Plan for ${file}${remote ? ` against ${remote.url}` : ""}:`);
    for (const line of describePlan(planned.plan)) console.log(line);
    const pending = planned.plan.counts.add + planned.plan.counts.change + planned.plan.counts.deactivate;
    if (values["dry-run"]) {
      console.log("Dry run: nothing was applied.");
      return 0;
    }
    if (!pending) {
      console.log("Nothing to apply: the policies already match the document.");
      return 0;
    }
    const done = await apply(false);
    // Someone may have changed a policy between the plan and the apply: say so rather than hide it.
    if (JSON.stringify(done.plan.counts) !== JSON.stringify(planned.plan.counts)) {
      console.log("The policies changed while planning; what was applied:");
      for (const line of describePlan(done.plan)) console.log(line);
    }
    console.log(done.applied ? "Applied." : "Nothing to apply.");
    return 0;
  } catch (error) {
    const problem: Problem | null =
      error instanceof RemoteFailure
        ? error.problem
        : isAppError(error)
          ? { detail: error.message, errors: error.fieldErrors }
          : null;
    if (!problem) throw error;
    // The message of a validation failure already lists each line and field; others list them here.
    console.error(problem.detail);
    const listed = problem.detail?.includes("\n") ? [] : describeFieldErrors(problem.errors ?? {});
    for (const line of listed) console.error(`  ${line}`);
    return 1;
  }
}
