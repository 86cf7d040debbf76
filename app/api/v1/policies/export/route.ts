import { apiRoute } from "@/lib/http/api-route";
import { readQuery } from "@/lib/http/body";
import { ValidationError } from "@/lib/errors";
import { POLICY_FORMATS, type PolicyFormat } from "@/lib/policies/as-code";
import { readPolicyDocumentExport } from "@/lib/policies/queries";

// GET ?format=yaml|json (yaml by default): every policy as one document, for git (policies as code).
export const GET = apiRoute(async (ctx, request) => {
  const format = readQuery(request).format ?? "yaml";
  if (!(POLICY_FORMATS as readonly string[]).includes(format))
    throw new ValidationError("format is yaml or json.", { format: ["yaml or json."] });
  const document = await readPolicyDocumentExport(ctx, format as PolicyFormat);
  return new Response(document, {
    headers: {
      // application/yaml: RFC 9512.
      "content-type": format === "json" ? "application/json" : "application/yaml; charset=utf-8",
      "cache-control": "no-store",
    },
  });
});
