import { and, eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import {
  apiCalls,
  linkedinConnections,
  linkedinGrants,
  type LinkedinConnection,
  type LinkedinGrant,
} from "../db/schema";
import { consumeBudget, type BudgetLimits } from "../linkedin/budget";
import { LinkedInClient, type LinkedInClientOptions } from "../linkedin/client";
import { LINKEDIN_VERSION } from "../linkedin/config";
import { addDays, todayUtc } from "../linkedin/days";
import { currentAnalyticsConsent } from "../privacy/consent";
import type { DayRange } from "../metrics/types";
import { usableAccessToken, type OAuthCredentials } from "./access-token";
import {
  markRevoked,
  recordLastError,
  recordVersionSunset,
  replaceUnavailableMetrics,
  setConnection,
  clearVersionSunset,
  type Unavailable,
} from "./connection-state";
import { classifyFailure, type FailureOutcome } from "./failures";
import { planSync } from "./plan";
import { loadKnownPosts, planPostSteps } from "./post-steps";
import { clearCheckpoint, completedSteps, writeStep } from "./write-step";

export type SyncMode = "backfill" | "daily";

export type SyncDeps = {
  database: Database;
  keyRing: KeyRing;
  apiBase: string;
  logger: Logger;
  /** The current time. Tests pass the emulator's virtual clock. */
  now?: () => Date;
  fetch?: typeof fetch;
  /** Daily call budgets. Without them, calls are not counted against any. */
  budgets?: BudgetLimits;
  /** The LinkedIn app's credentials, needed to use refresh tokens. */
  oauth?: OAuthCredentials;
  /** Days a revoked connection's data is kept, 30 when not given. */
  revokedRetentionDays?: number;
  /** Client settings such as backoff delays, for tests. */
  client?: Partial<
    Pick<
      LinkedInClientOptions,
      | "version"
      | "timeoutMs"
      | "maxAttempts"
      | "baseDelayMs"
      | "maxDelayMs"
      | "sleep"
    >
  >;
};

export type SyncOutcome =
  | {
      kind: "synced";
      steps: number;
      rowsWritten: number;
      unavailable: string[];
    }
  | { kind: "skipped"; reason: string }
  | { kind: "stopped"; reason: string }
  /** A quota is spent, so the job must run again at `until`. */
  | { kind: "deferred"; reason: string; until: Date }
  /** A failure that retrying cannot fix (a bug or a sunset version). */
  | { kind: "failed"; reason: string };

/** Days LinkedIn keeps for the backfill: a rolling year ending yesterday. */
const BACKFILL_DAYS = 365;
/** Days the daily sync rereads, because LinkedIn revises recent numbers. */
const DAILY_OVERLAP_DAYS = 7;
const DEFAULT_RETENTION_DAYS = 30;

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

type Loaded = { connection: LinkedinConnection; grant: LinkedinGrant };

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

/** Checks what must hold before any call and returns the outcome that stops the sync. */
async function precheck(
  deps: SyncDeps,
  loaded: Loaded,
): Promise<SyncOutcome | null> {
  const { database } = deps;
  const { connection, grant } = loaded;
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
  return null;
}

/** Applies a failure that ends the sync and returns the sync's outcome. */
async function applyFailure(
  deps: SyncDeps,
  loaded: Loaded,
  outcome: Exclude<FailureOutcome, { kind: "metric_unavailable" }>,
  input: { error: unknown; now: Date; log: Logger },
): Promise<SyncOutcome> {
  const { database } = deps;
  const { connection, grant } = loaded;
  const path =
    input.error && typeof input.error === "object" && "endpoint" in input.error
      ? String(input.error.endpoint)
      : null;
  await recordLastError(database, connection.id, {
    message: outcome.reason,
    path,
    at: input.now,
  });

  switch (outcome.kind) {
    case "status":
      if (outcome.status === "revoked") {
        await markRevoked(database, {
          connectionId: connection.id,
          grantId: grant.id,
          reason: outcome.reason,
          now: input.now,
          retentionDays: deps.revokedRetentionDays ?? DEFAULT_RETENTION_DAYS,
        });
      } else {
        await setConnection(database, connection.id, {
          status: outcome.status,
          statusReason: outcome.reason,
          syncState: "idle",
        });
      }
      return { kind: "stopped", reason: outcome.reason };
    case "version_sunset":
      await recordVersionSunset(database, {
        version: outcome.version,
        message: outcome.reason,
        detectedAt: input.now.toISOString(),
      });
      input.log.error(
        { version: outcome.version },
        "LinkedIn rejected the pinned API version",
      );
      await setConnection(database, connection.id, {
        syncState: "failed",
        statusReason: outcome.reason,
      });
      return { kind: "failed", reason: outcome.reason };
    case "bug":
      // A 400 means Inview built a wrong request: log it as a bug, with the
      // path only, because the query may contain member data.
      input.log.error(
        { endpoint: outcome.endpoint, err: input.error },
        "LinkedIn rejected a request as invalid; this is a bug",
      );
      await setConnection(database, connection.id, {
        syncState: "failed",
        statusReason: outcome.reason,
      });
      return { kind: "failed", reason: outcome.reason };
    case "defer":
      await setConnection(database, connection.id, {
        syncState: "queued",
        statusReason: outcome.reason,
        nextSyncAt: outcome.until,
      });
      return { kind: "deferred", reason: outcome.reason, until: outcome.until };
    case "retry":
      await setConnection(database, connection.id, {
        syncState: "failed",
        statusReason: outcome.reason,
      });
      throw new RetryableSyncError(outcome.reason, { cause: input.error });
  }
}

function createClient(
  deps: SyncDeps,
  loaded: Loaded,
  accessToken: string,
  input: { now: () => Date; log: Logger },
): LinkedInClient {
  const { database, budgets } = deps;
  let budgetRemaining: number | null = null;
  return new LinkedInClient({
    ...deps.client,
    apiBase: deps.apiBase,
    accessToken,
    fetch: deps.fetch,
    logger: input.log,
    beforeCall: async () => {
      if (!budgets) return;
      const left = await consumeBudget(database, {
        memberKey: loaded.grant.memberUrn,
        limits: budgets,
        now: input.now(),
      });
      budgetRemaining = Math.min(left.app, left.member);
    },
    afterCall: async (record) => {
      await database.insert(apiCalls).values({
        connectionId: loaded.connection.id,
        endpoint: record.endpoint,
        status: record.status ?? 0,
        durationMs: Math.round(record.durationMs),
        attempt: record.attempt,
        budgetRemaining,
      });
    },
  });
}

/**
 * Fetches a connection's metrics from LinkedIn and stores them. Stops without
 * calling LinkedIn when consent is missing or the token has expired and
 * cannot be refreshed, and turns
 * LinkedIn's errors into a connection status with a reason. Resumes after
 * the steps an interrupted sync already wrote. Throws `RetryableSyncError`
 * for failures worth retrying.
 */
export async function syncConnection(
  deps: SyncDeps,
  connectionId: string,
  mode: SyncMode,
): Promise<SyncOutcome> {
  const { database } = deps;
  const clock = deps.now ?? (() => new Date());
  const now = clock();
  const version = deps.client?.version ?? LINKEDIN_VERSION;
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

  const stop = await precheck(deps, loaded);
  if (stop) return stop;
  const accessToken = await usableAccessToken(database, grant, {
    keyRing: deps.keyRing,
    now,
    oauth: deps.oauth,
    fetch: deps.fetch,
    logger: log,
  });
  if (!accessToken) {
    const reason =
      "The LinkedIn access token has expired. Reconnect to resume; your history is kept.";
    await setConnection(database, connection.id, {
      status: "needs_reauth",
      statusReason: reason,
      syncState: "idle",
    });
    return { kind: "stopped", reason };
  }

  const client = createClient(deps, loaded, accessToken, { now: clock, log });
  const range = syncRange(mode, connection, now);
  const steps = [
    ...planSync({
      kind: connection.kind,
      urn: connection.urn,
      scopes: grant.scopes,
      range,
      lastCompleteDay: range.to,
      now,
    }),
    ...planPostSteps({
      kind: connection.kind,
      urn: connection.urn,
      scopes: grant.scopes,
      mode,
      range,
      earliest: syncRange("backfill", connection, now).from,
      posts: await loadKnownPosts(database, connection.id),
      now,
    }),
  ];
  const done = await completedSteps(database, connection.id, now);
  await setConnection(database, connection.id, {
    syncState: "running",
    syncProgress: 0,
  });
  log.info({ steps: steps.length, resumed: done.size, range }, "sync started");

  let rowsWritten = 0;
  const unavailable = new Map<string, Unavailable>();
  for (const [index, step] of steps.entries()) {
    if (done.has(step.label)) continue;
    if (step.metrics.every((metric) => unavailable.has(metric))) continue;
    try {
      const result = await step.run(client);
      if (result.refusedPosts?.length) {
        log.warn(
          { step: step.label, posts: result.refusedPosts },
          "LinkedIn refused the analytics of a post; it is skipped",
        );
      }
      rowsWritten += await writeStep(database, connection, result, {
        label: step.label,
        now: clock(),
      });
    } catch (error) {
      const outcome = classifyFailure(error, {
        kind: connection.kind,
        metrics: step.metrics,
        scopes: grant.scopes,
        version,
        now: clock(),
      });
      log.warn(
        { step: step.label, err: error, outcome: outcome.kind },
        "sync step failed",
      );
      if (outcome.kind !== "metric_unavailable")
        return applyFailure(deps, loaded, outcome, {
          error,
          now: clock(),
          log,
        });
      for (const metric of step.metrics)
        unavailable.set(metric, {
          metric,
          reason: outcome.reason,
          missingScope: outcome.missingScope,
          missingRole: outcome.missingRole,
        });
      continue;
    }
    const progress = Math.round(((index + 1) / steps.length) * 100);
    await setConnection(database, connection.id, { syncProgress: progress });
  }

  const finished = clock();
  await replaceUnavailableMetrics(
    database,
    connection.id,
    [...unavailable.values()],
    finished,
  );
  await clearCheckpoint(database, connection.id);
  // A successful sync shows that the pinned version is served again.
  await clearVersionSunset(database, version);
  const names = [...unavailable.keys()];
  await setConnection(database, connection.id, {
    syncState: "idle",
    syncProgress: 100,
    lastSyncedAt: finished,
    nextSyncAt: null,
    statusReason: names.length
      ? `Not available with the granted access: ${names.join(", ")}. See below for what is missing.`
      : null,
  });
  log.info({ rowsWritten, unavailable: names }, "sync finished");
  return {
    kind: "synced",
    steps: steps.length,
    rowsWritten,
    unavailable: names,
  };
}
