import { database } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import { env } from "../env";
import { logger } from "../log";
import { jobQueue, releaseOrphanedJobs, startWorkers } from "../sync/queue";

/**
 * Applies migrations and starts the job queue; in embedded mode (PGlite) the
 * workers run here too, because only one process may open the database.
 */
export async function startServerServices(): Promise<void> {
  const config = env();
  const handle = database();
  await migrateDatabase(handle);
  await jobQueue();
  // PGlite allows one process, so any job still active is from a run that
  // stopped mid-sync; with Postgres, pg-boss expires such jobs itself.
  const released = handle.engine === "pglite" ? await releaseOrphanedJobs() : 0;
  if (released) logger().warn({ released }, "retrying jobs of a stopped run");
  if (config.runWorkerInWeb) await startWorkers();
  logger().info(
    {
      database: handle.engine,
      linkedin: config.linkedin.emulated ? "emulator" : "linkedin.com",
      workers: config.runWorkerInWeb ? "in this process" : "separate",
    },
    "server services started",
  );
}
