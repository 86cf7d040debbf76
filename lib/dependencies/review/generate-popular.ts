// Regenerates popular-pypi.ts and popular-npm.ts from the shared top-5,000 download lists:
//   node --import tsx lib/dependencies/review/generate-popular.ts [../shared/data]
// The names ship as one "\n"-joined string per ecosystem rather than an array literal: a single
// string is far cheaper for the bundler and for Node to parse than 5,000 array elements.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { normalisePackageName } from "./types";

const sourceDir = process.argv[2] ?? path.join(import.meta.dirname, "../../../../shared/data");

const targets = [
  { ecosystem: "PyPI", source: "popular-pypi.txt", out: "popular-pypi.ts", constant: "POPULAR_PYPI_NAMES" },
  { ecosystem: "npm", source: "popular-npm.txt", out: "popular-npm.ts", constant: "POPULAR_NPM_NAMES" },
];

for (const target of targets) {
  const names = readFileSync(path.join(sourceDir, target.source), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((name) => normalisePackageName(target.ecosystem, name));
  const unique = [...new Set(names)];
  const body = [
    `// Generated from ${target.source} (the top-5,000 ${target.ecosystem} packages by downloads, most popular`,
    "// first, names normalised as the review compares them). Do not edit by hand; regenerate with",
    "//   node --import tsx lib/dependencies/review/generate-popular.ts [../shared/data]",
    `export const ${target.constant} =`,
    `  ${JSON.stringify(unique.join("\n"))};`,
    "",
  ].join("\n");
  writeFileSync(path.join(import.meta.dirname, target.out), body);
  console.log(`${target.out}: ${unique.length} names`);
}
