import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import type { DatabaseHandle } from "@/lib/db/client";
import { apiBudgets, apiCalls, metricDaily } from "@/lib/db/schema";
import { APP_BUDGET_KEY } from "@/lib/linkedin/budget";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import type { SyncJob } from "@/lib/sync/jobs";
import { loadApiHealth } from "@/lib/sync/health";
import { QUEUES, createQueues, runSyncJob } from "@/lib/sync/queue";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import { connectMember, setSwitches } from "../helpers/connect";
import {
  TEST_CLIENT,
  fetchTruth,
  startTestEmulator,
} from "../helpers/emulator";

// pg-boss with several workers needs a real Postgres server, so these tests
// run only when TEST_DATABASE_URL is set.
const postgres = testEngines().find((engine) => engine.name === "postgres");

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  description: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${description}`);
    await sleep(100);
  }
}

describe.skipIf(!postgres)("sync workers on postgres", () => {
  let handle: DatabaseHandle & { url: string | null };
  let emulator: RunningEmulator;
  let deps: SyncDeps;
  const key = randomBytes(32);
  // Calls of one uninterrupted person backfill, measured by the first test.
  let callsPerBackfill = 0;

  beforeAll(async () => {
    handle = await postgres!.open();
    emulator = await startTestEmulator();
    deps = {
      database: handle.db,
      keyRing: { currentKeyId: "test", keys: new Map([["test", key]]) },
      apiBase: emulator.url,
      logger: pino({ level: "silent" }),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function callCount(connectionId: string): Promise<number> {
    const [row] = await handle.db
      .select({ count: sql<number>`count(*)::int` })
      .from(apiCalls)
      .where(eq(apiCalls.connectionId, connectionId));
    return row?.count ?? 0;
  }

  function startBoss(): PgBoss {
    const boss = new PgBoss({
      connectionString: handle.url!,
      schema: "pgboss",
      max: 3,
    });
    boss.on("error", () => {
      // A stopped test database ends the pool; nothing to report.
    });
    return boss;
  }

  it("two workers share the budget and never overlap", async () => {
    const baseline = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    await syncConnection(deps, baseline.stored.connectionId, "backfill");
    callsPerBackfill = await callCount(baseline.stored.connectionId);
    expect(callsPerBackfill).toBeGreaterThan(20);
    await setSwitches(emulator, { latencyMs: 5 });

    const members = ["ada", "alan", "grace"];
    const connected = [];
    for (const member of members)
      connected.push(
        await connectMember(handle.db, emulator, member, deps.keyRing),
      );
    const ids = connected.map((entry) => entry.stored.connectionId);
    const appBudget = Math.floor(callsPerBackfill * 2.5);
    const budgeted = {
      ...deps,
      budgets: { appDaily: appBudget, memberDaily: 1000 },
    };
    const callsBefore = emulator.state.calls.total;

    const running = new Map<string, number>();
    let overlaps = 0;
    const bosses = [startBoss(), startBoss()];
    const log = pino({ level: "silent" });
    for (const boss of bosses) {
      await boss.start();
      await createQueues(boss, {
        retryLimit: 2,
        retryDelaySeconds: 1,
        jobExpireSeconds: 60,
      });
    }
    for (const boss of bosses)
      await boss.work<SyncJob>(
        QUEUES.sync,
        { pollingIntervalSeconds: 0.5, batchSize: 1 },
        async ([job]) => {
          if (!job) return;
          const active = (running.get(job.data.connectionId) ?? 0) + 1;
          running.set(job.data.connectionId, active);
          if (active > 1) overlaps++;
          try {
            await runSyncJob(boss, budgeted, job, log);
          } finally {
            running.set(job.data.connectionId, active - 1);
          }
        },
      );
    // One job per connection: both workers compete for them. A second send
    // would queue a duplicate whose members-reached step can defer an
    // already finished connection, so the deferred count would depend on
    // timing rather than on the budget.
    for (const connectionId of ids)
      await bosses[0]!.send(
        QUEUES.sync,
        { connectionId, mode: "backfill" } satisfies SyncJob,
        { singletonKey: connectionId },
      );

    try {
      await waitFor(
        async () => {
          const result = (await handle.db.execute(sql`
            select count(*)::int as due from pgboss.job
            where name = ${QUEUES.sync}
              and (state in ('active', 'retry')
                or (state = 'created' and start_after <= now()))`)) as {
            rows: { due: number }[];
          };
          return result.rows[0]?.due === 0;
        },
        // Generous, because CI's two cores also run the other test files.
        90_000,
        "the sync jobs",
      );
    } finally {
      for (const boss of bosses)
        await boss.stop({ graceful: true, wait: true });
    }

    expect(overlaps).toBe(0);
    const totalCalls = emulator.state.calls.total - callsBefore;
    expect(totalCalls).toBeLessThanOrEqual(appBudget);
    const [budget] = await handle.db
      .select({ used: apiBudgets.used })
      .from(apiBudgets)
      .where(
        and(
          eq(apiBudgets.budgetKey, APP_BUDGET_KEY),
          eq(apiBudgets.day, todayUtc(new Date())),
        ),
      );
    expect(budget?.used).toBe(appBudget);
    const counts = await Promise.all(ids.map(callCount));
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(totalCalls);
    // No connection makes more calls than one backfill, so no step ran
    // twice. The budget covers two and a half backfills, so at least one
    // connection finishes and those that ran out wait for the next UTC
    // midnight (how many depends on how the two workers interleave).
    expect(counts.every((count) => count <= callsPerBackfill)).toBe(true);
    const finished = counts.filter((count) => count === callsPerBackfill);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    const deferred = (await handle.db.execute(sql`
      select count(*)::int as count from pgboss.job
      where name = ${QUEUES.sync} and state = 'created'
        and start_after > now()`)) as { rows: { count: number }[] };
    expect(deferred.rows[0]?.count).toBe(ids.length - finished.length);

    const stoppedIndex = counts.findIndex((count) => count < callsPerBackfill);
    const stopped = connected[stoppedIndex];
    const health = await loadApiHealth(handle.db, stopped!.owner, {
      limits: budgeted.budgets,
      now: new Date(),
    });
    expect(health.budgets[1]?.label).toBe(`Member ${members[stoppedIndex]}`);
    expect(health.budgets[0]).toMatchObject({
      used: appBudget,
      limit: appBudget,
    });
    expect(health.queued).toHaveLength(1);
    expect(health.queued[0]?.startAfter.getTime()).toBeGreaterThan(Date.now());
    expect(health.connections[0]?.lastError).toContain("budget");
    await setSwitches(emulator, { latencyMs: 0 });
  }, 150_000);

  it("a killed worker's backfill resumes and converges", async () => {
    const { stored, tokens } = await connectMember(
      handle.db,
      emulator,
      "ada",
      deps.keyRing,
    );
    await setSwitches(emulator, { latencyMs: 60 });
    const dataDir = mkdtempSync(path.join(tmpdir(), "inview-worker-"));
    const settings = {
      retryLimit: 3,
      retryDelaySeconds: 1,
      jobExpireSeconds: 8,
    };
    const childEnv = {
      ...process.env,
      DATABASE_URL: handle.url!,
      DATA_DIR: dataDir,
      TOKEN_ENCRYPTION_KEYS: `test:${key.toString("base64")}`,
      LINKEDIN_CLIENT_ID: TEST_CLIENT.clientId,
      LINKEDIN_CLIENT_SECRET: TEST_CLIENT.clientSecret,
      LINKEDIN_API_BASE: emulator.url,
      LINKEDIN_OAUTH_BASE: emulator.url,
      SYNC_RETRY_LIMIT: String(settings.retryLimit),
      SYNC_RETRY_DELAY_SECONDS: String(settings.retryDelaySeconds),
      SYNC_JOB_EXPIRE_SECONDS: String(settings.jobExpireSeconds),
      JOB_MAINTENANCE_SECONDS: "1",
      LINKEDIN_MEMBER_DAILY_BUDGET: "1000",
      LOG_LEVEL: "warn",
    };
    const output: string[] = [];
    const startWorker = (): ChildProcess => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "scripts/worker.ts"],
        { env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (chunk: Buffer) => output.push(String(chunk)));
      child.stderr?.on("data", (chunk: Buffer) => output.push(String(chunk)));
      return child;
    };

    const boss = startBoss();
    await boss.start();
    await createQueues(boss, settings);
    const jobId = await boss.send(
      QUEUES.sync,
      { connectionId: stored.connectionId, mode: "backfill" } satisfies SyncJob,
      { singletonKey: stored.connectionId },
    );
    expect(jobId).not.toBeNull();

    const first = startWorker();
    let second: ChildProcess | null = null;
    try {
      await waitFor(
        async () => (await callCount(stored.connectionId)) >= 8,
        30_000,
        "the first worker's calls",
      );
      first.kill("SIGKILL");
      await new Promise((done) => first.once("exit", done));
      const callsAtKill = await callCount(stored.connectionId);

      second = startWorker();
      await waitFor(
        async () =>
          (await boss.getJobById(QUEUES.sync, jobId!))?.state === "completed",
        45_000,
        "the resumed job",
      );
      const job = await boss.getJobById(QUEUES.sync, jobId!);
      expect(job?.retryCount).toBeGreaterThanOrEqual(1);
      expect(callsAtKill).toBeGreaterThanOrEqual(8);
      // The resumed run skips the steps written before the kill, so at most
      // the step in flight is fetched twice (members reached: 8 calls).
      expect(await callCount(stored.connectionId)).toBeLessThanOrEqual(
        callsPerBackfill + 8,
      );
    } catch (error) {
      throw new Error(`${String(error)}\nworker output:\n${output.join("")}`);
    } finally {
      first.kill("SIGKILL");
      second?.kill("SIGTERM");
      if (second) await new Promise((done) => second!.once("exit", done));
      await boss.stop({ graceful: false, wait: true });
      rmSync(dataDir, { recursive: true, force: true });
      await setSwitches(emulator, { latencyMs: 0 });
    }

    const yesterday = addDays(todayUtc(new Date()), -1);
    const range = { from: addDays(yesterday, -364), to: yesterday };
    const truth = await fetchTruth(
      emulator,
      `urn:li:person:${tokens.sub}`,
      "reactions",
      range,
    );
    const truthByDay = new Map(truth.map((point) => [point.day, point.value]));
    const rows = await handle.db
      .select({ day: metricDaily.day, value: metricDaily.value })
      .from(metricDaily)
      .where(
        and(
          eq(metricDaily.connectionId, stored.connectionId),
          eq(metricDaily.metric, "reactions"),
        ),
      );
    expect(rows).toHaveLength(365);
    for (const row of rows)
      expect(row.value, row.day).toBe(truthByDay.get(row.day) ?? 0);
  }, 60_000);
});
