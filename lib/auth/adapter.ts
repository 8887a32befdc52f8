import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import type { Database } from "../db/client";
import { accounts, sessions, users, verificationTokens } from "../db/schema";
import { createPersonalWorkspace } from "../workspaces/personal";
import { hashSessionToken } from "./session-lookup";

/**
 * The drizzle adapter with three changes: session tokens are stored as
 * SHA-256 hashes, sign-in tokens from LinkedIn are dropped (Inview never
 * calls LinkedIn with them), and a new user gets a personal workspace in the
 * same transaction as the user row.
 */
export function inviewAdapter(database: Database): Adapter {
  const base = DrizzleAdapter(database, {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });

  const withToken = (
    session: AdapterSession,
    token: string,
  ): AdapterSession => ({
    ...session,
    sessionToken: token,
  });

  return {
    ...base,
    async createUser(user) {
      return database.transaction(async (tx) => {
        const [created] = await tx
          .insert(users)
          .values({ ...user, id: crypto.randomUUID() })
          .returning();
        if (!created) throw new Error("User insert returned no row");
        await createPersonalWorkspace(tx, created);
        return created as AdapterUser;
      });
    },
    async linkAccount(account) {
      await base.linkAccount?.({
        ...account,
        access_token: undefined,
        refresh_token: undefined,
        id_token: undefined,
      });
    },
    async createSession(session) {
      const created = await base.createSession!({
        ...session,
        sessionToken: hashSessionToken(session.sessionToken),
      });
      return withToken(created, session.sessionToken);
    },
    async getSessionAndUser(sessionToken) {
      const found = await base.getSessionAndUser!(
        hashSessionToken(sessionToken),
      );
      return (
        found && { ...found, session: withToken(found.session, sessionToken) }
      );
    },
    async updateSession(session) {
      const updated = await base.updateSession!({
        ...session,
        sessionToken: hashSessionToken(session.sessionToken),
      });
      return updated && withToken(updated, session.sessionToken);
    },
    async deleteSession(sessionToken) {
      await base.deleteSession!(hashSessionToken(sessionToken));
    },
  };
}
