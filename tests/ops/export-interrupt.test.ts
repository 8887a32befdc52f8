import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, metricDaily, rateLimits } from "@/lib/db/schema";
import type { ExportManifest } from "@/lib/privacy/export";
import { createConnection, createOwner } from "../helpers/fixtures";
import { readZip } from "../helpers/zip";
import {
  Stack,
  assertBuilt,
  createOpsDatabase,
  createSession,
  newKeyRing,
  serverUrl,
  sessionCookie,
  type OpsDatabase,
} from "./stack";

// The web process is killed with SIGKILL while it streams a personal data
// export. The export only reads, so the database keeps every row. The
// partial download is not a readable ZIP, and a retry on the restarted
// process returns a complete one whose manifest matches its files.
//
// A worker killed mid-job is covered by "a killed worker's backfill resumes
// and converges" in tests/integration/workers.test.ts, which SIGKILLs a
// `scripts/worker.ts` process and checks the resumed data against the truth.

const server = serverUrl();
const CONNECTIONS = 12;
const DAYS = 2000;
const METRICS = ["impressions", "reactions", "comments", "reshares"];

describe.skipIf(!server)("export interrupted by a killed web process", () => {
  let database: OpsDatabase;
  let stack: Stack;

  beforeAll(async () => {
    assertBuilt();
    database = await createOpsDatabase(server!);
    stack = new Stack({
      databaseUrl: database.url,
      keyRing: newKeyRing(),
      emulatorUrl: "http://127.0.0.1:9",
    });
    await stack.startApp(0);
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it("leaves no partial rows and a retry completes", async () => {
    const owner = await createOwner(database.db);
    for (let index = 0; index < CONNECTIONS; index++) {
      const connectionId = await createConnection(database.db, owner, {
        kind: "person",
      });
      // Enough rows that the export streams for a while.
      await database.db.execute(sql`
        insert into metric_daily (workspace_id, connection_id, metric, day, value, source)
        select ${owner.workspaceId}::uuid, ${connectionId}::uuid, metric,
          date '2020-01-01' + offset_days, (offset_days * 7 + length(metric)) % 1000, 'api'
        from generate_series(0, ${DAYS - 1}) as offset_days,
          unnest(${sql.raw(`array['${METRICS.join("','")}']`)}) as metric`);
    }
    const expectedRows = CONNECTIONS * DAYS * METRICS.length;
    const countRows = async () => {
      const [row] = await database.db
        .select({ count: sql<number>`count(*)::int` })
        .from(metricDaily)
        .where(eq(metricDaily.workspaceId, owner.workspaceId));
      return row?.count ?? 0;
    };
    expect(await countRows()).toBe(expectedRows);
    const cookie = sessionCookie(await createSession(database, owner.userId));
    const download = () =>
      fetch(`${stack.appUrl(0)}/api/me/data`, { headers: { cookie } });

    const interrupted = await download();
    expect(interrupted.status).toBe(200);
    const reader = interrupted.body!.getReader();
    const received: Uint8Array[] = [];
    let receivedBytes = 0;
    while (receivedBytes < 64 * 1024) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the export finished before the kill");
      received.push(value);
      receivedBytes += value.length;
    }
    await stack.apps[0]!.stop("SIGKILL");
    let cutShort = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received.push(value);
      }
    } catch {
      cutShort = true;
    }
    expect(cutShort).toBe(true);
    const partial = Buffer.concat(received);
    await expect(readZip(partial)).rejects.toThrow();

    expect(await countRows()).toBe(expectedRows);
    const audits = await database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.actorUserId, owner.userId),
          eq(auditEvents.action, "data.exported"),
        ),
      );
    expect(audits).toHaveLength(1);

    await stack.startApp(0);
    const retried = await download();
    expect(retried.status).toBe(200);
    const files = await readZip(Buffer.from(await retried.arrayBuffer()));
    const manifest = JSON.parse(
      files.get("manifest.json")!.toString("utf8"),
    ) as ExportManifest;
    expect(manifest.format).toBe("inview-personal-data-export/1");
    for (const entry of manifest.files) {
      const content = files.get(entry.file);
      expect(content, entry.file).toBeDefined();
      expect(content!.length, entry.file).toBe(entry.bytes);
      expect(createHash("sha256").update(content!).digest("hex")).toBe(
        entry.sha256,
      );
    }
    const metricsFile = manifest.files.find(
      (entry) => entry.file === "metrics-daily.csv",
    );
    expect(metricsFile?.rows).toBe(expectedRows);
    const lines = files
      .get("metrics-daily.csv")!
      .toString("utf8")
      .split("\n")
      .filter((line) => line !== "");
    expect(lines).toHaveLength(expectedRows + 1);

    const [limit] = await database.db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.userId, owner.userId));
    expect(limit?.count).toBe(2);
  }, 180_000);
});
