import { addComment } from "@/lib/requests/add-comment";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(addComment, { status: 201 });
