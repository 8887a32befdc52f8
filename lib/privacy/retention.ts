import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { RetentionDays } from "../env";
import {
  apiCalls,
  auditEvents,
  linkedinConnections,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  postMetricDaily,
  purgeRuns,
  rateLimits,
} from "../db/schema";
import { deleteCounted } from "./rows";

export const PURGE_QUEUE = "privacy-purge";
/** The purge runs daily at 04:00 UTC, after the 03:00 sync has been queued. */
export const PURGE_CRON = "0 4 * * *";

/** Rate-limit windows are at most an hour, so a day-old counter is dead. */
const RATE_LIMIT_DAYS = 1;

const daysBefore = (now: Date, days: number) =>
  new Date(now.getTime() - days * 86_400_000);

/**
 * Deletes what is past its retention window and records the run in
 * `purge_runs`: LinkedIn call records, audit events, the metrics of
 * connections revoked long enough ago, rows left without a connection once
 * a workspace or connection was deleted, and old rate-limit counters.
 */
export async function purgeExpiredData(
  database: Database,
  retention: RetentionDays,
  now: Date = new Date(),
): Promise<Record<string, number>> {
  const [run] = await database
    .insert(purgeRuns)
    .values({ startedAt: now })
    .returning({ id: purgeRuns.id });
  if (!run) throw new Error("Purge run insert returned no row");

  try {
    const removed = await database.transaction(async (tx) => {
      const revoked = sql`(select ${linkedinConnections.id} from ${linkedinConnections} where ${linkedinConnections.status} = 'revoked' and ${linkedinConnections.revokedAt} < ${daysBefore(now, retention.revokedMetrics)})`;
      return {
        api_calls: await deleteCounted(
          tx,
          apiCalls,
          lt(apiCalls.calledAt, daysBefore(now, retention.apiCalls)),
        ),
        api_calls_without_connection: await deleteCounted(
          tx,
          apiCalls,
          and(
            isNull(apiCalls.connectionId),
            lt(
              apiCalls.calledAt,
              daysBefore(now, retention.deletedWorkspaceData),
            ),
          ) ?? sql`false`,
        ),
        audit_events: await deleteCounted(
          tx,
          auditEvents,
          lt(auditEvents.createdAt, daysBefore(now, retention.auditEvents)),
        ),
        metric_daily: await deleteCounted(
          tx,
          metricDaily,
          inArray(metricDaily.connectionId, revoked),
        ),
        post_metric_daily: await deleteCounted(
          tx,
          postMetricDaily,
          inArray(postMetricDaily.connectionId, revoked),
        ),
        metric_range_totals: await deleteCounted(
          tx,
          metricRangeTotals,
          inArray(metricRangeTotals.connectionId, revoked),
        ),
        metric_gaps: await deleteCounted(
          tx,
          metricGaps,
          inArray(metricGaps.connectionId, revoked),
        ),
        rate_limits: await deleteCounted(
          tx,
          rateLimits,
          lt(rateLimits.windowStart, daysBefore(now, RATE_LIMIT_DAYS)),
        ),
      };
    });
    await database
      .update(purgeRuns)
      .set({ status: "succeeded", finishedAt: new Date(), removed })
      .where(eq(purgeRuns.id, run.id));
    return removed;
  } catch (error) {
    await database
      .update(purgeRuns)
      .set({
        status: "failed",
        finishedAt: new Date(),
        error: error instanceof Error ? error.message : String(error),
      })
      .where(eq(purgeRuns.id, run.id));
    throw error;
  }
}
