import { outcomeJson } from "@/lib/requests/api-shape";
import { recordOutcome } from "@/lib/requests/record-outcome";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(recordOutcome, outcomeJson, { status: 200 });
