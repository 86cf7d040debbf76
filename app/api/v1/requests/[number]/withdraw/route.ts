import { withdrawRequest } from "@/lib/requests/withdraw-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(withdrawRequest, { status: 200 });
