import { overrideJson } from "@/lib/requests/api-shape";
import { overrideCheck } from "@/lib/requests/override-check";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(overrideCheck, overrideJson, { status: 200 });
