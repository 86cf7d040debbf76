import "server-only";
import { asc, gt } from "drizzle-orm";
import type { Db } from "@/db";
import { auditEvents } from "@/db/schema";
import type { VerifyingKey } from "../signing/ed25519";
import { listCheckpoints } from "./checkpoints";
import { checkpointLine, eventLine, exportHeaderLine } from "./export-file";
import { type AuditFilters, listAuditEvents } from "./queries";

const COLUMNS = [
  "seq",
  "occurred_at",
  "actor_email",
  "action",
  "entity_type",
  "entity_id",
  "data",
  "prev_hash",
  "hash",
] as const;

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  // Quote everything that could break a row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The filtered audit log as CSV or JSON, streamed page by page so a million events never sit in memory. */
export function exportAudit(db: Db, filters: AuditFilters, format: "csv" | "json"): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before = filters.before;
  let first = true;
  return new ReadableStream({
    async start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? `${COLUMNS.join(",")}\n` : "["));
    },
    async pull(controller) {
      const { events, nextBefore } = await listAuditEvents(db, { ...filters, before }, 2000);
      for (const e of events) {
        const row = [
          e.seq,
          e.occurredAt.toISOString(),
          e.actorEmail,
          e.action,
          e.entityType,
          e.entityId,
          e.data,
          e.prevHash,
          e.hash,
        ];
        if (format === "csv") controller.enqueue(encoder.encode(`${row.map(csvCell).join(",")}\n`));
        else {
          const json = JSON.stringify(Object.fromEntries(COLUMNS.map((c, i) => [c, row[i]])));
          controller.enqueue(encoder.encode(`${first ? "" : ","}\n${json}`));
          first = false;
        }
      }
      if (!nextBefore) {
        if (format === "json") controller.enqueue(encoder.encode("\n]\n"));
        controller.close();
      } else before = nextBefore;
    },
  });
}

/**
 * The whole chain as the verifiable JSON Lines export (lib/audit/export-file.ts): the header with the
 * public key, every checkpoint, then every event from seq 1, streamed page by page. Unfiltered on
 * purpose: a chain with events left out cannot be verified.
 */
export function exportAuditChain(db: Db, key: VerifyingKey, now = new Date()): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  return new ReadableStream({
    async start(controller) {
      // Checkpoints before events: events appended while this streams are simply not yet anchored.
      const lines = [exportHeaderLine(key, now), ...(await listCheckpoints(db)).map(checkpointLine)];
      controller.enqueue(encoder.encode(lines.map((l) => `${l}\n`).join("")));
    },
    async pull(controller) {
      const page = await db
        .select()
        .from(auditEvents)
        .where(gt(auditEvents.seq, after))
        .orderBy(asc(auditEvents.seq))
        .limit(2000);
      const text = page.map((e) => `${eventLine({ ...e, occurredAt: e.occurredAt.toISOString() })}\n`).join("");
      if (text) controller.enqueue(encoder.encode(text));
      if (page.length < 2000) controller.close();
      else after = page[page.length - 1]!.seq;
    },
  });
}
