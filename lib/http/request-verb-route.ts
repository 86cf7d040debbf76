import "server-only";
import type { UserContext } from "../session/guards";
import { requestJson } from "../requests/api-shape";
import { findRequestDetail } from "../requests/queries";
import { readAfterCommit } from "./after-commit";
import { apiRoute } from "./api-route";
import { readJsonObject } from "./body";

/**
 * POST /api/v1/requests/{number}/<verb> (and deeper, e.g. checks/{stepId}/override, whose path
 * parameters go to the verb too): authenticate, read the JSON body (none is fine), run the
 * verb, answer with its result (shaped by the domain's api-shape, never a row) and the request as it now stands.
 * One shape for every request verb. The request is read after the verb committed: should that read
 * fail, `request` is null and the answer is still the verb's success.
 */
export function requestVerbRoute<R>(
  verb: (ctx: UserContext, input: unknown) => Promise<R>,
  shape: (result: R) => unknown,
  options: { status: 200 | 201 },
) {
  return apiRoute<{ number: string } & Record<string, string>>(async (ctx, request, params) => {
    const { number } = params;
    const body = await readJsonObject(request, { allowEmpty: true });
    // The path wins over the body: a body naming another request or step is not followed.
    const result = await verb(ctx, { ...body, ...params });
    const detail = await readAfterCommit(() => findRequestDetail(ctx.db, number));
    return Response.json(
      { result: shape(result), request: detail ? requestJson(detail, ctx.actor) : null },
      { status: options.status },
    );
  });
}
