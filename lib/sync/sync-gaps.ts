import { and, desc, eq, gte, lt, lte } from "drizzle-orm";
import type { Database } from "../db/client";
import { metricDaily, metricGaps } from "../db/schema";
import { addDays } from "../linkedin/days";
import type { MetricName } from "../metrics/registry";
import type { DayRange } from "../metrics/types";

const NOT_SYNCED_REASON =
  "No sync wrote these days: the connection was not synced, or the metric was not available, for longer than a sync reaches back.";

/**
 * Keeps a connection's not-synced days in step with the days a sync step
 * writes for one metric. Days between the last stored day before `written`
 * and its first day are recorded as not synced, so the dashboard shows them
 * as missing instead of 0. Not-synced days inside `written` are removed,
 * because they now hold rows. Runs in the step's transaction.
 */
export async function recordSyncGaps(
  tx: Database,
  connectionId: string,
  metric: MetricName,
  written: DayRange,
): Promise<void> {
  const [before] = await tx
    .select({ day: metricDaily.day })
    .from(metricDaily)
    .where(
      and(
        eq(metricDaily.connectionId, connectionId),
        eq(metricDaily.metric, metric),
        lt(metricDaily.day, written.from),
      ),
    )
    .orderBy(desc(metricDaily.day))
    .limit(1);
  const firstMissing = before ? addDays(before.day, 1) : null;
  if (firstMissing !== null && firstMissing < written.from) {
    await tx
      .insert(metricGaps)
      .values({
        connectionId,
        metric,
        rangeStart: firstMissing,
        rangeEnd: addDays(written.from, -1),
        kind: "not_synced",
        reason: NOT_SYNCED_REASON,
      })
      .onConflictDoNothing();
  }

  const filled = await tx
    .delete(metricGaps)
    .where(
      and(
        eq(metricGaps.connectionId, connectionId),
        eq(metricGaps.metric, metric),
        eq(metricGaps.kind, "not_synced"),
        lte(metricGaps.rangeStart, written.to),
        gte(metricGaps.rangeEnd, written.from),
      ),
    )
    .returning({ from: metricGaps.rangeStart, to: metricGaps.rangeEnd });
  const rest = filled.flatMap((gap) => [
    ...(gap.from < written.from
      ? [{ from: gap.from, to: addDays(written.from, -1) }]
      : []),
    ...(gap.to > written.to
      ? [{ from: addDays(written.to, 1), to: gap.to }]
      : []),
  ]);
  if (rest.length === 0) return;
  await tx
    .insert(metricGaps)
    .values(
      rest.map((span) => ({
        connectionId,
        metric,
        rangeStart: span.from,
        rangeEnd: span.to,
        kind: "not_synced" as const,
        reason: NOT_SYNCED_REASON,
      })),
    )
    .onConflictDoNothing();
}
