import "server-only";
import type { Db } from "@/db";
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
