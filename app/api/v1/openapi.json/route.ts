import { openApiDocument } from "@/lib/http/openapi/document";

// The API's machine-readable description, generated from the handlers' zod schemas. Public: it
// describes the API and holds no data, so a client generator or a gateway can fetch it unauthenticated.
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
