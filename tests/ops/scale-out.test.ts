import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { and, eq, inArray, sql } from "drizzle-orm";
import pino from "pino";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import { apiBudgets, apiCalls, memberships, users } from "@/lib/db/schema";
import { APP_BUDGET_KEY } from "@/lib/linkedin/budget";
import { todayUtc } from "@/lib/linkedin/days";
import { QUEUES } from "@/lib/sync/queue";
import { syncConnection } from "@/lib/sync/sync-connection";
import { connectMember, setSwitches } from "../helpers/connect";
import {
  Stack,
  assertBuilt,
  compareWithTruth,
  createOpsDatabase,
  createSession,
  emulatorCalls,
  newKeyRing,
  sendSync,
  serverUrl,
  sessionCookie,
  startOpsEmulator,
  startTestBoss,
  waitFor,
  waitForSyncsIdle,
  type OpsDatabase,
} from "./stack";

// Two `next start` processes and two workers share one Postgres database.
// Sessions live in the database, so either web process serves any session.
// pg-boss hands each sync to one worker, and the LinkedIn call budgets are
// rows that every worker updates in a transaction. Then 50 signed-in people load
// the privacy page through both web processes for OPS_LOAD_SECONDS (60 by
// default) while a backfill runs. It is rendered per request from the
// session, the workspaces and the person's consents. The dashboard's HTML is
// a prerendered file that reads nothing.

const server = serverUrl();
const MEMBERS = ["ada", "alan", "grace"];
const LOAD_SECONDS = Number(process.env.OPS_LOAD_SECONDS ?? 60);
const LOAD_USERS = 50;
const MEMBER_DAILY_BUDGET = 1000;
/** Long enough that the load test's slow backfill does not expire. */
const JOB_EXPIRE_SECONDS = LOAD_SECONDS * 3 + 60;

