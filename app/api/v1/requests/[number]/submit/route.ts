import { submitRequest } from "@/lib/requests/submit-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(submitRequest, { status: 200 });
