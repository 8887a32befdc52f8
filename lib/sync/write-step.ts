import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  metricGaps,
  metricRangeTotals,
  syncCheckpoints,
  type LinkedinConnection,
} from "../db/schema";
import type { StepResult } from "./plan";
import { upsertPostDaily } from "./post-steps";
import { recordSyncGaps } from "./sync-gaps";
import { upsertDailyMetrics } from "./upsert";

/** A checkpoint older than this is ignored, because LinkedIn revises recent days. */
const CHECKPOINT_MAX_AGE_MS = 2 * 86_400_000;

/**
 * Writes one step's rows and marks the step done in the connection's
 * checkpoint, in one transaction, so a crash leaves either both or neither.
 * Returns the number of daily rows inserted or changed.
 */
export async function writeStep(
  database: Database,
  connection: LinkedinConnection,
  result: StepResult,
  input: { label: string; now: Date },
): Promise<number> {
  return database.transaction(async (tx) => {
    const rows = result.daily.flatMap(({ metric, values }) =>
      values.map((value) => ({
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        metric,
        day: value.day,
        value: value.value,
        source: "api" as const,
      })),
    );
    const written =
      (await upsertDailyMetrics(tx, rows)) +
      (await upsertPostDaily(tx, connection, result.postDaily ?? []));
    // A step's days are one run without holes: its windows are zero-filled.
    for (const { metric, values } of result.daily) {
      const first = values[0];
      const last = values.at(-1);
      if (first && last)
        await recordSyncGaps(tx, connection.id, metric, {
          from: first.day,
          to: last.day,
        });
    }
    for (const total of result.rangeTotals) {
      const values = {
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        metric: total.metric,
        rangeDays: total.rangeDays,
        period: total.period,
        rangeStart: total.range.from,
        rangeEnd: total.range.to,
        value: total.value,
      };
      await tx
        .insert(metricRangeTotals)
        .values(values)
        .onConflictDoUpdate({
          target: [
            metricRangeTotals.connectionId,
            metricRangeTotals.metric,
            metricRangeTotals.rangeDays,
            metricRangeTotals.period,
          ],
          set: { ...values, fetchedAt: sql`now()` },
        });
    }
    for (const gap of result.gaps) {
      await tx
        .insert(metricGaps)
        .values({
          connectionId: connection.id,
          metric: gap.metric,
          rangeStart: gap.range.from,
          rangeEnd: gap.range.to,
          kind: "not_served",
          reason: "outside the days LinkedIn serves for this endpoint",
        })
        .onConflictDoNothing();
    }
    await tx
      .insert(syncCheckpoints)
      .values({
        connectionId: connection.id,
        completedSteps: [input.label],
        updatedAt: input.now,
      })
      .onConflictDoUpdate({
        target: syncCheckpoints.connectionId,
        set: {
          completedSteps: sql`array_append(${syncCheckpoints.completedSteps}, ${input.label})`,
          updatedAt: input.now,
        },
      });
    return written;
  });
}

/** Returns the labels of steps an interrupted sync already wrote. */
export async function completedSteps(
  database: Database,
  connectionId: string,
  now: Date,
): Promise<Set<string>> {
  const [row] = await database
    .select()
    .from(syncCheckpoints)
    .where(eq(syncCheckpoints.connectionId, connectionId))
    .limit(1);
  if (!row || now.getTime() - row.updatedAt.getTime() > CHECKPOINT_MAX_AGE_MS)
    return new Set();
  return new Set(row.completedSteps);
}

export async function clearCheckpoint(
  database: Database,
  connectionId: string,
): Promise<void> {
  await database
    .delete(syncCheckpoints)
    .where(eq(syncCheckpoints.connectionId, connectionId));
}
