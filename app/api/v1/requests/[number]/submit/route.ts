import { submitRequest } from "@/lib/requests/submit-request";
import { requestVerbRoute } from "@/lib/requests/verb-route";

export const POST = requestVerbRoute(submitRequest, { status: 200 });
