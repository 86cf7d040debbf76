// Dependency check at scale, in memory: 1,000 pinned dependencies against 50,000 synthetic OSV records.
//   npx tsx bench/dependency-check.ts
// Times what one review does with an advisory snapshot already parsed: build the index, match,
// typosquat and licence checks. Budget: 1 s for all four. Parsing the snapshot (once per snapshot,
// not per review) is timed separately. The data is generated from a fixed seed, so runs compare.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  buildAdvisoryIndex,
  checkLicence,
  findVulnerabilities,
  parseOsvRecord,
  typosquatSuspect,
  type OsvRecord,
  type ReviewedDependency,
} from "../lib/dependencies/review";

const BUDGET_MS = 1000;
const RUNS = 5;

export interface DependencyCheckBenchFigures {
  packages: number;
  advisories: number;
  /** Medians of RUNS runs after one warm-up run, in milliseconds. */
  indexMs: number;
  matchMs: number;
  typosquatMs: number;
  licenceMs: number;
  totalMs: number;
  /** The warm-up run: caches empty, code not yet optimised by the JIT. */
  coldTotalMs: number;
  parseMs: number;
  budgetMs: number;
  /** Heap held by one built index over the parsed records it points into, after a full GC. */
  indexHeapMB: number;
  heapUsedMB: number;
  findings: number;
}

// mulberry32: a tiny seeded generator, so every run benchmarks the same data.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SyntheticData {
  records: unknown[];
  deps: ReviewedDependency[];
}

export function synthesise(packageCount = 20_000, recordCount = 50_000, depCount = 1_000): SyntheticData {
  const random = seeded(20_240_601);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const names = Array.from({ length: packageCount }, (_, i) => ({
    ecosystem: i % 5 < 3 ? "PyPI" : "npm",
    name: `pkg-${i.toString(36)}-lib`,
  }));
  const version = () => `${int(5)}.${int(20)}.${int(10)}`;
  const vectors = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
  ];
  const records: unknown[] = [];
  let cve = 0;
  for (let i = 0; i < recordCount; i += 1) {
    // Skewed towards the low indices, where the dependencies' names are: popular packages collect
    // most advisories (about a fifth of the records land on the 1,000 dependency names).
    const pkg = names[Math.floor(packageCount * random() ** 2)]!;
    const malware = random() < 0.01;
    const id = malware
      ? `MAL-2024-${i}`
      : pkg.ecosystem === "PyPI" && random() < 0.4
        ? `PYSEC-2024-${i}`
        : `GHSA-${i.toString(36).padStart(4, "0")}-bench`;
    // About a third of the records describe a vulnerability another record already has (GHSA + PYSEC).
    const aliases = cve > 0 && random() < 0.3 ? [`CVE-2024-${int(cve) + 1}`] : [`CVE-2024-${++cve}`];
    const introduced = random() < 0.3 ? "0" : version();
    const fixed = `${int(5) + 5}.${int(20)}.${int(10)}`;
    const affected = malware
      ? { package: pkg, versions: [version(), version()] }
      : pkg.ecosystem === "PyPI"
        ? {
            package: pkg,
            ranges: [{ type: "ECOSYSTEM", events: [{ introduced }, { fixed }] }],
            versions: random() < 0.5 ? Array.from({ length: 10 + int(30) }, version) : undefined,
          }
        : {
            package: pkg,
            ranges: [
              { type: "SEMVER", events: [{ introduced }, random() < 0.1 ? { last_affected: fixed } : { fixed }] },
            ],
          };
    const severityRoll = random();
    records.push({
      id,
      modified: "2024-06-01T00:00:00Z",
      ...(random() < 0.01 ? { withdrawn: "2024-06-02T00:00:00Z" } : {}),
      aliases,
      summary: `Synthetic advisory ${i} for ${pkg.name}`,
      ...(severityRoll < 0.6
        ? {
            severity: [
              {
                type: severityRoll < 0.1 ? "CVSS_V4" : "CVSS_V3",
                score: severityRoll < 0.1 ? vectors[3]! : pick(vectors.slice(0, 3)),
              },
            ],
          }
        : {}),
      affected: [affected],
      database_specific: { severity: pick(["LOW", "MODERATE", "HIGH", "CRITICAL"]) },
    });
  }
  const licences = [
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "GPL-2.0 OR MIT",
    "MPL-2.0",
    "AGPL-3.0-only",
    null,
    "NOASSERTION",
    "Apache 2.0",
  ];
  const deps = names.slice(0, depCount).map((pkg, i): ReviewedDependency => ({
    ecosystem: pkg.ecosystem === "PyPI" ? "PyPI" : "npm",
    normalizedName: pkg.name,
    name: pkg.name,
    spec: null,
    pinnedVersion: version(),
    kind: "pinned",
    licence: licences[i % licences.length]!,
    hasInstallScript: i % 50 === 0,
    url: null,
  }));
  return { records, deps };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;
