import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  apiCalls,
  connectionHealth,
  linkedinConnections,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  syncCheckpoints,
  unavailableMetrics,
} from "../db/schema";

/**
 * Deletes the LinkedIn-derived data of connections that stayed revoked past
 * their retention period: daily metrics, range totals, gaps and sync state.
 * A connection that was reconnected in the meantime is active again and
 * kept. Returns the ids of the purged connections.
 */
export async function purgeRevokedConnections(
  database: Database,
  now: Date,
): Promise<string[]> {
  return database.transaction(async (tx) => {
    const due = await tx
      .select({ id: connectionHealth.connectionId })
      .from(connectionHealth)
      .innerJoin(
        linkedinConnections,
        eq(linkedinConnections.id, connectionHealth.connectionId),
      )
      .where(
        and(
          eq(linkedinConnections.status, "revoked"),
          lte(connectionHealth.purgeAfter, now),
          isNull(connectionHealth.purgedAt),
        ),
      );
    const ids = due.map((row) => row.id);
    if (ids.length === 0) return [];

    await tx.delete(metricDaily).where(inArray(metricDaily.connectionId, ids));
    await tx
      .delete(metricRangeTotals)
      .where(inArray(metricRangeTotals.connectionId, ids));
    await tx.delete(metricGaps).where(inArray(metricGaps.connectionId, ids));
    await tx
      .delete(unavailableMetrics)
      .where(inArray(unavailableMetrics.connectionId, ids));
    await tx
      .delete(syncCheckpoints)
      .where(inArray(syncCheckpoints.connectionId, ids));
    await tx.delete(apiCalls).where(inArray(apiCalls.connectionId, ids));
    await tx
      .update(connectionHealth)
      .set({ purgedAt: now })
      .where(inArray(connectionHealth.connectionId, ids));
    await tx
      .update(linkedinConnections)
      .set({
        statusReason:
          "Access was revoked in LinkedIn's settings and the retention period ended, so the collected LinkedIn data was deleted. Connect again to start over.",
        lastSyncedAt: null,
      })
      .where(inArray(linkedinConnections.id, ids));
    return ids;
  });
}
