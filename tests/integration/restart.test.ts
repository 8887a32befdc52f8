import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  jobQueue,
  QUEUES,
  releaseOrphanedJobs,
  stopJobs,
} from "@/lib/sync/queue";
import { testEngines } from "../helpers/databases";

// Only PGlite: there one process owns the database, so a job left active
// belongs to a run that stopped.
const pglite = testEngines().filter((engine) => engine.name === "pglite");

describe.each(pglite)("restart on $name", (engine) => {
  let handle: DatabaseHandle;
  const globalForDb = globalThis as { inviewDatabase?: DatabaseHandle };

  beforeAll(async () => {
    handle = await engine.open();
    globalForDb.inviewDatabase = handle;
  });
  afterAll(async () => {
    await stopJobs();
    globalForDb.inviewDatabase = undefined;
    await handle.close();
  });

  it("releases a stopped run's active job", async () => {
    const boss = await jobQueue();
    const id = await boss.send(
      QUEUES.sync,
      { connectionId: crypto.randomUUID(), mode: "backfill" },
      { retryDelay: 0 },
    );
    const [fetched] = await boss.fetch(QUEUES.sync);
    expect(fetched?.id).toBe(id);

    expect(await releaseOrphanedJobs()).toBe(1);

    const job = await boss.getJobById(QUEUES.sync, id!);
    expect(job?.state).toBe("retry");
    expect(await releaseOrphanedJobs()).toBe(0);
  });
});
