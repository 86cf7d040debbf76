/** What the TOML-based Python parsers share: the target, the findings and line lookup. */
import type { Findings } from "./dependency";
import { isPep508Error, parsePep508 } from "./pep508";
import { pythonDependency } from "./python-dependency";
import type { LineLocator } from "./structured";
import type { Dependency, TargetEnvironment } from "./types";

export interface PythonContext {
  target: TargetEnvironment;
  findings: Findings;
  lines: LineLocator;
}

/** One PEP 508 string from a TOML array; a bad one is reported at its line and skipped. */
export function requirementFromString(
  text: string,
  where: string,
  context: PythonContext,
  fields: Partial<Dependency>,
): Dependency | null {
  const line = context.lines.find(text);
  const parsed = parsePep508(text);
  if (isPep508Error(parsed)) {
    context.findings.error(line, `${where}: invalid requirement "${text}": ${parsed.error}`);
    return null;
  }
  return pythonDependency(parsed, context.target, { line, ...fields });
}
