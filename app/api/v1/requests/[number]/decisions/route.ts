import { decisionJson } from "@/lib/approvals/api-shape";
import { decide } from "@/lib/approvals/decide";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(decide, decisionJson, { status: 201 });
