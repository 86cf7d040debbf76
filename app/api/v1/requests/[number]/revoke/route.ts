import { revokeRequest } from "@/lib/requests/revoke-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(revokeRequest, { status: 200 });
