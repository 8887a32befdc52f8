import { and, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { decryptSecret, type KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import {
  apiCalls,
  linkedinConnections,
  linkedinGrants,
  metricGaps,
  metricRangeTotals,
  type LinkedinConnection,
} from "../db/schema";
import { LinkedInClient } from "../linkedin/client";
import { addDays, todayUtc } from "../linkedin/days";
import { currentAnalyticsConsent } from "../privacy/consent";
import type { DayRange } from "../metrics/types";
import { classifyFailure } from "./failures";
import { planSync, type StepResult } from "./plan";
import { upsertDailyMetrics } from "./upsert";

export type SyncMode = "backfill" | "daily";

export type SyncDeps = {
  database: Database;
  keyRing: KeyRing;
  apiBase: string;
  logger: Logger;
  now?: () => Date;
  fetch?: typeof fetch;
};

export type SyncOutcome =
  | {
      kind: "synced";
      steps: number;
      rowsWritten: number;
      unavailable: string[];
    }
  | { kind: "skipped"; reason: string }
  | { kind: "stopped"; reason: string };

/** Days LinkedIn keeps for the backfill: a rolling year ending yesterday. */
const BACKFILL_DAYS = 365;
/** Days the daily sync rereads, because LinkedIn revises recent numbers. */
const DAILY_OVERLAP_DAYS = 7;

export class RetryableSyncError extends Error {
  override name = "RetryableSyncError";
}

function syncRange(
  mode: SyncMode,
  connection: LinkedinConnection,
  now: Date,
): DayRange {
  const yesterday = addDays(todayUtc(now), -1);
  const earliest = addDays(yesterday, -(BACKFILL_DAYS - 1));
  if (mode === "backfill" || !connection.lastSyncedAt)
    return { from: earliest, to: yesterday };
  const resumeFrom = addDays(
    todayUtc(connection.lastSyncedAt),
    -DAILY_OVERLAP_DAYS,
  );
  const from = resumeFrom < earliest ? earliest : resumeFrom;
  return { from, to: yesterday };
}

async function setConnection(
  database: Database,
  id: string,
  values: Partial<typeof linkedinConnections.$inferInsert>,
): Promise<void> {
  await database
    .update(linkedinConnections)
    .set(values)
    .where(eq(linkedinConnections.id, id));
}

async function writeStep(
  database: Database,
  connection: LinkedinConnection,
  result: StepResult,
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
    const written = await upsertDailyMetrics(tx, rows);
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
          reason: "outside the days LinkedIn serves for this endpoint",
        })
        .onConflictDoNothing();
    }
    return written;
  });
}

type Loaded = {
  connection: LinkedinConnection;
  grant: typeof linkedinGrants.$inferSelect;
};

