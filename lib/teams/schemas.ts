import { z } from "zod";
import { storable } from "../validation";

export const teamName = z
  .string({ error: "Enter a team name." })
  .trim()
  .min(2, "A team name needs at least 2 characters.")
  .max(60, "Keep the team name under 60 characters.")
  .superRefine(storable);
