import { apiRoute } from "@/lib/http/api-route";
import { readReceipt } from "@/lib/requests/receipt-queries";

// The request's signed approval receipt (a DSSE envelope), exactly as issued. Its state now (valid,
// revoked, expired) is in a header, since the signed content cannot change; ?download=1 serves it
// as a file, for the request page's "Download receipt".
export const GET = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const receipt = await readReceipt(ctx, { number });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "greenlight-receipt-state": receipt.state,
  };
  if (new URL(request.url).searchParams.get("download")) {
    headers["content-disposition"] = `attachment; filename="CR-${receipt.number}-r${receipt.revision}.receipt.json"`;
  }
  return new Response(JSON.stringify(receipt.envelope, null, 2), { headers });
});
