// `request create`, `request submit` and `gate check`: the commands a CI/CD pipeline runs. They talk
// to a Greenlight server over HTTP with a person's API token (GREENLIGHT_URL, GREENLIGHT_TOKEN), so
// they run on any runner, far from the database; this module loads nothing of the app but the
// environment check. Exit codes: 0 done (or allowed), 1 refused (the reason printed), 2 usage,
// connection or credential problem (the command could not ask).
import { readFileSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { cliRemote, EnvError } from "@/lib/env";

export const PIPELINE_USAGE = `  request create [--file <request.json>] [--model <m> --version <v>] [--digest sha256:<hex>]
                 [--environment <e>] [--title <t>] [--description <d>] [--kind <k>] [--submit]
                                          file a change request (flags override the file's fields);
                                          prints its number (CR-…) on stdout; --submit sends it for
                                          approval too. With --digest the request is refused unless
                                          the version records exactly that artifact
  request submit <CR-number>              send a draft for approval; prints the chain it got
  gate check --model <m> --version <v> --environment <e> [--digest sha256:<hex>]
             [--wait <30m>] [--interval <15s>] [--receipt <file>]
                                          may this version ship? exit 0 allowed, 1 refused (reason
                                          printed), 2 usage or connection problem; --wait keeps
                                          asking while a decision is pending, printing progress,
                                          until it lands or the time runs out; --receipt saves the
                                          signed approval receipt (DSSE) of an allowed answer
  (these three talk to a server: set GREENLIGHT_URL and GREENLIGHT_TOKEN, a token from
   \`npm run cli -- token create\`)`;

/** The command could not ask (bad flags or question, no server, refused credentials): exit 2. */
class CannotAsk extends Error {
  constructor(
    message: string,
    readonly lines: string[] = [],
  ) {
    super(message);
  }
}
/** The server answered no (validation, permission, conflict): exit 1, with its reasons. */
class Refused extends CannotAsk {}

type Remote = { url: string; token: string };
type Problem = { title?: string; detail?: string; errors?: Record<string, string[]> };
type Answer = { status: number; body: unknown; retryAfterSeconds: number | null };

function remoteOrExplain(): Remote {
  let remote: Remote | undefined;
  try {
    remote = cliRemote();
  } catch (error) {
    if (error instanceof EnvError) throw new CannotAsk(error.message);
    throw error;
  }
  if (!remote)
    throw new CannotAsk(
      "these commands talk to a Greenlight server: set GREENLIGHT_URL (e.g. http://localhost:3000) and GREENLIGHT_TOKEN (npm run cli -- token create --email <you> --name ci)",
    );
  return remote;
}

async function call(remote: Remote, path: string, init: RequestInit = {}): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${remote.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${remote.token}`,
        accept: "application/json",
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new CannotAsk(`cannot reach ${remote.url} (${reason})`);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: `${response.status}: ${text.slice(0, 200)}` };
  }
  if (response.status === 401) throw new CannotAsk(`${remote.url} refused the token (401): check GREENLIGHT_TOKEN`);
  const retryAfter = Number(response.headers.get("retry-after"));
  return { status: response.status, body, retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null };
}

/** A problem+json answer as the lines a person reads: the detail, then each field's errors. */
function refusal(answer: Answer, Kind: typeof CannotAsk = Refused): CannotAsk {
  const problem = (answer.body ?? {}) as Problem;
  const detail = problem.detail ?? problem.title ?? `the server answered ${answer.status}`;
  const lines = Object.entries(problem.errors ?? {}).flatMap(([field, messages]) =>
    messages.map((m) => `${field}: ${m}`),
  );
  if (answer.status >= 500) return new CannotAsk(`the server failed (${answer.status}): ${detail}`);
  return new Kind(
    detail,
    lines.filter((line) => !detail.includes(line.replace(/^[^:]+: /, ""))),
  );
}

/** "30m", "90s", "1h30m", "2h" or plain seconds, as milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (!match || !trimmed) throw new CannotAsk(`${flag} is a duration like 30m, 90s or 1h30m`);
  const [, h = "0", m = "0", s = "0"] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

function inWords(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h && `${h}h`, m && `${m}m`, (s || total === 0) && `${s}s`].filter(Boolean).join("");
}

function readRequestFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CannotAsk(`cannot read ${file}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CannotAsk(`${file} is not JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new CannotAsk(`${file} holds a JSON object of request fields`);
  return parsed as Record<string, unknown>;
}

type Step = { stage: number; name: string; role: string; status: string; quorum: number; approvals: number };
type Chain = { number: string; status: string; steps: Step[] };

function describeSteps(steps: Step[]): string[] {
  return steps.map(
    (s) =>
      `  stage ${s.stage} · ${s.name} (${s.role}): ${s.status === "auto_passed" ? "passed by itself" : s.status.replace("_", " ")}${s.status === "pending" ? `, ${s.approvals} of ${s.quorum} approvals` : ""}`,
  );
}

async function submit(remote: Remote, number: string): Promise<Chain> {
  const answer = await call(remote, `/api/v1/requests/${encodeURIComponent(number)}/submit`, { method: "POST" });
  if (answer.status !== 200) throw refusal(answer);
  // The request as it now stands; the verb's own record when reading it back failed (null).
  const { result, request } = answer.body as {
    result: { request: { number: number; status: string }; steps: Step[] };
    request: Chain | null;
  };
  return request ?? { number: `CR-${result.request.number}`, status: result.request.status, steps: result.steps };
}

const REQUEST_FLAGS = ["kind", "model", "version", "digest", "environment", "title", "description"] as const;

async function requestCommand(command: string | undefined, args: string[]): Promise<number> {
  if (command === "submit") {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    if (positionals.length !== 1) throw new CannotAsk("request submit needs exactly one request number (CR-1042)");
    const chain = await submit(remoteOrExplain(), positionals[0]!);
    console.log(`${chain.number} is ${chain.status.replace("_", " ")}:`);
    for (const line of describeSteps(chain.steps)) console.log(line);
    return 0;
  }
  if (command !== "create") throw new CannotAsk(`unknown command: request ${command ?? ""}`.trim());
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      file: { type: "string" },
      submit: { type: "boolean" },
      ...Object.fromEntries(REQUEST_FLAGS.map((f) => [f, { type: "string" as const }])),
    },
  });
  if (positionals.length) throw new CannotAsk(`unexpected argument: ${positionals[0]}`);
  const flags = values as Record<string, string | boolean | undefined>;
  const body: Record<string, unknown> = flags.file ? readRequestFile(String(flags.file)) : {};
  for (const field of REQUEST_FLAGS) if (typeof flags[field] === "string") body[field] = flags[field];
  const remote = remoteOrExplain();
  const answer = await call(remote, "/api/v1/requests", { method: "POST", body: JSON.stringify(body) });
  if (answer.status !== 201) throw refusal(answer);
  const created = answer.body as { number: string; status: string };
  // The number alone on stdout, so a pipeline can capture it: NUMBER=$(npm run -s cli -- request create …)
  console.log(created.number);
  if (!flags.submit) {
    console.error(`Filed ${created.number} as a draft; \`request submit ${created.number}\` sends it for approval.`);
    return 0;
  }
  const chain = await submit(remote, created.number);
  console.error(`${created.number} is ${chain.status.replace("_", " ")}:`);
  for (const line of describeSteps(chain.steps)) console.error(line);
  return 0;
}

