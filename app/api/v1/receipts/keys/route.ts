import { apiRoute } from "@/lib/http/api-route";
import { readReceiptKeys } from "@/lib/requests/receipt-queries";

// The JWKS that verifies receipts: every key that ever signed one, retired keys included.
export const GET = apiRoute(async (ctx) =>
  Response.json(await readReceiptKeys(ctx), { headers: { "cache-control": "no-store" } }),
);
