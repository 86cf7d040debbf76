import "server-only";
import type { Db } from "@/db";
import type { Actor } from "../auth/actor";
import { ValidationError } from "../errors";
import { trackingUrl } from "./client";
import { connectMlflow } from "./connect";
import { loadConnection } from "./connection";
import { syncMlflow, type SyncOptions, type SyncResult } from "./sync";

/**
 * `npm run cli -- mlflow sync --url URL [--token T] [--model NAME]...`: syncs now, from a shell or CI.
 * With no connection saved yet it connects to URL first (as the admin page would); with one saved, URL
 * must be the same server (disconnect on the admin page to switch). --token is used for this run only
 * when a connection exists; --model limits the run to those picked models.
 */
export async function syncFromCli(
  db: Db,
  actor: Actor,
  options: { url: string; token?: string; models?: string[]; onPage?: SyncOptions["onPage"] },
): Promise<SyncResult> {
  let url: string;
  try {
    url = trackingUrl(options.url);
  } catch (error) {
    throw new ValidationError((error as Error).message, { url: [(error as Error).message] });
  }
  const saved = await loadConnection(db);
  if (!saved) await connectMlflow({ db, actor }, { url, token: options.token });
  else if (saved.url !== url)
    throw new ValidationError(`Greenlight is connected to ${saved.url}, not ${url}.`, {
      url: [`Use --url ${saved.url}, or disconnect on the admin page (Admin → MLflow) first.`],
    });
  return syncMlflow(db, {
    token: saved ? options.token : undefined,
    models: options.models,
    actor,
    onPage: options.onPage,
  });
}
