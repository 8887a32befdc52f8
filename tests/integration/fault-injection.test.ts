import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  apiBudgets,
  connectionHealth,
  linkedinConnections,
  metricDaily,
  unavailableMetrics,
} from "@/lib/db/schema";
import { addDays, countDays, todayUtc } from "@/lib/linkedin/days";
import { discoverOrganizations } from "@/lib/sync/discover";
import { executeSyncJob, type SyncJob } from "@/lib/sync/jobs";
import type { SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import { connectMember, setClock, setSwitches } from "../helpers/connect";
import { fetchTruth, startTestEmulator } from "../helpers/emulator";

const MEMBER_DAILY = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "follower_gains",
];
const PAGE_DAILY = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "page_views",
];

type Queued = SyncJob & { runAt: number; attempts: number };

/**
 * Runs sync jobs the way the queue does: retries up to the retry limit,
 * deferred jobs wait for their start time, and the virtual clock jumps to
 * the next start time whenever only deferred jobs are left.
 */
async function drainJobs(
  deps: SyncDeps,
  emulator: RunningEmulator,
  jobs: SyncJob[],
): Promise<{ midnights: number; failed: string[] }> {
  const queue: Queued[] = jobs.map((job) => ({
    ...job,
    runAt: 0,
    attempts: 0,
  }));
  const failed: string[] = [];
  let midnights = 0;
  const log = pino({ level: "silent" });
  for (let round = 0; queue.length > 0 && round < 500; round++) {
    const now = emulator.state.clock.now();
    const index = queue.findIndex((job) => job.runAt <= now);
    if (index < 0) {
      const next = Math.min(...queue.map((job) => job.runAt));
      await setClock(emulator, new Date(next));
      midnights++;
      continue;
    }
    const [job] = queue.splice(index, 1);
    if (!job) break;
    const decision = await executeSyncJob(deps, job, log);
    if (decision.kind === "defer") {
      queue.push({
        ...decision.job,
        runAt: decision.startAfter.getTime(),
        attempts: 0,
      });
    } else if (decision.kind === "retry") {
      if (job.attempts + 1 > 5) failed.push(job.connectionId);
      else queue.push({ ...job, attempts: job.attempts + 1 });
    }
  }
  expect(queue, "jobs left after the drain").toEqual([]);
  return { midnights, failed };
}

