import { eq } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import { syncCheckpoints } from "@/lib/db/schema";
import { QUEUES } from "@/lib/sync/queue";
import { connectMember, setSwitches } from "../helpers/connect";
import {
  OPS_PORTS,
  Stack,
  TcpProxy,
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

// Postgres goes away while a web process serves requests and a worker runs
// a backfill. The shared Postgres server is not restarted: a TCP proxy in
// front of it drops every connection and refuses new ones for 10 seconds.

const server = serverUrl();

/** Opens the page in Chromium and returns the error page's heading. */
function pageErrorHeading(
  app: string,
  cookie: string,
  pagePath: string,
): Promise<string> {
  return readInBrowser(
    app,
    cookie,
    pagePath,
    async (page) =>
      (await page.getByTestId("page-error").textContent({ timeout: 15_000 })) ??
      "",
  );
}
const OUTAGE_MS = 10_000;

describe.skipIf(!server)("database outage", () => {
  let database: OpsDatabase;
  let emulator: RunningEmulator;
  let proxy: TcpProxy;
  let stack: Stack;
  let boss: PgBoss;
  const keyRing = newKeyRing();

  beforeAll(async () => {
    assertBuilt();
    database = await createOpsDatabase(server!);
    emulator = await startOpsEmulator();
    const target = new URL(database.url);
    proxy = new TcpProxy(OPS_PORTS.databaseProxy, {
      host: target.hostname,
      port: Number(target.port || 5432),
    });
    await proxy.restore();
    stack = new Stack({
      databaseUrl: proxy.urlFor(database.url),
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
    await proxy?.cut();
    await emulator?.close();
    await database?.drop();
  });

  it("fails cleanly, recovers and converges", async () => {
    const { owner, stored, tokens } = await connectMember(
      database.db,
      emulator,
      "ada",
      keyRing,
    );
    const cookie = sessionCookie(await createSession(database, owner.userId));
    const app = stack.appUrl(0);
    // The privacy page is rendered per request from the database. The
    // dashboard's HTML is prerendered, and its data comes through actions.
    const privacy = () =>
      fetch(`${app}/privacy`, { headers: { cookie }, redirect: "manual" });
    expect((await privacy()).status).toBe(200);

    // Slow calls keep the backfill running across the outage.
    await setSwitches(emulator, { latencyMs: 40 });
    const jobId = await sendSync(boss, stored.connectionId);
    expect(jobId).not.toBeNull();
    await waitFor(
      async () => {
        const [row] = await database.db
          .select({ steps: syncCheckpoints.completedSteps })
          .from(syncCheckpoints)
          .where(eq(syncCheckpoints.connectionId, stored.connectionId));
        return (row?.steps.length ?? 0) >= 2;
      },
      60_000,
      "two checkpointed sync steps",
    );

    try {
      await proxy.cut();
      const outageStarted = Date.now();
      await sleep(500);

      const health = await fetch(`${app}/api/health`);
      expect(health.status).toBe(503);
      expect(health.headers.get("retry-after")).toBe("5");
      const healthBody = (await health.json()) as {
        status: string;
        code: string;
        message: string;
      };
      expect(healthBody.status).toBe("error");
      expect(healthBody.code).toBe("database_unavailable");
      expect(healthBody.message).toContain("unreachable");

      const exportResponse = await fetch(`${app}/api/me/data`, {
        headers: { cookie },
      });
      expect(exportResponse.status).toBe(503);
      const exportBody = (await exportResponse.json()) as {
        error: { code: string; message: string };
      };
      expect(exportBody.error.code).toBe("database_unavailable");

      const page = await privacy();
      expect(page.status).toBe(500);
      // Next.js sends an error shell and renders app/error.tsx in the
      // browser, so the test reads the rendered page in Chromium.
      expect(await pageErrorHeading(app, cookie, "/privacy")).toBe(
        "This page could not load",
      );
      // The dashboard's file is served, and its account request fails.
      const dashboard = await fetch(`${app}/dashboard`, {
        headers: { cookie },
        redirect: "manual",
      });
      expect(dashboard.status).toBe(200);
      expect(await pageErrorHeading(app, cookie, "/dashboard")).toBe(
        "This page could not load",
      );

      await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
      expect(stack.apps[0]!.running, stack.apps[0]!.describe()).toBe(true);
      expect(stack.workers[0]!.running, stack.workers[0]!.describe()).toBe(
        true,
      );
    } finally {
      await proxy.restore();
    }

    await waitFor(
      async () => (await fetch(`${app}/api/health`)).status === 200,
      15_000,
      "the health check to pass again",
    );
    expect((await privacy()).status).toBe(200);

    await waitFor(
      async () =>
        (await boss.getJobById(QUEUES.sync, jobId!))?.state === "completed",
      90_000,
      "the backfill to complete after the outage",
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stack.describe()}`);
    });
    const job = await boss.getJobById(QUEUES.sync, jobId!);
    expect(job?.retryCount).toBeGreaterThanOrEqual(1);

    const comparison = await compareWithTruth(database, emulator, {
      connectionId: stored.connectionId,
      subject: `urn:li:person:${tokens.sub}`,
    });
    expect(comparison.metrics).toContain("reactions");
    expect(comparison.mismatches).toEqual([]);
    expect(stack.apps[0]!.running, stack.apps[0]!.describe()).toBe(true);
    expect(stack.workers[0]!.running, stack.workers[0]!.describe()).toBe(true);
    await setSwitches(emulator, { latencyMs: 0 });
  }, 180_000);
});
