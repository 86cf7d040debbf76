// A Python release's licence from its metadata as PyPI's JSON API serves it (GET /pypi/{name}/{version}/json,
// the `info` object). Pure. The order is the metadata's own: a PEP 639 `license_expression` is SPDX by
// definition; the free-text `license` field counts only when it is a short SPDX expression already;
// then the trove classifiers that name exactly one SPDX licence. Anything else stays unknown (null):
// guessing "BSD" into one of its variants would let a policy decide on a licence nobody declared.
import { checkLicence } from "./licences";

const CLASSIFIERS: Record<string, string> = {
  "MIT License": "MIT",
  "MIT No Attribution License (MIT-0)": "MIT-0",
  "Apache Software License": "Apache-2.0",
  "ISC License (ISCL)": "ISC",
  "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
  "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
  "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
  "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
  "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
  "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
  "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
  "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
  "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
  "GNU Affero General Public License v3": "AGPL-3.0-only",
  "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
  "Python Software Foundation License": "PSF-2.0",
  "The Unlicense (Unlicense)": "Unlicense",
  "Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
  "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
  "zlib/libpng License": "Zlib",
  "European Union Public Licence 1.2 (EUPL 1.2)": "EUPL-1.2",
};

const isSpdx = (text: string) => {
  const status = checkLicence(text).status;
  return status !== "unresolved" && status !== "unlicensed";
};

export function licenceFromPypiInfo(info: unknown): string | null {
  if (typeof info !== "object" || info === null) return null;
  const record = info as Record<string, unknown>;
  const expression = typeof record.license_expression === "string" ? record.license_expression.trim() : "";
  if (expression && isSpdx(expression)) return expression;
  const license = typeof record.license === "string" ? record.license.trim() : "";
  if (license && license.length <= 100 && !license.includes("\n") && isSpdx(license)) return license;
  const classifiers = Array.isArray(record.classifiers) ? record.classifiers : [];
  const named = [
    ...new Set(
      classifiers
        .filter((c): c is string => typeof c === "string" && c.startsWith("License :: "))
        .map((c) => CLASSIFIERS[c.split(" :: ").pop()!.trim()])
        .filter((id): id is string => id !== undefined),
    ),
  ];
  // Several licence classifiers are the maintainers' choice of licences: any one may be followed.
  return named.length ? named.join(" OR ") : null;
}
