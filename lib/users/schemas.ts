import { z } from "zod";
import { ROLES } from "@/db/schema/org";

export const userId = z.string({ error: "Choose a user." }).trim().min(1, "Choose a user.").max(200, "Choose a user.");
export const role = z.enum(ROLES, { error: `Role must be one of ${ROLES.join(", ")}.` });
export const email = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address." }));
