import { NotFound } from "@/lib/errors";
import { apiContext } from "@/lib/http/api-auth";
import { readJson, route } from "@/lib/http/problem";
import { getRequestDetail } from "@/lib/requests/queries";
import { requestNumber } from "@/lib/requests/schemas";
import { currentManifest } from "@/lib/security/manifest-review";
import { uploadManifest } from "@/lib/requests/upload-manifest";

/** The request's current manifest: each dependency as declared, with its findings, licence, signals and decision. */
export const GET = route<{ number: string }>(async (request, { params }) => {
  const { db } = await apiContext(request);
  const number = requestNumber.safeParse((await params).number);
  const detail = number.success ? await getRequestDetail(db, number.data) : null;
  if (!detail) throw new NotFound("No such request.");
  const current = await currentManifest(db, detail.request.id);
  if (!current) throw new NotFound(`CR-${detail.request.number} has no dependency manifest.`);
  const { manifest, deps } = current;
  return Response.json({
    fileName: manifest.fileName,
    format: manifest.format,
    target: manifest.target,
    advisorySnapshotAt: manifest.advisorySnapshotAt,
    errors: manifest.errors,
    warnings: manifest.warnings,
    dependencies: deps.map(({ manifestId: _m, requestId: _r, decidedBy: _d, ...d }) => d),
  });
});

/** Puts a manifest on the request: {fileName, content, format?, python?, includes?: [{name, content}]}. */
export const POST = route<{ number: string }>(async (request, { params }) => {
  const ctx = await apiContext(request);
  const body = (await readJson(request)) as Record<string, unknown>;
  const result = await uploadManifest(ctx, { ...body, number: (await params).number });
  return Response.json(
    {
      format: result.format,
      dependencies: result.dependencies,
      findings: result.findings,
      signals: result.signals,
      errors: result.errors,
      warnings: result.warnings,
      revision: result.request.revision,
      approvalsReset: result.reset,
    },
    { status: 201 },
  );
});
