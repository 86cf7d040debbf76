import { withdrawRequest } from "@/lib/requests/withdraw-request";
import { requestVerbRoute } from "@/lib/requests/verb-route";

export const POST = requestVerbRoute(withdrawRequest, { status: 200 });
