import "server-only";
import type { User } from "next-auth";
import type { Db } from "@/db";
import { userRoles } from "@/db/schema";
import { recordAudit } from "../audit/record";
import { systemActor, type Actor } from "../auth/actor";

export async function recordSignIn(db: Db, user: User, provider: string) {
  if (!user.id || !user.email) return;
  const actor: Actor = {
    kind: "user",
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    roles: [],
    teamIds: [],
  };
  await db.transaction((tx) =>
    recordAudit(tx, actor, { action: "auth.signed_in", entityType: "user", entityId: user.id!, data: { provider } }),
  );
}

/** A first sign-in through company SSO creates the account; it starts as a requester. */
export async function provisionSsoUser(db: Db, user: User) {
  if (!user.id) return;
  await db.transaction(async (tx) => {
    await tx.insert(userRoles).values({ userId: user.id!, role: "requester" }).onConflictDoNothing();
    await recordAudit(tx, systemActor("sso"), {
      action: "user.created",
      entityType: "user",
      entityId: user.id!,
      data: { email: user.email, roles: ["requester"], via: "sso" },
    });
  });
}
