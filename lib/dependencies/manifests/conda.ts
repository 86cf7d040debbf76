/** conda environment.yml: conda packages plus the nested `- pip:` list of PyPI requirements. */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { Findings, makeDependency } from "./dependency";
import { parseCondaSpec } from "./conda-spec";
import { RequirementsSession } from "./requirements";
import { logicalLines, type LogicalLine } from "./requirements-lines";
import type { ManifestFile, TargetEnvironment } from "./types";

function lineOf(node: Node | null | undefined, counter: LineCounter): number | null {
  const start = node?.range?.[0];
  return start === undefined ? null : counter.linePos(start).line;
}

/** The pip entries become requirement lines, so options such as --extra-index-url are handled too. */
function pipLines(list: unknown, counter: LineCounter, findings: Findings): LogicalLine[] {
  if (!isSeq(list)) {
    findings.error(null, "pip: expected a list of requirements");
    return [];
  }
  const lines: LogicalLine[] = [];
  for (const item of list.items) {
    const line = lineOf(isNode(item) ? item : null, counter);
    if (!isScalar(item) || item.value === null) {
      findings.error(line, "pip: entries must be strings");
      continue;
    }
    for (const logical of logicalLines(String(item.value)))
      lines.push({ line: (line ?? 1) + logical.line - 1, text: logical.text });
  }
  return lines;
}

export function parseCondaEnvironment(files: ManifestFile[], target: TargetEnvironment): Findings {
  const findings = new Findings();
  const main = files[0];
  if (!main) return findings;
  const counter = new LineCounter();
  const document = parseDocument(main.content, { lineCounter: counter });
  const [problem] = document.errors;
  if (problem) {
    findings.error(problem.linePos?.[0].line ?? null, `invalid YAML: ${problem.message.split("\n")[0] ?? ""}`);
    return findings;
  }
  const dependencies = isMap(document.contents) ? document.contents.get("dependencies", true) : undefined;
  if (!isSeq(dependencies)) {
    findings.error(null, "no dependencies list");
    return findings;
  }
  let condaCount = 0;
  for (const item of dependencies.items) {
    if (isMap(item) && item.has("pip")) {
      const session = new RequirementsSession(files, target, findings, main.name);
      session.parseLines(pipLines(item.get("pip", true), counter, findings), main.name, "requirement");
      session.finish();
      continue;
    }
    const line = lineOf(isNode(item) ? item : null, counter);
    if (!isScalar(item) || (typeof item.value !== "string" && typeof item.value !== "number")) {
      findings.error(line, "dependencies entries must be package specs or a pip: list");
      continue;
    }
    const parsed = parseCondaSpec(String(item.value));
    if ("error" in parsed) {
      findings.error(line, parsed.error);
      continue;
    }
    condaCount += 1;
    findings.add(
      makeDependency({
        ecosystem: "conda",
        name: parsed.name,
        normalizedName: parsed.name.toLowerCase(),
        spec: parsed.spec,
        pinnedVersion: parsed.pinnedVersion,
        kind: parsed.pinnedVersion === null ? "range" : "pinned",
        build: parsed.build,
        channel: parsed.channel,
        direct: true,
        line,
      }),
    );
  }
  if (condaCount > 0) {
    findings.warn(
      null,
      `${condaCount} conda package(s) cannot be checked against OSV, which has no conda ecosystem; only the pip section can be`,
    );
  }
  return findings;
}
