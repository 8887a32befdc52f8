import "./load-dotenv";
import { isDatabaseUnavailable } from "../lib/db/availability";
import { database } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { env } from "../lib/env";
import { logger } from "../lib/log";
import { startWorkers, stopJobs } from "../lib/sync/queue";

// A job worker process for production. Run as many as needed; pg-boss hands
// each job to one of them.

if (!env().databaseUrl) {
  console.error(
    "npm run worker needs DATABASE_URL: with the embedded database (PGlite) the web process runs the jobs itself.",
  );
  process.exit(1);
}

// pg-boss 10 does not await its own complete() and fail() calls after a job
// handler returns, so a database outage at that moment rejects a promise
// that no code handles, which ends the process by default. The job then stays
// active until it expires and pg-boss retries it, so the worker logs the
// lost update and keeps running. Any other unhandled rejection still ends it.
process.on("unhandledRejection", (reason) => {
  if (isDatabaseUnavailable(reason)) {
    logger().warn(
      { err: reason },
      "database unreachable while updating a job; pg-boss retries it after it expires",
    );
    return;
  }
  logger().fatal({ err: reason }, "unhandled promise rejection; stopping");
  process.exit(1);
});

await migrateDatabase(database());
await startWorkers();
logger().info("worker running; stop it with Ctrl+C");

const stop = async (signal: string) => {
  logger().info({ signal }, "worker stopping");
  await stopJobs();
  await database().close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
