import "./load-dotenv";
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
