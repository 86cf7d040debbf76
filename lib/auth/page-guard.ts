import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { Role } from "@/db/schema/org";
import { Forbidden, Unauthorized } from "../errors";
import { requireRole, requireUser, type UserActor } from "./guards";

// Pages use the same guards as actions and handlers; here the errors become a redirect to sign-in
// or Next's 403 page (app/forbidden.tsx).
async function guarded(check: () => Promise<UserActor>): Promise<UserActor> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof Unauthorized) redirect("/sign-in");
    if (error instanceof Forbidden) forbidden();
    throw error;
  }
}

export const pageUser = () => guarded(requireUser);
export const pageRole = (...roles: Role[]) => guarded(() => requireRole(...roles));
