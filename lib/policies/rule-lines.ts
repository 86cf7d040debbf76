import type { CheckRule } from "@/db/schema/governance";

// Pure and safe for the browser (no schema values): a check's rules as the policy editor writes them,
// one per line, and back. The server validates what this produces like any other rules.

/** "auc >= 0.9", "auc no worse than live by 0.01", "latency_ms no worse than live by 5 (lower is better)", "auc, recall present". */
export function ruleToLine(rule: CheckRule): string {
  if ("requiredMetrics" in rule) return `${rule.requiredMetrics.join(", ")} present`;
  if ("op" in rule) return `${rule.metric} ${rule.op} ${rule.value}`;
  const { margin, higherIsBetter } = rule.noWorseThanLive;
  return `${rule.metric} no worse than live by ${margin}${higherIsBetter ? "" : " (lower is better)"}`;
}

const NUMBER = String.raw`(-?\d+(?:\.\d+)?)`;
const THRESHOLD = new RegExp(String.raw`^(\S+)\s*(>=|<=|>|<)\s*${NUMBER}$`);
// A margin is never negative: "by -1" is no rule, said at its line rather than by the server.
const CHAMPION = new RegExp(
  String.raw`^(\S+)\s+no worse than live(?:\s+by(?:\s+more than)?\s+(\d+(?:\.\d+)?))?(\s*\(lower is better\))?$`,
  "i",
);
const PRESENT = /^(.+?)\s+present$/i;

export type RuleLines = { rules: CheckRule[]; problems: string[] };

/** Each non-empty line as a rule; a line that is none of the three shapes is a problem naming it. */
export function linesToRules(text: string): RuleLines {
  const rules: CheckRule[] = [];
  const problems: string[] = [];
  text
    .split("\n")
    .slice(0, 100)
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line)
    .forEach(({ line, i }) => {
      const threshold = THRESHOLD.exec(line);
      if (threshold) {
        rules.push({ metric: threshold[1]!, op: threshold[2] as ">=", value: Number(threshold[3]) });
        return;
      }
      const champion = CHAMPION.exec(line);
      if (champion) {
        rules.push({
          metric: champion[1]!,
          noWorseThanLive: { margin: Number(champion[2] ?? 0), higherIsBetter: !champion[3] },
        });
        return;
      }
      const present = PRESENT.exec(line);
      if (present) {
        rules.push({
          requiredMetrics: present[1]!
            .split(",")
            .map((m) => m.trim())
            .filter(Boolean),
        });
        return;
      }
      problems.push(
        `Line ${i + 1} ("${line.slice(0, 60)}") is not a rule: write "auc >= 0.9", "auc no worse than live by 0.01" or "auc, recall present".`,
      );
    });
  return { rules, problems };
}
