import { randomBytes } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import pino from "pino";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import type { DatabaseHandle } from "@/lib/db/client";
import { accounts, apiCalls, metricDaily, users } from "@/lib/db/schema";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { DAILY_METRICS, METRICS } from "@/lib/metrics/registry";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { createPersonalWorkspace } from "@/lib/workspaces/personal";
import {
  authorizeMember,
  fetchTruth,
  TEST_CLIENT,
  TEST_REDIRECT_URI,
} from "@/tests/helpers/emulator";
import { elapsedMs, spreadOf, type Spread } from "./stats";

// A backfill of many member connections against the emulator with no added
// latency: every connection is granted through the emulator's OAuth flow,
// synced with syncConnection, and its stored series compared with the
// emulator's ground truth. The emulator has three demo members, so each of
// them is connected in many workspaces.

const MEMBERS = ["ada", "grace", "alan"];
/** Member daily metrics the backfill fills and the truth check compares. */
const PERSON_METRICS = DAILY_METRICS.filter(
  (metric) => METRICS[metric].sources.person,
);

export type BackfillRound = {
  wallSeconds: number;
  calls: number;
  callsPerSecond: number;
  rowsWritten: number;
  matchesTruth: boolean;
  mismatches: string[];
};

export type BackfillFigures = {
  connections: number;
  days: number;
  concurrency: number;
  rounds: BackfillRound[];
  wallSeconds: Spread;
  callsPerSecond: Spread;
  matchesTruth: boolean;
};

async function connectMember(
  handle: DatabaseHandle,
  emulator: RunningEmulator,
  deps: SyncDeps,
  label: string,
  memberId: string,
): Promise<string> {
  const userId = `bench-backfill-${label}`;
  await handle.db.insert(users).values({ id: userId, name: label });
  const workspaceId = await handle.db.transaction((tx) =>
    createPersonalWorkspace(tx, { id: userId, name: label }),
  );
  const context = { userId, workspaceId, role: "owner" as const };
  const tokens = await authorizeMember(emulator, memberId, [...CONNECT_SCOPES]);
  // The same demo member signs in to many bench workspaces.
  await handle.db
    .insert(accounts)
    .values({
      userId,
      type: "oidc",
      provider: "linkedin",
      providerAccountId: tokens.sub,
    })
    .onConflictDoUpdate({
      target: [accounts.provider, accounts.providerAccountId],
      set: { userId },
    });
  const consent = await handle.db.transaction((tx) =>
    recordAnalyticsConsent(tx, { ...context, scopes: tokens.scopes }),
  );
  const stored = await storeGrant(handle.db, context, {
    sub: tokens.sub,
    name: memberId,
    consentId: consent.id,
    tokens,
    keyRing: deps.keyRing,
  });
  return stored.connectionId;
}

/** Runs `task` over the items with at most `limit` running at once. */
async function runPooled<T>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Compares each connection's stored series with the emulator's truth; returns the differences. */
async function compareWithTruth(
  handle: DatabaseHandle,
  emulator: RunningEmulator,
  connections: { id: string; urn: string }[],
  now: Date,
): Promise<string[]> {
  const yesterday = addDays(todayUtc(now), -1);
  const range = { from: addDays(yesterday, -364), to: yesterday };
  const truthCache = new Map<string, Map<string, number>>();
  const mismatches: string[] = [];
  for (const connection of connections) {
    for (const metric of PERSON_METRICS) {
      const key = `${connection.urn}|${metric}`;
      let truth = truthCache.get(key);
      if (!truth) {
        const points = await fetchTruth(
          emulator,
          connection.urn,
          metric,
          range,
        );
        truth = new Map(points.map((point) => [point.day, point.value]));
        truthCache.set(key, truth);
      }
      const stored = await handle.db
        .select({ day: metricDaily.day, value: metricDaily.value })
        .from(metricDaily)
        .where(
          and(
            eq(metricDaily.connectionId, connection.id),
            eq(metricDaily.metric, metric),
          ),
        );
      const storedByDay = new Map(stored.map((row) => [row.day, row.value]));
      // Member series are zero-filled, so every day of the range has a row.
      for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
        const expected = truth.get(day) ?? 0;
        if (storedByDay.get(day) !== expected) {
          mismatches.push(`${connection.id} ${metric} ${day}`);
          break;
        }
      }
    }
  }
  return mismatches;
}

async function runRound(
  handle: DatabaseHandle,
  emulator: RunningEmulator,
  deps: SyncDeps,
  round: number,
  options: { connections: number; concurrency: number },
): Promise<BackfillRound> {
  const ids: string[] = [];
  for (let index = 0; index < options.connections; index++) {
    const member = MEMBERS[index % MEMBERS.length] ?? "ada";
    ids.push(
      await connectMember(handle, emulator, deps, `${round}-${index}`, member),
    );
  }

  let rowsWritten = 0;
  const start = process.hrtime.bigint();
  await runPooled(ids, options.concurrency, async (id) => {
    const outcome = await syncConnection(deps, id, "backfill");
    if (outcome.kind !== "synced")
      throw new Error(
        `backfill of ${id} ended ${outcome.kind}: ${outcome.reason}`,
      );
    rowsWritten += outcome.rowsWritten;
  });
  const wallSeconds = elapsedMs(start) / 1000;

  const [counted] = await handle.db
    .select({ calls: sql<number>`count(*)`.mapWith(Number) })
    .from(apiCalls)
    .where(inArray(apiCalls.connectionId, ids));
  const calls = counted?.calls ?? 0;
  const connections = await handle.sql.executeSql(
    "select id, urn from linkedin_connections where id = any($1::uuid[])",
    [ids],
  );
  const mismatches = await compareWithTruth(
    handle,
    emulator,
    connections.rows as { id: string; urn: string }[],
    deps.now?.() ?? new Date(),
  );
  return {
    wallSeconds,
    calls,
    callsPerSecond: calls / wallSeconds,
    rowsWritten,
    matchesTruth: mismatches.length === 0,
    mismatches: mismatches.slice(0, 10),
  };
}

export async function measureBackfill(
  handle: DatabaseHandle,
  options: { connections: number; concurrency: number; rounds: number },
): Promise<BackfillFigures> {
  const emulator = await startEmulator({
    port: 0,
    ...TEST_CLIENT,
    redirectUris: [TEST_REDIRECT_URI],
    latencyMs: 0,
    appDailyQuota: 1_000_000_000,
    memberDailyQuota: 1_000_000_000,
  });
  const deps: SyncDeps = {
    database: handle.db,
    keyRing: {
      currentKeyId: "bench",
      keys: new Map([["bench", randomBytes(32)]]),
    },
    apiBase: emulator.url,
    logger: pino({ level: "silent" }),
  };
  try {
    const rounds: BackfillRound[] = [];
    for (let round = 0; round < options.rounds; round++) {
      rounds.push(await runRound(handle, emulator, deps, round, options));
    }
    return {
      connections: options.connections,
      days: 365,
      concurrency: options.concurrency,
      rounds,
      wallSeconds: spreadOf(rounds.map((entry) => entry.wallSeconds)),
      callsPerSecond: spreadOf(rounds.map((entry) => entry.callsPerSecond)),
      matchesTruth: rounds.every((entry) => entry.matchesTruth),
    };
  } finally {
    await emulator.close();
  }
}
