import { statusJson } from "@/lib/requests/api-shape";
import { revokeRequest } from "@/lib/requests/revoke-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(revokeRequest, statusJson, { status: 200 });
