import { NotFound } from "@/lib/errors";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { getRequestDetail } from "@/lib/requests/queries";
import { requestNumber } from "@/lib/requests/schemas";
import { manifestJson, manifestUploadJson } from "@/lib/security/api-shape";
import { currentManifest } from "@/lib/security/manifest-review";
import { uploadManifest } from "@/lib/security/upload-manifest";

/** The request's current manifest: each dependency as declared, with its findings, licence, signals and decision. */
export const GET = apiRoute<{ number: string }>(async ({ db }, _request, params) => {
  const number = requestNumber.safeParse(params.number);
  const detail = number.success ? await getRequestDetail(db, number.data) : null;
  if (!detail) throw new NotFound("No such request.");
  const current = await currentManifest(db, detail.request.id);
  if (!current) throw new NotFound(`CR-${detail.request.number} has no dependency manifest.`);
  return Response.json(manifestJson(current));
});

/** Puts a manifest on the request: {fileName, content, format?, python?, includes?: [{name, content}]}. */
export const POST = apiRoute<{ number: string }>(async (ctx, request, params) => {
  const body = await readJsonObject(request);
  const result = await uploadManifest(ctx, { ...body, number: params.number });
  return Response.json(manifestUploadJson(result), { status: 201 });
});
