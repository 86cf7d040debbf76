// Every audit action, named entity.verb. Adding a verb means adding its action here.
export const AUDIT_ACTIONS = [
  "auth.signed_in",
  "auth.sign_in_refused",
  "user.created",
  "user.role_granted",
  "user.role_revoked",
  "user.deactivated",
  "user.reactivated",
  "user.teams_changed",
  "team.created",
  "team.renamed",
  "system.seeded",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
