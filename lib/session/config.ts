import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import type { Db } from "@/db";
import { getDb } from "../db";
import { getEnv, type Env } from "../env";
import { syncDirectoryGroups } from "../sso/sync-directory-groups";
import { sendSignInLink, SIGN_IN_LINK_HOURS } from "../notifications/sign-in-link";
import { findUserByEmail } from "../users/queries";
import { loadActor } from "../auth/load-actor";
import { recordSignIn, provisionSsoUser } from "./sign-in-events";
import { refreshSessionToken } from "./refresh-token";
import { emailLinkDecision } from "./sign-in-request";

// Auth.js v5. Sessions are JWTs (the demo provider is a credentials provider, which needs them);
// the jwt callback reloads the user on every request, so a deactivated user is out at once.
export const { handlers, auth, signIn, signOut } = NextAuth(async () => authOptions(await getDb(), getEnv()));

/** The whole Auth.js configuration for one database and environment (tests drive it against a stand-in IdP). */
export function authOptions(db: Db, env: Env): NextAuthConfig {
  const providers: Provider[] = [
    {
      id: "email",
      type: "email",
      name: "Email",
      maxAge: SIGN_IN_LINK_HOURS * 3600,
      sendVerificationRequest: ({ identifier, url }) => sendSignInLink(db, { email: identifier, url }),
    },
  ];
  if (env.demoMode) {
    providers.push(
      Credentials({
        id: "demo",
        name: "Demo account",
        credentials: { email: { label: "Email", type: "email" } },
        authorize: async (credentials) => {
          const user = await findUserByEmail(db, String(credentials?.email ?? ""));
          return user?.active ? { id: user.id, email: user.email, name: user.name } : null;
        },
      }),
    );
  }
  if (env.oidc) {
    providers.push({
      id: "oidc",
      name: env.oidc.name,
      type: "oidc",
      issuer: env.oidc.issuer,
      clientId: env.oidc.clientId,
      clientSecret: env.oidc.clientSecret,
      // The company's identity provider vouches for the address: link it to the invited account.
      allowDangerousEmailAccountLinking: true,
    });
  }

  return {
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    secret: env.authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 12 * 3600 },
    pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
    providers,
    callbacks: {
      async signIn({ user, account, email }) {
        // Asking for a link: an unknown or deactivated address gets the same answer as a sent link.
        if (email?.verificationRequest) return emailLinkDecision(db, user.email);
        if (account?.provider === "oidc") {
          const existing = user.email ? await findUserByEmail(db, user.email) : null;
          return existing ? existing.active : true; // new SSO users are provisioned as requesters
        }
        // Email links only for people an admin has added, and only while they are active.
        const existing = user.email ? await findUserByEmail(db, user.email) : null;
        return Boolean(existing?.active);
      },
      async jwt({ token, user, account, profile }) {
        // At an SSO sign-in (account and profile are only there then), the directory's groups decide
        // the roles and teams the mapping names, before the first session is issued. A failure fails
        // the sign-in: a role the directory took away must not outlive a sync that did not run.
        if (account?.provider === "oidc" && env.oidc && user?.id) {
          await syncDirectoryGroups(db, user.id, profile?.[env.oidc.groupsClaim]);
        }
        return refreshSessionToken((id) => loadActor(db, id), token, user);
      },
      session({ session, token }) {
        session.user = {
          ...session.user,
          id: token.sub!,
          email: token.email ?? "",
          name: token.name ?? null,
          roles: token.roles ?? [],
          teamIds: token.teamIds ?? [],
        };
        return session;
      },
    },
    events: {
      signIn: ({ user, account }) => recordSignIn(db, user, account?.provider ?? "unknown"),
      createUser: ({ user }) => provisionSsoUser(db, user),
    },
  };
}
