import { permit } from "@/lib/auth/permit";
import { apiRoute } from "@/lib/http/api-route";
import { readJsonObject } from "@/lib/http/body";
import { groupMappingJson } from "@/lib/sso/api-shape";
import { readGroupMapping } from "@/lib/sso/queries";
import { setGroupMapping } from "@/lib/sso/set-group-mapping";
import { mayAdminister } from "@/lib/users/permissions";

export const GET = apiRoute(async (ctx) => {
  const view = await readGroupMapping(ctx);
  return Response.json({
    ...groupMappingJson(view.mapping, view.teamNames),
    groupsClaim: view.sso?.groupsClaim ?? null,
  });
});

/** Replaces the whole mapping: `{"rules": [{"group": "ml-leads", "roles": ["ml_lead"], "teams": ["Fraud"]}]}`. */
export const PUT = apiRoute(async (ctx, request) => {
  permit(mayAdminister(ctx.actor), "This needs the admin role.");
  await setGroupMapping(ctx, await readJsonObject(request));
  const view = await readGroupMapping(ctx);
  return Response.json({
    ...groupMappingJson(view.mapping, view.teamNames),
    groupsClaim: view.sso?.groupsClaim ?? null,
  });
});
