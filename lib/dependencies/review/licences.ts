// Licence policy check on an SPDX expression. spdx-satisfies answers "can we use it under the allowed
// licences alone?"; the deny check is ours, because "is a denied licence unavoidable?" is a different
// question (spdx-satisfies has no notion of a deny list).
import parseSpdx from "spdx-expression-parse";
import spdxSatisfiesUntyped from "spdx-satisfies";

// @types/spdx-satisfies still describes the v5 call (two strings); v6, which is installed, takes the
// allowed licences as an array.
const spdxSatisfies = spdxSatisfiesUntyped as unknown as (expression: string, allowed: string[]) => boolean;

export type LicenceStatus = "allowed" | "denied" | "needs_review" | "unlicensed" | "unresolved";

export interface LicencePolicy {
  /** Plain SPDX ids (no AND/OR); GNU ids may use either the deprecated or the -only/-or-later form. */
  allowed: string[];
  denied: string[];
}

export interface LicenceCheck {
  status: LicenceStatus;
  detail: string;
  /** The licence ids the expression names, GNU ids in their current -only/-or-later form. */
  licences: string[];
}

/**
 * Permissive licences pass; the network-copyleft ones a hosted model cannot comply with by default
 * are denied; everything else (GPL/LGPL, MPL-2.0, CC-*, custom LicenseRef-*) goes to a human, since
 * whether it is acceptable depends on how the model is shipped. MPL-2.0 is deliberately not allowed:
 * its file-level copyleft is usually fine but needs someone to confirm no MPL files were modified.
 */
export const DEFAULT_LICENCE_POLICY: LicencePolicy = {
  allowed: [
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "PSF-2.0",
    "Python-2.0",
    "Unlicense",
    "0BSD",
    "Zlib",
  ],
  denied: ["AGPL-3.0-only", "AGPL-3.0-or-later", "SSPL-1.0"],
};

// Values manifests use for "no licence information" rather than a licence. npm's UNLICENSED means
// "no permission granted" and PyPI metadata often says UNKNOWN: neither is a licence one can follow.
const NO_LICENCE = new Set(["NOASSERTION", "NONE", "UNKNOWN", "UNLICENSED"]);

type SpdxNode = parseSpdx.Info & { exception?: string };

// GNU licences were renamed in SPDX 3.0: "GPL-2.0" is now "GPL-2.0-only" and "GPL-2.0+" is
// "GPL-2.0-or-later". Packages still use both spellings, so we compare the current form: a policy
// naming AGPL-3.0-only also denies a package that says AGPL-3.0.
const GNU_ID = /^(A?GPL|LGPL|GFDL)-\d+(\.\d+)?$/;
export function canonicalLicenceId(id: string, plus = false): string {
  const bare = id.endsWith("+") ? id.slice(0, -1) : id;
  const orLater = plus || id.endsWith("+");
  if (GNU_ID.test(bare)) return `${bare}-${orLater ? "or-later" : "only"}`;
  return orLater ? `${bare}+` : bare;
}

// Every way to satisfy the expression, each a set of licences that must all be followed.
// (MIT OR ISC) AND GPL-3.0 -> [[MIT, GPL-3.0], [ISC, GPL-3.0]]. Capped, since AND of ORs multiplies.
const MAX_CHOICES = 1024;
function choices(node: SpdxNode): string[][] | null {
  if ("license" in node) {
    const id = canonicalLicenceId(node.license, node.plus === true);
    return [[node.exception ? `${id} WITH ${node.exception}` : id]];
  }
  const left = choices(node.left as SpdxNode);
  const right = choices(node.right as SpdxNode);
  if (!left || !right) return null;
  if (node.conjunction === "or") return left.length + right.length > MAX_CHOICES ? null : [...left, ...right];
  if (left.length * right.length > MAX_CHOICES) return null;
  return left.flatMap((l) => right.map((r) => [...l, ...r]));
}

function usableAllowList(allowed: string[]): string[] {
  // spdx-satisfies throws on an allow list entry that is not a single valid id; one bad policy entry
  // should not make every dependency "unresolved", so such entries are dropped.
  return allowed.filter((id) => {
    try {
      return "license" in parseSpdx(id);
    } catch {
      return false;
    }
  });
}

export function checkLicence(expression: string | null, policy: LicencePolicy = DEFAULT_LICENCE_POLICY): LicenceCheck {
  const text = (expression ?? "").trim();
  if (text === "" || NO_LICENCE.has(text.toUpperCase())) {
    return { status: "unlicensed", detail: text === "" ? "no licence declared" : `declared as ${text}`, licences: [] };
  }
  let tree: SpdxNode;
  try {
    tree = parseSpdx(text) as SpdxNode;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { status: "unresolved", detail: `not an SPDX expression (${why}): ${text}`, licences: [] };
  }
  const options = choices(tree);
  if (!options) return { status: "unresolved", detail: `expression too complex to evaluate: ${text}`, licences: [] };
  const licences = [...new Set(options.flat())].sort();

  let satisfied = false;
  try {
    satisfied = spdxSatisfies(text, usableAllowList(policy.allowed));
  } catch {
    satisfied = false; // an id the library's older parser does not know: let the checks below decide
  }
  if (satisfied) return { status: "allowed", detail: `${text} can be used under the allowed licences`, licences };

  const denied = new Set(policy.denied.map((id) => canonicalLicenceId(id)));
  // An exception only adds permissions, so "AGPL-3.0-only WITH x" is still AGPL for the deny list.
  const deniedIn = (choice: string[]) => choice.filter((id) => denied.has(id.split(" WITH ")[0]!));
  if (options.every((choice) => deniedIn(choice).length > 0)) {
    const unavoidable = [...new Set(options.flatMap(deniedIn))].sort();
    return {
      status: "denied",
      detail: `every way to comply includes a denied licence: ${unavoidable.join(", ")}`,
      licences,
    };
  }
  const allowed = new Set(policy.allowed.map((id) => canonicalLicenceId(id)));
  const others = licences.filter((id) => !allowed.has(id));
  return { status: "needs_review", detail: `not on the allowed list: ${others.join(", ") || text}`, licences };
}
