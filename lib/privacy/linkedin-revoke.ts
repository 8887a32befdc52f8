import { and, eq, isNotNull } from "drizzle-orm";
import type { Logger } from "pino";
import { decryptSecret, type KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import { linkedinGrants } from "../db/schema";
import { OAuthError, revokeToken } from "../linkedin/oauth";

export type LinkedInCredentials = {
  oauthBase: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
};

/** Dependencies of token revocation: the key ring that decrypts a token and the app's LinkedIn credentials. */
export type TokenRevocationDeps = {
  keyRing: KeyRing;
  linkedin: LinkedInCredentials;
  logger: Logger;
};

export type RevocationResult = {
  grantId: string;
  revoked: boolean;
  /** OAuth error code or failure class when LinkedIn did not confirm. */
  error: string | null;
};

/**
 * Revokes every stored access and refresh token of the person's grants at
 * LinkedIn's revoke endpoint. A failure is recorded and logged, never
 * thrown, because it must not block a withdrawal or an erasure.
 */
export async function revokeUserTokens(
  database: Database,
  userId: string,
  deps: TokenRevocationDeps,
): Promise<RevocationResult[]> {
  const grants = await database
    .select({
      id: linkedinGrants.id,
      access: linkedinGrants.accessTokenEncrypted,
      refresh: linkedinGrants.refreshTokenEncrypted,
    })
    .from(linkedinGrants)
    .where(
      and(
        eq(linkedinGrants.userId, userId),
        isNotNull(linkedinGrants.accessTokenEncrypted),
      ),
    );

  return revokeGrantTokens(grants, userId, deps);
}

/** A grant's stored tokens, still encrypted. */
export type GrantTokens = {
  id: string;
  access: string | null;
  refresh: string | null;
};

/**
 * Revokes the access and refresh token of each grant at LinkedIn's revoke
 * endpoint. A failure is recorded and logged, never thrown.
 */
export async function revokeGrantTokens(
  grants: GrantTokens[],
  userId: string,
  deps: TokenRevocationDeps,
): Promise<RevocationResult[]> {
  const results: RevocationResult[] = [];
  for (const grant of grants) {
    let error: string | null = null;
    for (const encrypted of [grant.access, grant.refresh]) {
      if (!encrypted) continue;
      try {
        const token = decryptSecret(encrypted, deps.keyRing);
        await revokeToken({ ...deps.linkedin, token });
      } catch (caught) {
        error =
          caught instanceof OAuthError
            ? caught.code
            : caught instanceof Error
              ? caught.name
              : "unknown";
        deps.logger.warn(
          { grantId: grant.id, userId, code: error },
          "revoking a LinkedIn token failed",
        );
      }
    }
    results.push({ grantId: grant.id, revoked: error === null, error });
  }
  return results;
}
