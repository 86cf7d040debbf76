import { decide } from "@/lib/requests/decide";
import { requestVerbRoute } from "@/lib/requests/verb-route";

export const POST = requestVerbRoute(decide, { status: 201 });
