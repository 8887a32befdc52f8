import { eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import { apiCalls, linkedinConnections } from "@/lib/db/schema";
import { QUEUES } from "@/lib/sync/queue";
import { connectMember, setSwitches } from "../helpers/connect";
import {
  Stack,
  assertBuilt,
  compareWithTruth,
  createOpsDatabase,
  createSession,
  newKeyRing,
  readInBrowser,
  sendSync,
  serverUrl,
  sessionCookie,
  sleep,
  startOpsEmulator,
  startTestBoss,
  waitFor,
  type OpsDatabase,
} from "./stack";

// LinkedIn (the emulator) returns a 5xx for every API call for a while. The
// sync backs off through pg-boss retries and resumes once LinkedIn is back,
// while the dashboard keeps serving the stored data with a notice.

const server = serverUrl();

/** Returns the text of the element with the data-testid, with tags removed. */
function testIdText(html: string, testId: string): string | null {
  const match = new RegExp(
    `data-testid="${testId}"[^>]*>([\\s\\S]*?)</(?:p|span|time|div)>`,
  ).exec(html);
  return match ? match[1]!.replace(/<[^>]+>/g, "").trim() : null;
}

describe.skipIf(!server)("LinkedIn outage", () => {
  let database: OpsDatabase;
  let emulator: RunningEmulator;
  let stack: Stack;
  let boss: PgBoss;
  const keyRing = newKeyRing();

  beforeAll(async () => {
    assertBuilt();
    database = await createOpsDatabase(server!);
    emulator = await startOpsEmulator();
    stack = new Stack({
      databaseUrl: database.url,
      keyRing,
      emulatorUrl: emulator.url,
    });
    // The test's pg-boss creates the job schema before any process starts.
    boss = await startTestBoss(database.url);
    await stack.startApp(0);
    await stack.startWorker();
  });

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await stack?.stop();
    await emulator?.close();
    await database?.drop();
  });

  it("backs off, resumes and keeps the dashboard serving", async () => {
    const { owner, stored, tokens } = await connectMember(
      database.db,
      emulator,
      "alan",
      keyRing,
    );
    const connectionId = stored.connectionId;
    const cookie = sessionCookie(await createSession(database, owner.userId));
    // The page is a shell: the figures and the notices render in the
    // browser from the dashboard's server action, so a browser reads them.
    const dashboard = () =>
      readInBrowser(stack.appUrl(0), cookie, "/dashboard", async (page) => {
        await page
          .getByTestId("kpi-reactions-value")
          .waitFor({ timeout: 15_000 });
        return page.content();
      });

    const backfill = await sendSync(boss, connectionId);
    await waitFor(
      async () =>
        (await boss.getJobById(QUEUES.sync, backfill!))?.state === "completed",
      60_000,
      "the first backfill",
    );
    const fresh = await dashboard();
    const reactions = testIdText(fresh, "kpi-reactions-value");
    expect(reactions).toMatch(/^[\d,]+$/);
    expect(fresh).not.toContain('data-testid="stale-data-notice"');
    const [synced] = await database.db
      .select({ lastSyncedAt: linkedinConnections.lastSyncedAt })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, connectionId));
    expect(synced?.lastSyncedAt).toBeInstanceOf(Date);

    await setSwitches(emulator, { errorRate: 1 });
    const callsBefore = emulator.state.calls.total;
    const outageStarted = Date.now();
    const daily = await sendSync(boss, connectionId, "daily");
    expect(daily).not.toBeNull();
    await waitFor(
      async () => {
        const [row] = await database.db
          .select({ state: linkedinConnections.syncState })
          .from(linkedinConnections)
          .where(eq(linkedinConnections.id, connectionId));
        return row?.state === "failed";
      },
      30_000,
      "the sync to fail",
    );

    const stale = await dashboard();
    expect(stale).toContain('data-testid="stale-data-notice"');
    expect(stale).toContain("Data as of");
    expect(stale.toLowerCase()).toContain(
      `datetime="${synced!.lastSyncedAt!.toISOString().toLowerCase()}"`,
    );
    expect(testIdText(stale, "kpi-reactions-value")).toBe(reactions);

    // pg-boss retries the failed job later, with a growing delay, instead of
    // calling LinkedIn in a loop.
    await waitFor(
      async () =>
        ((await boss.getJobById(QUEUES.sync, daily!))?.retryCount ?? 0) >= 2,
      30_000,
      "two retries of the daily sync",
    );
    const outageSeconds = (Date.now() - outageStarted) / 1000;
    const outageCalls = emulator.state.calls.total - callsBefore;
    expect(outageCalls).toBeLessThan(outageSeconds * 5);
    const failedCalls = await database.db
      .select({ status: apiCalls.status })
      .from(apiCalls)
      .where(eq(apiCalls.connectionId, connectionId));
    expect(failedCalls.some((call) => call.status >= 500)).toBe(true);

    await setSwitches(emulator, { errorRate: 0 });
    await waitFor(
      async () =>
        (await boss.getJobById(QUEUES.sync, daily!))?.state === "completed",
      60_000,
      "the daily sync to resume",
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stack.describe()}`);
    });
    const [resumed] = await database.db
      .select({
        state: linkedinConnections.syncState,
        lastSyncedAt: linkedinConnections.lastSyncedAt,
      })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, connectionId));
    expect(resumed?.state).toBe("idle");
    expect(resumed!.lastSyncedAt!.getTime()).toBeGreaterThan(
      synced!.lastSyncedAt!.getTime(),
    );
    expect(await dashboard()).not.toContain('data-testid="stale-data-notice"');

    const comparison = await compareWithTruth(database, emulator, {
      connectionId,
      subject: `urn:li:person:${tokens.sub}`,
    });
    expect(comparison.mismatches).toEqual([]);

    // A sync that last finished 40 hours ago also gets the notice.
    const old = new Date(Date.now() - 40 * 3_600_000);
    await database.db
      .update(linkedinConnections)
      .set({ lastSyncedAt: old })
      .where(eq(linkedinConnections.id, connectionId));
    await sleep(100);
    const aged = await dashboard();
    expect(aged).toContain("No sync has finished in the last 36 hours");
    expect(aged.toLowerCase()).toContain(
      `datetime="${old.toISOString().toLowerCase()}"`,
    );
    expect(testIdText(aged, "kpi-reactions-value")).toBe(reactions);
  }, 180_000);
});
