import { z } from "zod";
import { checkbox, text } from "../validation";
import { modelName } from "../models/schemas";
import { trackingUrl } from "./client";

const blankAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** An address Greenlight's server will fetch: http(s) only, no credentials or query in it. */
const serverUrl = (label: string) =>
  text({ min: 1, max: 500, label }).transform((value, ctx) => {
    try {
      return trackingUrl(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const ConnectInput = z.object({
  url: serverUrl("The tracking server's address"),
  // Blank keeps the token already saved (it is never shown again); clearToken removes it.
  token: z.preprocess(blankAsUndefined, text({ max: 2000, label: "The token" }).optional()),
  clearToken: checkbox.default(false),
  databricksHost: z.preprocess(blankAsUndefined, serverUrl("The Databricks host").optional()),
});

export const DisconnectInput = z.object({
  confirm: checkbox.refine((v) => v, "Tick the box to confirm: the picked models and pending write-backs go."),
});

export const PickModelInput = z.object({
  mlflowName: text({ min: 1, max: 500, label: "The MLflow model's name" }),
  teamId: z.uuid({ error: "Choose the team that owns it in Greenlight." }),
  // The Greenlight model's name; derived from the MLflow name when blank.
  name: z.preprocess(blankAsUndefined, modelName.optional()),
});

export const UnpickModelInput = z.object({ id: z.uuid({ error: "Which picked model?" }) });

/** MLflow refuses "latest" and "v<digits>" as alias names (they name versions already). */
export const aliasName = z
  .string({ error: "An alias is text." })
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,255}$/, "Use letters, digits, '_' or '-' (up to 255), e.g. production.")
  .refine((v) => v.toLowerCase() !== "latest" && !/^v\d+$/i.test(v), 'MLflow keeps "latest" and v<number> for itself.');

export const SetAliasInput = z.object({
  environment: text({ min: 1, max: 63, label: "The environment" }),
  // Blank: no alias for this environment.
  alias: z.preprocess(blankAsUndefined, aliasName.optional()),
});

export const SyncNowInput = z.object({});