describe.each(testEngines())("fault injection on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let deps: SyncDeps;

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    // Late in a UTC day, so the quota's reset comes within the test, and
    // never behind the real clock: the client checks the expiry of the
    // emulator's one-hour id_token against the real clock when connecting.
    const realNow = new Date();
    const lateToday = new Date(`${todayUtc(realNow)}T21:00:00Z`);
    await setClock(emulator, realNow > lateToday ? realNow : lateToday);
    deps = {
      database: handle.db,
      keyRing: {
        currentKeyId: "test",
        keys: new Map([["test", randomBytes(32)]]),
      },
      apiBase: emulator.url,
      logger: pino({ level: "silent" }),
      now: () => new Date(emulator.state.clock.now()),
      budgets: { appDaily: 10_000, memberDaily: 10_000 },
      client: { baseDelayMs: 1, maxDelayMs: 5 },
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function storedSeries(connectionId: string, metric: string) {
    const rows = await handle.db
      .select({ day: metricDaily.day, value: metricDaily.value })
      .from(metricDaily)
      .where(
        and(
          eq(metricDaily.connectionId, connectionId),
          eq(metricDaily.metric, metric),
        ),
      )
      .orderBy(metricDaily.day);
    return new Map(rows.map((row) => [row.day, row.value]));
  }

  it("converges to the truth despite faults and quotas", async () => {
    const ada = await connectMember(handle.db, emulator, "ada", deps.keyRing);
    const alan = await connectMember(handle.db, emulator, "alan", deps.keyRing);
    const grace = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    const [adaPage] = await discoverOrganizations(deps, ada.stored.grantId);
    const [alanPage] = await discoverOrganizations(deps, alan.stored.grantId);
    expect(adaPage).toBeDefined();
    expect(alanPage).toBeDefined();
    await setSwitches(emulator, {
      errorRate: 0.2,
      appDailyQuota: 70,
      revokedMembers: ["grace"],
      missingPageRole: ["alan"],
    });
    const startDay = todayUtc(deps.now!());

    const { midnights, failed } = await drainJobs(
      deps,
      emulator,
      [
        ada.stored.connectionId,
        adaPage!,
        alan.stored.connectionId,
        alanPage!,
        grace.stored.connectionId,
      ].map((connectionId) => ({ connectionId, mode: "backfill" })),
    );

    expect(midnights).toBeGreaterThanOrEqual(1);
    expect(failed).toEqual([]);
    // The 03:00 daily sync brings every connection up to the new yesterday,
    // including those whose backfill finished before midnight. The quota is
    // back to LinkedIn's default so the top-up does not cross another day.
    await setSwitches(emulator, { appDailyQuota: 500 });
    const active = await handle.db
      .select({ id: linkedinConnections.id })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.status, "active"));
    const daily = await drainJobs(
      deps,
      emulator,
      active.map((row) => ({ connectionId: row.id, mode: "daily" })),
    );
    expect(daily.failed).toEqual([]);
    expect(todayUtc(deps.now!()) > startDay).toBe(true);
    const yesterday = addDays(todayUtc(deps.now!()), -1);
    const range = { from: addDays(yesterday, -364), to: yesterday };
    for (const [member, connectionId] of [
      [ada.tokens.sub, ada.stored.connectionId],
      [alan.tokens.sub, alan.stored.connectionId],
    ] as const) {
      for (const metric of MEMBER_DAILY) {
        const truth = await fetchTruth(
          emulator,
          `urn:li:person:${member}`,
          metric,
          range,
        );
        const truthByDay = new Map(
          truth.map((point) => [point.day, point.value]),
        );
        const stored = await storedSeries(connectionId, metric);
        for (let day = range.from; day <= range.to; day = addDays(day, 1))
          expect(stored.get(day), `${metric} ${day}`).toBe(
            truthByDay.get(day) ?? 0,
          );
      }
    }
    const [page] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, adaPage!));
    for (const metric of PAGE_DAILY) {
      const truth = await fetchTruth(emulator, page!.urn, metric, range);
      const stored = await storedSeries(adaPage!, metric);
      // The emulator leaves out a page's quiet days (about 18 %), so a year
      // has about 300 days of truth, sometimes fewer. Every other day of
      // the range must be stored as 0.
      expect(truth.length, metric).toBeGreaterThan(countDays(range) / 2);
      const truthByDay = new Map(
        truth.map((point) => [point.day, point.value]),
      );
      for (let day = range.from; day <= range.to; day = addDays(day, 1))
        expect(stored.get(day), `${metric} ${day}`).toBe(
          truthByDay.get(day) ?? 0,
        );
    }

    const graceRows = await storedSeries(
      grace.stored.connectionId,
      "impressions",
    );
    expect(graceRows.size).toBe(0);
    const [revoked] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, grace.stored.connectionId));
    expect(revoked?.status).toBe("revoked");
    const [health] = await handle.db
      .select()
      .from(connectionHealth)
      .where(eq(connectionHealth.connectionId, grace.stored.connectionId));
    expect(health?.purgeAfter).not.toBeNull();

    const alanPageRows = await storedSeries(alanPage!, "page_views");
    expect(alanPageRows.size).toBe(0);
    const missing = await handle.db
      .select()
      .from(unavailableMetrics)
      .where(eq(unavailableMetrics.connectionId, alanPage!));
    expect(missing.map((row) => row.metric).sort()).toEqual(
      [...PAGE_DAILY, "follower_gains"].sort(),
    );
    expect(missing.every((row) => row.missingRole === "ADMINISTRATOR")).toBe(
      true,
    );
    const [alanPageRow] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, alanPage!));
    expect(alanPageRow?.status).toBe("active");

    const budgets = await handle.db.select().from(apiBudgets);
    expect(budgets.length).toBeGreaterThan(0);
  });
});
