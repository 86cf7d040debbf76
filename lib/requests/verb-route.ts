import "server-only";
import type { Db } from "@/db";
import type { UserActor } from "../auth/guards";
import { apiContext } from "../http/api-auth";
import { readJson, route } from "../http/problem";
import { requestJson } from "./api-shape";
import { getRequestDetail } from "./queries";
import { requestNumber } from "./schemas";

type Verb = (ctx: { db: Db; actor: UserActor }, input: unknown) => Promise<unknown>;

/**
 * POST /api/v1/requests/{number}/<verb>: authenticate, read the JSON body (none is fine), run the
 * verb, answer with its result and the request as it now stands. One shape for every request verb.
 */
export function requestVerbRoute(verb: Verb, options: { status: 200 | 201 }) {
  return route<{ number: string }>(async (request, { params }) => {
    const ctx = await apiContext(request);
    const body = (await readJson(request, { allowEmpty: true })) as Record<string, unknown>;
    const { number } = await params;
    const result = await verb(ctx, { ...body, number });
    const parsed = requestNumber.safeParse(number);
    const detail = parsed.success ? await getRequestDetail(ctx.db, parsed.data) : null;
    return Response.json({ result, request: detail ? requestJson(detail) : null }, { status: options.status });
  });
}
