import "server-only";
import { z } from "zod";
import { defineVerb } from "../verb";
import { ignored } from "./alert-log";
import { ReceivedAlertInput } from "./receive-alert";

/**
 * Records an alert that could not be handled (its request was refused: a chain nobody could
 * complete, say) as ignored with the reason, so the sender and the admin page see why.
 */
export const ignoreAlert = defineVerb({
  allow: ["admin", "ml_lead"],
  input: z.object({ alert: ReceivedAlertInput, reason: z.string().min(1).max(2000) }),
  async run({ tx, actor, now }, input) {
    return ignored(tx, { alert: input.alert, target: input.alert.target, actor, now }, input.reason);
  },
});
