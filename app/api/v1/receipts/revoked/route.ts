import { apiRoute } from "@/lib/http/api-route";
import { revokedReceiptJson } from "@/lib/requests/api-shape";
import { readRevokedReceipts } from "@/lib/requests/receipt-queries";

// Receipts that no longer vouch for an approval (revoked, withdrawn, superseded, expired): CI checks a
// receipt offline, and this list online when it can.
export const GET = apiRoute(async (ctx) =>
  Response.json(
    { receipts: (await readRevokedReceipts(ctx)).map(revokedReceiptJson) },
    { headers: { "cache-control": "no-store" } },
  ),
);
