import { markDeployed } from "@/lib/requests/mark-deployed";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(markDeployed, { status: 200 });