const heapMB = () => process.memoryUsage().heapUsed / 1024 / 1024;
// A forced collection before each heap reading, so the figure is what the index holds rather than
// whatever garbage happens to be around. Node hides gc() unless asked; this asks at run time.
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

export function runDependencyCheckBench(): DependencyCheckBenchFigures {
  const { records: raw, deps } = synthesise();
  let started = performance.now();
  const parsed: OsvRecord[] = [];
  for (const json of raw) {
    const result = parseOsvRecord(json);
    if (!result.ok) throw new Error(`synthetic record rejected: ${result.problems.join("; ")}`);
    parsed.push(result.record);
  }
  const parseMs = performance.now() - started;

  const runs: { index: number; match: number; typosquat: number; licence: number; total: number }[] = [];
  let findings = 0;
  for (let run = 0; run <= RUNS; run += 1) {
    // Fresh record objects each run, so per-record caches (severity) never carry over between runs.
    const records = parsed.map((r) => ({ ...r }));
    started = performance.now();
    const index = buildAdvisoryIndex(records);
    const indexed = performance.now();
    findings = findVulnerabilities(deps, index).length;
    const matched = performance.now();
    for (const dep of deps) typosquatSuspect(dep.ecosystem, dep.normalizedName);
    const squatted = performance.now();
    for (const dep of deps) checkLicence(dep.licence);
    const done = performance.now();
    runs.push({
      index: indexed - started,
      match: matched - indexed,
      typosquat: squatted - matched,
      licence: done - squatted,
      total: done - started,
    });
  }
  const [cold, ...warm] = runs;

  collectGarbage();
  const before = heapMB();
  const held = buildAdvisoryIndex(parsed);
  collectGarbage();
  const indexHeapMB = heapMB() - before;
  const heapUsedMB = heapMB();
  if (held.recordCount === 0) throw new Error("empty index");

  return {
    packages: deps.length,
    advisories: raw.length,
    indexMs: round(median(warm.map((r) => r.index))),
    matchMs: round(median(warm.map((r) => r.match))),
    typosquatMs: round(median(warm.map((r) => r.typosquat))),
    licenceMs: round(median(warm.map((r) => r.licence))),
    totalMs: round(median(warm.map((r) => r.total))),
    coldTotalMs: round(cold!.total),
    parseMs: round(parseMs),
    budgetMs: BUDGET_MS,
    indexHeapMB: Math.round(indexHeapMB),
    heapUsedMB: Math.round(heapUsedMB),
    findings,
  };
}

const invokedDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const f = runDependencyCheckBench();
  console.log(
    `dependency check: ${f.packages} packages x ${f.advisories} advisories: index ${f.indexMs} ms, match ${f.matchMs} ms, ` +
      `typosquat ${f.typosquatMs} ms, licences ${f.licenceMs} ms, total ${f.totalMs} ms (budget ${f.budgetMs} ms); ` +
      `cold ${f.coldTotalMs} ms; parse ${f.parseMs} ms; index heap ${f.indexHeapMB} MB, heap used ${f.heapUsedMB} MB; ${f.findings} findings`,
  );
  if (f.totalMs > f.budgetMs) process.exitCode = 1;
}
