import { handlers } from "@/lib/session/config";

export const { GET, POST } = handlers;
