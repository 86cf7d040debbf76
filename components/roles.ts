import type { Role } from "@/db/schema/org";

export const ROLE_LABELS: Record<Role, string> = {
  requester: "Requester",
  manager: "Manager",
  security: "Security",
  ml_lead: "ML lead",
  admin: "Admin",
};
