import { and, eq } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { WorkspaceContext } from "../auth/permissions";
import { encryptSecret, type KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import { accounts, linkedinConnections, linkedinGrants } from "../db/schema";
import type { TokenSet } from "../linkedin/oauth";
import { ANALYTICS_SCOPES } from "../linkedin/scopes";
import { ValidationError } from "../errors";

/**
 * Scopes the connect step requests: the analytics scopes, plus `openid` so
 * the id_token proves the grant came from the signed-in member and not from
 * another LinkedIn account chosen on LinkedIn's screen.
 */
export const CONNECT_SCOPES = ["openid", ...ANALYTICS_SCOPES] as const;

export const CONNECT_CALLBACK_PATH = "/api/connections/linkedin/callback";

/** The LinkedIn member id (`sub`) the user signed in with, or null. */
export async function signInSubject(
  database: Database,
  userId: string,
): Promise<string | null> {
  const [account] = await database
    .select({ sub: accounts.providerAccountId })
    .from(accounts)
    .where(and(eq(accounts.userId, userId), eq(accounts.provider, "linkedin")))
    .limit(1);
  return account?.sub ?? null;
}

export type StoredGrant = {
  grantId: string;
  connectionId: string;
  reconnected: boolean;
};

/**
 * Stores a new analytics grant: the token encrypted, the scopes LinkedIn
 * actually granted, and the member's own connection, replacing an earlier
 * grant of the same member in the workspace. History is kept.
 */
export async function storeGrant(
  database: Database,
  context: WorkspaceContext,
  input: {
    sub: string;
    name: string;
    consentId: string;
    tokens: TokenSet;
    keyRing: KeyRing;
  },
): Promise<StoredGrant> {
  const { tokens, keyRing } = input;
  if (tokens.scopes.length === 0)
    throw new ValidationError("LinkedIn granted no scopes.");
  const memberUrn = `urn:li:person:${input.sub}`;
  const grantValues = {
    userId: context.userId,
    workspaceId: context.workspaceId,
    consentId: input.consentId,
    memberUrn,
    accessTokenEncrypted: encryptSecret(tokens.accessToken, keyRing),
    refreshTokenEncrypted: tokens.refreshToken
      ? encryptSecret(tokens.refreshToken, keyRing)
      : null,
    expiresAt: tokens.expiresAt,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt,
    scopes: tokens.scopes,
    updatedAt: new Date(),
  };

  return database.transaction(async (tx) => {
    const [grant] = await tx
      .insert(linkedinGrants)
      .values(grantValues)
      .onConflictDoUpdate({
        target: [linkedinGrants.workspaceId, linkedinGrants.memberUrn],
        set: grantValues,
      })
      .returning({ id: linkedinGrants.id });
    if (!grant) throw new Error("Grant upsert returned no row");

    const [existing] = await tx
      .select({ id: linkedinConnections.id })
      .from(linkedinConnections)
      .where(
        and(
          eq(linkedinConnections.workspaceId, context.workspaceId),
          eq(linkedinConnections.urn, memberUrn),
        ),
      )
      .limit(1);
    const connectionValues = {
      grantId: grant.id,
      status: "active" as const,
      statusReason: null,
      syncState: "queued" as const,
      syncProgress: 0,
    };
    const [connection] = existing
      ? await tx
          .update(linkedinConnections)
          .set(connectionValues)
          .where(eq(linkedinConnections.id, existing.id))
          .returning({ id: linkedinConnections.id })
      : await tx
          .insert(linkedinConnections)
          .values({
            ...connectionValues,
            workspaceId: context.workspaceId,
            userId: context.userId,
            kind: "person",
            urn: memberUrn,
            name: input.name,
            source: "api",
          })
          .returning({ id: linkedinConnections.id });
    if (!connection) throw new Error("Connection write returned no row");

    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: existing ? "connection.reconnected" : "connection.connected",
      targetType: "linkedin_connection",
      targetId: connection.id,
      details: { urn: memberUrn, scopes: tokens.scopes },
    });
    return {
      grantId: grant.id,
      connectionId: connection.id,
      reconnected: Boolean(existing),
    };
  });
}