type GateAnswer =
  | { allowed: true; approvedDigest: string | null; request: { number: string; status: string } }
  | { allowed: false; reason: string; waiting?: boolean; request?: { number: string; status: string } };

/** What the pending request is waiting on, for the progress line ("" when it cannot be read). */
async function waitingOn(remote: Remote, number: string): Promise<string> {
  try {
    const answer = await call(remote, `/api/v1/requests/${encodeURIComponent(number)}`);
    if (answer.status !== 200) return "";
    const pending = ((answer.body as { steps?: Step[] }).steps ?? []).filter((s) => s.status === "pending");
    return pending.length
      ? `: waiting on ${pending.map((s) => `${s.name} (${s.approvals} of ${s.quorum})`).join(", ")}`
      : "";
  } catch {
    return "";
  }
}

async function gateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      model: { type: "string" },
      version: { type: "string" },
      environment: { type: "string" },
      digest: { type: "string" },
      wait: { type: "string" },
      interval: { type: "string" },
      receipt: { type: "string" },
    },
  });
  if (positionals.length) throw new CannotAsk(`unexpected argument: ${positionals[0]}`);
  const missing = (["model", "version", "environment"] as const).filter((f) => !values[f]);
  if (missing.length) throw new CannotAsk(`gate check needs ${missing.map((f) => `--${f}`).join(", ")}`);
  const waitMs = values.wait ? parseDuration(values.wait, "--wait") : 0;
  const intervalMs = values.interval ? parseDuration(values.interval, "--interval") : 15_000;
  if (intervalMs < 1000) throw new CannotAsk("--interval is at least 1s");
  const remote = remoteOrExplain();
  const query = new URLSearchParams({
    model: values.model!,
    version: values.version!,
    environment: values.environment!,
  });
  if (values.digest) query.set("digest", values.digest);
  const deadline = Date.now() + waitMs;
  let failures = 0;
  let lastProgress = "";
  for (;;) {
    let answer: Answer;
    try {
      answer = await call(remote, `/api/v1/gate?${query}`);
      failures = 0;
    } catch (error) {
      // While waiting, a server restart or a network blip is not the answer: ask again, a few times.
      if (!(error instanceof CannotAsk) || !waitMs || ++failures >= 5 || Date.now() >= deadline) throw error;
      console.error(`${error.message}; asking again (${failures} of 5)`);
      await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
      continue;
    }
    if (answer.status === 429 && waitMs && Date.now() < deadline) {
      await sleep(Math.min(Math.max((answer.retryAfterSeconds ?? 5) * 1000, intervalMs), deadline - Date.now()));
      continue;
    }
    // A 400 is the question, not the answer (an environment name that cannot exist): a usage error.
    if (answer.status === 400) throw refusal(answer, CannotAsk);
    if (answer.status !== 200 && answer.status !== 403) throw refusal(answer);
    const gate = answer.body as GateAnswer;
    if (gate.allowed) {
      const digest = gate.approvedDigest ? ` as ${gate.approvedDigest}` : "";
      console.log(
        `allowed: ${gate.request.number} approves ${values.model} ${values.version} in ${values.environment}${digest}`,
      );
      if (values.receipt) await saveReceipt(remote, gate.request.number, values.receipt);
      return 0;
    }
    const left = deadline - Date.now();
    if (!waitMs || !gate.waiting || left <= 0) {
      const timedOut = waitMs && gate.waiting ? ` Still undecided after ${inWords(waitMs)}.` : "";
      console.log(`refused: ${gate.reason}${timedOut}`);
      return 1;
    }
    const progress = `${gate.request?.number ?? "the request"} is ${gate.request?.status.replace("_", " ") ?? "pending"}${gate.request ? await waitingOn(remote, gate.request.number) : ""}`;
    // One line per change, and a heartbeat each minute so a CI log shows the step is alive.
    if (progress !== lastProgress || Math.floor(left / 60_000) !== Math.floor((left + intervalMs) / 60_000))
      console.error(`waiting: ${progress}; ${inWords(left)} left`);
    lastProgress = progress;
    await sleep(Math.min(intervalMs, left));
  }
}

