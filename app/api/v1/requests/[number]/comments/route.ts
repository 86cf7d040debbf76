import { addComment } from "@/lib/requests/add-comment";
import { requestVerbRoute } from "@/lib/requests/verb-route";

export const POST = requestVerbRoute(addComment, { status: 201 });
