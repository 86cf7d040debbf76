import { readAfterCommit } from "@/lib/http/after-commit";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { requestJson } from "@/lib/requests/api-shape";
import { readRequest } from "@/lib/requests/queries";
import { updateRequest } from "@/lib/requests/update-request";

export const GET = apiRoute<{ number: string }>(async (ctx, _request, { number }) => {
  return Response.json(requestJson(await readRequest(ctx, { number }), ctx.actor));
});

/**
 * Edits the request (title, description, target, cost-benefit analysis, resource lines); a seen request is reset to a new revision.
 * The edit has committed before the request is read back: if that read fails, the answer is the
 * edited record's number, status and revision (`partial: true`), never a 500.
 */
export const PATCH = apiRoute<{ number: string }>(async (ctx, request, { number }) => {
  const body = await readJsonObject(request);
  const { request: edited, reset } = await updateRequest(ctx, { ...body, number });
  const detail = await readAfterCommit(() => readRequest(ctx, { number }));
  if (!detail) {
    const { status, revision } = edited;
    return Response.json({ number: `CR-${edited.number}`, status, revision, approvalsReset: reset, partial: true });
  }
  return Response.json({ ...requestJson(detail, ctx.actor), approvalsReset: reset });
});
