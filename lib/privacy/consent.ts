import { createHash } from "node:crypto";
import { and, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { Database } from "../db/client";
import { preparedQuery } from "../db/prepared";
import { consents, linkedinConnections, type Consent } from "../db/schema";

export const ANALYTICS_PURPOSE = "linkedin_analytics";

/**
 * The consent text for collecting LinkedIn analytics. Changing a word means
 * a new version: the hash of the text is stored with every acceptance, so a
 * changed text without a new version is detected as a mismatch.
 */
export const ANALYTICS_CONSENT = {
  version: "2026-12-01",
  text: [
    "Inview will collect engagement analytics from your LinkedIn account: daily impressions, reactions, comments and reshares of your posts, the number of members your posts reached, your new followers per day, and, for company pages you administer, page views, follower gains and post statistics.",
    "To do so it asks LinkedIn for the scopes listed below, stores the access token encrypted, and syncs once a day. It never posts on your behalf and never reads your messages or who viewed your profile, which LinkedIn does not provide.",
    "The members of this workspace can see these numbers on the dashboard. They are not shared with anyone else.",
    "You can withdraw this consent at any time on the Privacy page: syncing stops at once, the token is revoked at LinkedIn and the collected data is deleted.",
  ].join("\n\n"),
} as const;

export function consentTextHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export const ANALYTICS_CONSENT_SHA256 = consentTextHash(ANALYTICS_CONSENT.text);

/** Records an acceptance of the current text with its audit row, in the caller's transaction. */
export async function recordAnalyticsConsent(
  tx: Database,
  input: { userId: string; workspaceId: string; scopes: string[] },
): Promise<Consent> {
  const [consent] = await tx
    .insert(consents)
    .values({
      userId: input.userId,
      purpose: ANALYTICS_PURPOSE,
      version: ANALYTICS_CONSENT.version,
      textSha256: ANALYTICS_CONSENT_SHA256,
      scopes: input.scopes,
    })
    .returning();
  if (!consent) throw new Error("Consent insert returned no row");
  await writeAudit(tx, {
    workspaceId: input.workspaceId,
    actorUserId: input.userId,
    action: "consent.granted",
    targetType: "consent",
    targetId: consent.id,
    details: {
      purpose: ANALYTICS_PURPOSE,
      version: consent.version,
      scopes: input.scopes,
    },
  });
  return consent;
}

/** The user's consent for analytics when it is in force for the current text, else null. */
export async function currentAnalyticsConsent(
  database: Database,
  userId: string,
): Promise<Consent | null> {
  const [latest] = await latestAnalyticsConsent(database).execute({ userId });
  if (!latest) return null;
  const current =
    latest.version === ANALYTICS_CONSENT.version &&
    latest.textSha256 === ANALYTICS_CONSENT_SHA256;
  return current ? latest : null;
}

export type ConsentState =
  /** Never given, or withdrawn. */
  | "none"
  | "current"
  /** Given for an earlier text: syncing pauses until it is accepted again. */
  | "outdated";

/** The state of the person's analytics consent, with the acceptance it rests on. */
const latestAnalyticsConsent = preparedQuery((database) =>
  database
    .select()
    .from(consents)
    .where(
      and(
        eq(consents.userId, sql.placeholder("userId")),
        eq(consents.purpose, ANALYTICS_PURPOSE),
        isNull(consents.withdrawnAt),
      ),
    )
    .orderBy(desc(consents.grantedAt))
    .limit(1)
    .prepare("inview_latest_analytics_consent"),
);

export async function analyticsConsentState(
  database: Database,
  userId: string,
): Promise<{ state: ConsentState; latest: Consent | null }> {
  const [latest] = await latestAnalyticsConsent(database).execute({ userId });
  if (!latest) return { state: "none", latest: null };
  const current =
    latest.version === ANALYTICS_CONSENT.version &&
    latest.textSha256 === ANALYTICS_CONSENT_SHA256;
  return { state: current ? "current" : "outdated", latest };
}

/**
 * Sets the person's API connections that were paused for consent back to
 * active, in the caller's transaction, and returns their ids to sync.
 */
export async function resumePausedConnections(
  tx: Database,
  userId: string,
): Promise<string[]> {
  const resumed = await tx
    .update(linkedinConnections)
    .set({ status: "active", statusReason: null, syncState: "queued" })
    .where(
      and(
        eq(linkedinConnections.userId, userId),
        eq(linkedinConnections.source, "api"),
        eq(linkedinConnections.status, "paused"),
        isNotNull(linkedinConnections.grantId),
      ),
    )
    .returning({ id: linkedinConnections.id });
  return resumed.map((row) => row.id);
}
