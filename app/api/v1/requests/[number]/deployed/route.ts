import { markDeployed } from "@/lib/requests/mark-deployed";
import { requestVerbRoute } from "@/lib/requests/verb-route";

export const POST = requestVerbRoute(markDeployed, { status: 200 });
