import { and, eq, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import { writeAudit } from "../audit/log";
import type { KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import { consents, linkedinConnections, linkedinGrants } from "../db/schema";
import { addCount, deleteConnectionsCounted } from "./cascade";
import { ANALYTICS_PURPOSE } from "./consent";
import { revokeUserTokens, type LinkedInCredentials } from "./linkedin-revoke";
import { deleteCounted } from "./rows";

export type WithdrawalDeps = {
  database: Database;
  keyRing: KeyRing;
  linkedin: LinkedInCredentials;
  logger: Logger;
  /** Cancels queued sync jobs of the connections; returns how many. */
  cancelSyncJobs: (connectionIds: string[]) => Promise<number>;
  now?: () => Date;
};

export type WithdrawalResult = {
  /** Rows deleted, by table, including rows a foreign key would cascade to. */
  removed: Record<string, number>;
  jobsCancelled: number;
  tokensRevoked: number;
  tokensNotRevoked: number;
};

export const WITHDRAWN_REASON =
  "Consent to collect analytics was withdrawn. Syncing stopped and the data is being deleted.";

/**
 * Withdraws the person's analytics consent: marks their API connections
 * revoked and the consent withdrawn (so no sync starts again), cancels
 * queued syncs, revokes the tokens at LinkedIn, then deletes everything
 * collected under the consent with one audit row per affected workspace.
 */
export async function withdrawAnalyticsConsent(
  deps: WithdrawalDeps,
  userId: string,
): Promise<WithdrawalResult> {
  const { database } = deps;
  const now = deps.now?.() ?? new Date();
  const owned = and(
    eq(linkedinConnections.userId, userId),
    eq(linkedinConnections.source, "api"),
  );

  const stopped = await database.transaction(async (tx) => {
    await tx
      .update(consents)
      .set({ withdrawnAt: now })
      .where(
        and(
          eq(consents.userId, userId),
          eq(consents.purpose, ANALYTICS_PURPOSE),
          isNull(consents.withdrawnAt),
        ),
      );
    return tx
      .update(linkedinConnections)
      .set({
        status: "revoked",
        statusReason: WITHDRAWN_REASON,
        syncState: "idle",
        revokedAt: now,
      })
      .where(owned)
      .returning({
        id: linkedinConnections.id,
        workspaceId: linkedinConnections.workspaceId,
      });
  });
  const connectionIds = stopped.map((connection) => connection.id);
  const jobsCancelled = connectionIds.length
    ? await deps.cancelSyncJobs(connectionIds)
    : 0;
  const revocations = await revokeUserTokens(database, userId, deps);

  const removed = await database.transaction(async (tx) => {
    const counts: Record<string, number> = {};
    const workspaceIds = new Set(stopped.map((row) => row.workspaceId));
    const grants = await tx
      .select({
        id: linkedinGrants.id,
        workspaceId: linkedinGrants.workspaceId,
      })
      .from(linkedinGrants)
      .where(eq(linkedinGrants.userId, userId));
    for (const grant of grants) workspaceIds.add(grant.workspaceId);
    await deleteConnectionsCounted(tx, connectionIds, counts);
    addCount(
      counts,
      linkedinGrants,
      await deleteCounted(
        tx,
        linkedinGrants,
        eq(linkedinGrants.userId, userId),
      ),
    );
    for (const workspaceId of workspaceIds.size ? workspaceIds : [null]) {
      await writeAudit(tx, {
        workspaceId,
        actorUserId: userId,
        action: "consent.withdrawn",
        targetType: "user",
        targetId: userId,
        details: {
          purpose: ANALYTICS_PURPOSE,
          removed: counts,
          jobsCancelled,
          tokensRevoked: revocations.filter((result) => result.revoked).length,
        },
      });
    }
    return counts;
  });

  deps.logger.info(
    { userId, removed, jobsCancelled },
    "analytics consent withdrawn",
  );
  return {
    removed,
    jobsCancelled,
    tokensRevoked: revocations.filter((result) => result.revoked).length,
    tokensNotRevoked: revocations.filter((result) => !result.revoked).length,
  };
}
