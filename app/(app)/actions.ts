"use server";

import { signOut } from "@/lib/session/config";

export async function signOutAction() {
  await signOut({ redirectTo: "/sign-in" });
}
