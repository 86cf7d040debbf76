import { commentJson } from "@/lib/requests/api-shape";
import { addComment } from "@/lib/requests/add-comment";
import { requestVerbRoute } from "@/lib/http/request-verb-route";

export const POST = requestVerbRoute(addComment, commentJson, { status: 201 });
