import { Forbidden } from "../errors";

/**
 * Applies a permission rule's answer (from lib/<domain>/permissions.ts): a refusal is Forbidden.
 * Apart from lib/auth/guards.ts so that reads stay importable without the Auth.js configuration.
 */
export function permit(allowed: boolean, refusal?: string): void {
  if (!allowed) throw new Forbidden(refusal);
}
