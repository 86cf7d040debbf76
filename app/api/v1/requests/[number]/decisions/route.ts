import { decisionJson } from "@/lib/requests/api-shape";
import { decide } from "@/lib/requests/decide";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(decide, decisionJson, { status: 201 });
