/** Package names and versions in the canonical forms advisories (OSV) are keyed by. */
import { explain } from "@renovatebot/pep440";

/** PEP 503: runs of "-", "_" and "." are one separator, case-insensitive. */
export function normalizePyPIName(name: string): string {
  return name
    .trim()
    .replace(/[-_.]+/g, "-")
    .toLowerCase();
}

/** npm names are case-insensitive in the registry's eyes; the scope stays part of the name. */
export function normalizeNpmName(name: string): string {
  return name.trim().toLowerCase();
}

/** PEP 508 distribution names: letters/digits, with . _ - only inside. */
export const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Canonical PEP 440 form (1.1RC1 -> 1.1rc1, v1.0 -> 1.0, 1.0-r4 -> 1.0.post4), local part kept
 * because "+cu118" decides which wheel is installed. Built from the parsed parts rather than the
 * library's clean(), which mangles multi-part local versions ("+ubuntu-1" -> "+ubuntu,1").
 */
export function normalizePep440(version: string): string | null {
  const parts = explain(version.trim());
  if (!parts) return null;
  return parts.local ? `${parts.public}+${parts.local}` : parts.public;
}