describe.skipIf(!server)("scale-out on one database", () => {
  let database: OpsDatabase;
  let emulator: RunningEmulator;
  let stack: Stack;
  let boss: PgBoss;
  const keyRing = newKeyRing();
  /** LinkedIn calls of one uninterrupted backfill, per demo member. */
  const backfillCalls = new Map<string, number>();
  let appBudget = 0;

  async function callCount(connectionIds: string[]): Promise<number> {
    const [row] = await database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(apiCalls)
      .where(inArray(apiCalls.connectionId, connectionIds));
    return row?.count ?? 0;
  }

  beforeAll(async () => {
    assertBuilt();
    database = await createOpsDatabase(server!);
    emulator = await startOpsEmulator();
    // Each member's backfill, run once in this process without budgets,
    // gives the call count that the two workers must not exceed.
    for (const member of MEMBERS) {
      const { stored } = await connectMember(
        database.db,
        emulator,
        member,
        keyRing,
      );
      await syncConnection(
        {
          database: database.db,
          keyRing,
          apiBase: emulator.url,
          logger: pino({ level: "silent" }),
        },
        stored.connectionId,
        "backfill",
      );
      backfillCalls.set(member, await callCount([stored.connectionId]));
    }
    // Ten calls short of all three backfills, so the budget runs out while
    // both workers are busy.
    appBudget = [...backfillCalls.values()].reduce((a, b) => a + b, 0) - 10;
    stack = new Stack({
      databaseUrl: database.url,
      keyRing,
      emulatorUrl: emulator.url,
      extraEnv: {
        LINKEDIN_APP_DAILY_BUDGET: String(appBudget),
        LINKEDIN_MEMBER_DAILY_BUDGET: String(MEMBER_DAILY_BUDGET),
        SYNC_JOB_EXPIRE_SECONDS: String(JOB_EXPIRE_SECONDS),
      },
    });
    // All four start at once on a database without the job schema, as a
    // deployment may start them; pg-boss's queue creation can deadlock then.
    await Promise.all([
      stack.startApp(0),
      stack.startApp(1),
      stack.startWorker(),
      stack.startWorker(),
    ]);
    boss = await startTestBoss(database.url, JOB_EXPIRE_SECONDS);
  }, 180_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await stack?.stop();
    await emulator?.close();
    await database?.drop();
  });

  it("serves one session from either web process", async () => {
    const { owner } = await connectMember(
      database.db,
      emulator,
      "ada",
      keyRing,
    );
    const token = await createSession(database, owner.userId);
    const cookie = sessionCookie(token);
    for (const index of [0, 1]) {
      const response = await fetch(`${stack.appUrl(index)}/privacy`, {
        headers: { cookie },
        redirect: "manual",
      });
      expect(response.status, stack.appUrl(index)).toBe(200);
      expect(await response.text()).toContain("Tester ");
    }

    // Signing out on the second process ends the session on the first.
    const csrf = await fetch(`${stack.appUrl(1)}/api/auth/csrf`, {
      headers: { cookie },
    });
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers
      .getSetCookie()
      .map((value) => value.split(";")[0])
      .join("; ");
    const signOut = await fetch(`${stack.appUrl(1)}/api/auth/signout`, {
      method: "POST",
      redirect: "manual",
      headers: {
        cookie: `${cookie}; ${csrfCookie}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ csrfToken }),
    });
    expect(signOut.status).toBe(302);
    const after = await fetch(`${stack.appUrl(0)}/privacy`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(after.status).toBe(307);
    expect(after.headers.get("location")).toContain("/sign-in");
  });

  it("runs each sync once and holds the budget", async () => {
    await setSwitches(emulator, { latencyMs: 10 });
    const connected = [];
    for (const member of MEMBERS)
      connected.push(
        await connectMember(database.db, emulator, member, keyRing),
      );
    const ids = connected.map((entry) => entry.stored.connectionId);
    const before = await emulatorCalls(emulator);

    for (const connectionId of ids) {
      expect(await sendSync(boss, connectionId)).not.toBeNull();
      // The stately queue keeps one queued job per connection.
      expect(await sendSync(boss, connectionId)).toBeNull();
    }
    await waitForSyncsIdle(database, 90_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stack.describe()}`);
    });
    await setSwitches(emulator, { latencyMs: 0 });

    const after = await emulatorCalls(emulator);
    const runCalls = after.total - before.total;
    expect(runCalls).toBe(appBudget);
    expect(await callCount(ids)).toBe(runCalls);

    const [appRow] = await database.db
      .select({ used: apiBudgets.used })
      .from(apiBudgets)
      .where(
        and(
          eq(apiBudgets.budgetKey, APP_BUDGET_KEY),
          eq(apiBudgets.day, todayUtc(new Date())),
        ),
      );
    expect(appRow?.used).toBe(appBudget);
    const memberRows = await database.db
      .select({ key: apiBudgets.budgetKey, used: apiBudgets.used })
      .from(apiBudgets)
      .where(sql`${apiBudgets.budgetKey} <> ${APP_BUDGET_KEY}`);
    expect(memberRows).toHaveLength(MEMBERS.length);
    for (const row of memberRows)
      expect(row.used, row.key).toBeLessThanOrEqual(MEMBER_DAILY_BUDGET);

    // No connection made more calls than one backfill, and each member's
    // calls at the emulator match its connection's recorded calls.
    let finished = 0;
    for (const [index, member] of MEMBERS.entries()) {
      const calls = await callCount([ids[index]!]);
      const memberCalls =
        (after.byMember[member] ?? 0) - (before.byMember[member] ?? 0);
      expect(memberCalls, member).toBe(calls);
      expect(calls, member).toBeLessThanOrEqual(backfillCalls.get(member)!);
      if (calls === backfillCalls.get(member)) {
        finished++;
        const comparison = await compareWithTruth(database, emulator, {
          connectionId: ids[index]!,
          subject: `urn:li:person:${connected[index]!.tokens.sub}`,
        });
        expect(comparison.mismatches, member).toEqual([]);
      }
    }
    expect(finished).toBeGreaterThanOrEqual(1);

    const jobs = (await database.db.execute(sql`
      select data->>'connectionId' as "connectionId", state,
        retry_count as "retryCount"
      from pgboss.job where name = ${QUEUES.sync}
        and data->>'connectionId' in ${ids}`)) as {
      rows: { connectionId: string; state: string; retryCount: number }[];
    };
    for (const connectionId of ids) {
      const own = jobs.rows.filter((job) => job.connectionId === connectionId);
      const completed = own.filter((job) => job.state === "completed");
      expect(completed, connectionId).toHaveLength(1);
      expect(completed[0]?.retryCount, connectionId).toBe(0);
    }
    const deferred = jobs.rows.filter((job) => job.state === "created");
    expect(deferred).toHaveLength(MEMBERS.length - finished);
  }, 120_000);

  it(
    "serves 50 signed-in people during a backfill",
    async () => {
      // A new UTC day for the budgets, so the backfill below may call LinkedIn.
      await database.db.delete(apiBudgets);
      const { owner } = await connectMember(
        database.db,
        emulator,
        "alan",
        keyRing,
      );
      const cookies: string[] = [];
      for (let index = 0; index < LOAD_USERS; index++) {
        const id = randomUUID();
        await database.db
          .insert(users)
          .values({ id, name: `Viewer ${index}`, email: `${id}@example.test` });
        await database.db.insert(memberships).values({
          workspaceId: owner.workspaceId,
          userId: id,
          role: "viewer",
        });
        cookies.push(sessionCookie(await createSession(database, id)));
      }

      // The first renders of a fresh process take seconds; warm both up so
      // the run measures steady state.
      for (const index of [0, 1])
        for (let round = 0; round < 3; round++) {
          const response = await fetch(`${stack.appUrl(index)}/privacy`, {
            headers: { cookie: cookies[index]! },
            redirect: "manual",
          });
          expect(response.status).toBe(200);
          await response.arrayBuffer();
        }

      const { stored } = await connectMember(
        database.db,
        emulator,
        "grace",
        keyRing,
      );
      // Slow LinkedIn calls stretch the backfill to twice the load run.
      const latencyMs = Math.round(
        (LOAD_SECONDS * 1000 * 2) / backfillCalls.get("grace")!,
      );
      await setSwitches(emulator, { latencyMs });
      const backfill = await sendSync(boss, stored.connectionId);
      await waitFor(
        async () => (await callCount([stored.connectionId])) >= 1,
        30_000,
        "the backfill to start",
      );

      const perProcess = LOAD_USERS / 2;
      const runs = await Promise.all(
        [0, 1].map((index) => {
          let next = index * perProcess;
          return autocannon({
            url: `${stack.appUrl(index)}/privacy`,
            connections: perProcess,
            duration: LOAD_SECONDS,
            timeout: 10,
            setupClient: (client) => {
              client.setHeaders({ cookie: cookies[next++]! });
            },
          });
        }),
      );
      const backfillState = (await boss.getJobById(QUEUES.sync, backfill!))
        ?.state;
      await setSwitches(emulator, { latencyMs: 0 });

      const summary = {
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
        seconds: LOAD_SECONDS,
        users: LOAD_USERS,
        backfillStateAtEnd: backfillState,
        processes: runs.map((run, index) => ({
          url: stack.appUrl(index),
          requests: run.requests.total,
          requestsPerSecond: run.requests.average,
          latencyP50Ms: run.latency.p50,
          latencyP99Ms: run.latency.p99,
          latencyMaxMs: run.latency.max,
          errors: run.errors,
          timeouts: run.timeouts,
          non2xx: run.non2xx,
        })),
        total: {
          requests: runs.reduce((sum, run) => sum + run.requests.total, 0),
          requestsPerSecond: runs.reduce(
            (sum, run) => sum + run.requests.average,
            0,
          ),
        },
      };
      const file = path.join(os.tmpdir(), "inview-ops-load.json");
      writeFileSync(file, JSON.stringify(summary, null, 2) + "\n");
      console.log(
        `load results (also in ${file}):\n${JSON.stringify(summary, null, 2)}`,
      );

      // The backfill was still running when the load ended.
      expect(backfillState).toBe("active");
      for (const run of runs) {
        expect(run.errors).toBe(0);
        expect(run.timeouts).toBe(0);
        expect(run.non2xx).toBe(0);
        expect(run.requests.total).toBeGreaterThan(0);
      }
    },
    (LOAD_SECONDS + 120) * 1000,
  );
});
