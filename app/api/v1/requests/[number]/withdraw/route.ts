import { statusJson } from "@/lib/requests/api-shape";
import { withdrawRequest } from "@/lib/requests/withdraw-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(withdrawRequest, statusJson, { status: 200 });
