import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { manifestJson, manifestUploadJson } from "@/lib/security/api-shape";
import { readManifest } from "@/lib/requests/read-dependencies";
import { uploadManifest } from "@/lib/requests/upload-manifest";
import { MANIFEST_BODY_BYTES } from "@/lib/dependencies/manifests/limits";

/**
 * The request's current manifest: each dependency as declared, with its findings, licence, signals and
 * decision, a page at a time (`?page=`, `?limit=` up to 500, `?show=` one list), with every list's count.
 */
export const GET = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(manifestJson(await readManifest(ctx, { number, query })));
});

/** Puts a manifest on the request: {fileName, content, format?, python?, includes?: [{name, content}]}. */
export const POST = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const body = await readJsonObject(request, { limit: MANIFEST_BODY_BYTES });
  // A client that disconnects stops the OSV calls and saves nothing (lib/verb.ts, VerbContext.signal).
  const result = await uploadManifest({ ...ctx, signal: request.signal }, { ...body, number });
  return Response.json(manifestUploadJson(result), { status: 201 });
});
