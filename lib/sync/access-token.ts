import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import { decryptSecret, encryptSecret, type KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import { linkedinGrants, type LinkedinGrant } from "../db/schema";
import { refreshAccessToken } from "../linkedin/oauth";

export type OAuthCredentials = {
  oauthBase: string;
  clientId: string;
  clientSecret: string;
};

/** Refreshes this long before the access token expires, so no call races it. */
const REFRESH_MARGIN_MS = 60 * 60 * 1000;

function usable(expiresAt: Date | null, now: Date, marginMs: number): boolean {
  return !expiresAt || expiresAt.getTime() - marginMs > now.getTime();
}

/**
 * Returns a usable access token for the grant, refreshing it first when it
 * expires within the hour and LinkedIn issued a refresh token. Returns null
 * when the token expired and cannot be refreshed. The refresh token keeps
 * its original expiry: LinkedIn never extends it past 365 days.
 */
export async function usableAccessToken(
  database: Database,
  grant: LinkedinGrant,
  input: {
    keyRing: KeyRing;
    now: Date;
    oauth?: OAuthCredentials;
    fetch?: typeof fetch;
    logger: Logger;
  },
): Promise<string | null> {
  const { keyRing, now } = input;
  const current = grant.accessTokenEncrypted
    ? decryptSecret(grant.accessTokenEncrypted, keyRing)
    : null;
  if (current && usable(grant.expiresAt, now, REFRESH_MARGIN_MS))
    return current;

  const canRefresh =
    input.oauth &&
    grant.refreshTokenEncrypted &&
    usable(grant.refreshTokenExpiresAt, now, 0);
  if (!canRefresh || !input.oauth || !grant.refreshTokenEncrypted) {
    return current && usable(grant.expiresAt, now, 0) ? current : null;
  }
  try {
    const tokens = await refreshAccessToken({
      ...input.oauth,
      fetch: input.fetch,
      now,
      refreshToken: decryptSecret(grant.refreshTokenEncrypted, keyRing),
    });
    await database
      .update(linkedinGrants)
      .set({
        accessTokenEncrypted: encryptSecret(tokens.accessToken, keyRing),
        expiresAt: tokens.expiresAt,
        refreshTokenEncrypted: tokens.refreshToken
          ? encryptSecret(tokens.refreshToken, keyRing)
          : grant.refreshTokenEncrypted,
        updatedAt: now,
      })
      .where(eq(linkedinGrants.id, grant.id));
    input.logger.info(
      { grantId: grant.id, expiresAt: tokens.expiresAt },
      "LinkedIn access token refreshed",
    );
    return tokens.accessToken;
  } catch (error) {
    input.logger.warn(
      { grantId: grant.id, err: error },
      "LinkedIn token refresh failed",
    );
    return current && usable(grant.expiresAt, now, 0) ? current : null;
  }
}