async function load(
  database: Database,
  connectionId: string,
): Promise<Loaded | null> {
  const [row] = await database
    .select({ connection: linkedinConnections, grant: linkedinGrants })
    .from(linkedinConnections)
    .innerJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .where(
      and(
        eq(linkedinConnections.id, connectionId),
        eq(linkedinConnections.source, "api"),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Fetches a connection's metrics from LinkedIn and stores them. Stops without
 * calling LinkedIn when consent is missing or the token has expired, and turns
 * LinkedIn's errors into a connection status with a reason. Throws
 * `RetryableSyncError` for failures worth retrying (the queue retries it).
 */
export async function syncConnection(
  deps: SyncDeps,
  connectionId: string,
  mode: SyncMode,
): Promise<SyncOutcome> {
  const { database } = deps;
  const now = deps.now?.() ?? new Date();
  const loaded = await load(database, connectionId);
  if (!loaded)
    return {
      kind: "skipped",
      reason: "connection not found or not synced from the API",
    };
  const { connection, grant } = loaded;
  const log = deps.logger.child({
    connectionId,
    workspaceId: connection.workspaceId,
    mode,
  });

  if (connection.status !== "active") {
    await setConnection(database, connection.id, { syncState: "idle" });
    return { kind: "skipped", reason: `connection is ${connection.status}` };
  }
  if (!(await currentAnalyticsConsent(database, grant.userId))) {
    const reason =
      "Consent to collect analytics is missing or out of date. Accept it again to resume syncing.";
    await setConnection(database, connection.id, {
      status: "paused",
      statusReason: reason,
      syncState: "idle",
    });
    return { kind: "stopped", reason };
  }
  if (
    !grant.accessTokenEncrypted ||
    (grant.expiresAt && grant.expiresAt <= now)
  ) {
    const reason =
      "The LinkedIn access token has expired. Reconnect to resume; your history is kept.";
    await setConnection(database, connection.id, {
      status: "needs_reauth",
      statusReason: reason,
      syncState: "idle",
    });
    return { kind: "stopped", reason };
  }

  const client = new LinkedInClient({
    apiBase: deps.apiBase,
    accessToken: decryptSecret(grant.accessTokenEncrypted, deps.keyRing),
    fetch: deps.fetch,
    logger: log,
    afterCall: async (record) => {
      await database.insert(apiCalls).values({
        connectionId: connection.id,
        endpoint: record.endpoint,
        status: record.status ?? 0,
        durationMs: Math.round(record.durationMs),
        attempt: record.attempt,
      });
    },
  });

  const range = syncRange(mode, connection, now);
  const steps = planSync({
    kind: connection.kind,
    urn: connection.urn,
    scopes: grant.scopes,
    range,
    lastCompleteDay: range.to,
    now,
  });
  await setConnection(database, connection.id, {
    syncState: "running",
    syncProgress: 0,
  });
  log.info({ steps: steps.length, range }, "sync started");

  let rowsWritten = 0;
  const unavailable: string[] = [];
  for (const [index, step] of steps.entries()) {
    if (step.metrics.every((metric) => unavailable.includes(metric))) continue;
    try {
      rowsWritten += await writeStep(
        database,
        connection,
        await step.run(client),
      );
    } catch (error) {
      const outcome = classifyFailure(error);
      log.warn(
        { step: step.label, err: error, outcome: outcome.kind },
        "sync step failed",
      );
      if (outcome.kind === "metric_unavailable") {
        unavailable.push(...step.metrics);
        continue;
      }
      if (outcome.kind === "status") {
        await database.transaction(async (tx) => {
          await setConnection(tx, connection.id, {
            status: outcome.status,
            statusReason: outcome.reason,
            syncState: "idle",
            revokedAt: outcome.status === "revoked" ? now : null,
          });
          if (outcome.dropToken) {
            await tx
              .update(linkedinGrants)
              .set({
                accessTokenEncrypted: null,
                refreshTokenEncrypted: null,
                updatedAt: now,
              })
              .where(eq(linkedinGrants.id, grant.id));
          }
        });
        return { kind: "stopped", reason: outcome.reason };
      }
      await setConnection(database, connection.id, {
        syncState: "failed",
        statusReason: outcome.reason,
      });
      if (outcome.kind === "retry")
        throw new RetryableSyncError(outcome.reason, { cause: error });
      return { kind: "stopped", reason: outcome.reason };
    }
    const progress = Math.round(((index + 1) / steps.length) * 100);
    await setConnection(database, connection.id, { syncProgress: progress });
  }

  const reason = unavailable.length
    ? `Not available with the granted access: ${[...new Set(unavailable)].join(", ")}.`
    : null;
  await setConnection(database, connection.id, {
    syncState: "idle",
    syncProgress: 100,
    lastSyncedAt: now,
    statusReason: reason,
  });
  log.info({ rowsWritten, unavailable }, "sync finished");
  return {
    kind: "synced",
    steps: steps.length,
    rowsWritten,
    unavailable: [...new Set(unavailable)],
  };
}
