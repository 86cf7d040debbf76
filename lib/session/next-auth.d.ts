import type { DefaultSession } from "next-auth";
import type { Role } from "@/db/schema/org";

// The session carries who the user is, their roles and teams (refreshed from the database on every
// request by the jwt callback), so pages can render navigation without another query.
declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string | null; roles: Role[]; teamIds: string[] } & Omit<
      DefaultSession["user"],
      "id" | "email" | "name"
    >;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    roles?: Role[];
    teamIds?: string[];
  }
}