async function saveReceipt(remote: Remote, number: string, file: string): Promise<void> {
  const answer = await call(remote, `/api/v1/requests/${encodeURIComponent(number)}/receipt`);
  if (answer.status !== 200) {
    // Allowed without a receipt (a version with no recorded digest has none): say so, do not fail the gate.
    console.error(`no receipt saved: ${((answer.body ?? {}) as Problem).detail ?? answer.status}`);
    return;
  }
  try {
    writeFileSync(file, `${JSON.stringify(answer.body, null, 2)}\n`);
  } catch {
    throw new CannotAsk(`cannot write ${file}`);
  }
  console.error(
    `receipt saved to ${file}; check it offline with \`npm run cli -- receipt verify ${file} --keys <jwks.json>\` (the keys are served at ${remote.url}/api/v1/receipts/keys)`,
  );
}

export async function run(argv: string[]): Promise<void> {
  const [group, command, ...rest] = argv;
  let code: number;
  try {
    code = group === "gate" && command === "check" ? await gateCommand(rest) : await requestCommand(command, rest);
  } catch (error) {
    if (error instanceof CannotAsk) {
      console.error(error instanceof Refused ? `refused: ${error.message}` : error.message);
      for (const line of error.lines) console.error(`  ${line}`);
      code = error instanceof Refused ? 1 : 2;
    } else if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error((error as Error).message);
      code = 2;
    } else {
      console.error(error);
      code = 2;
    }
  }
  process.exitCode = code;
}
