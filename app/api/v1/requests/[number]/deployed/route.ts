import { statusJson } from "@/lib/requests/api-shape";
import { markDeployed } from "@/lib/requests/mark-deployed";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(markDeployed, statusJson, { status: 200 });
