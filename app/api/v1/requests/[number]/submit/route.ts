import { submittedJson } from "@/lib/requests/api-shape";
import { submitRequest } from "@/lib/requests/submit-request";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(submitRequest, submittedJson, { status: 200 });
