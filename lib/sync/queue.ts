import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { database } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import {
  PURGE_CRON,
  PURGE_QUEUE,
  purgeExpiredData,
} from "../privacy/retention";
import { activeConnectionIds, discoverOrganizations } from "./discover";
import {
  RetryableSyncError,
  syncConnection,
  type SyncDeps,
  type SyncMode,
} from "./sync-connection";

// pg-boss queues on the application database (PGlite included), so a job and
// the rows it writes live in one place and every worker shares them.

export const QUEUES = {
  sync: "linkedin-sync",
  discover: "linkedin-discover",
  daily: "linkedin-daily",
} as const;

export type SyncJob = { connectionId: string; mode: SyncMode };
export type DiscoverJob = { grantId: string };

/** The daily re-sync runs at 03:00 UTC, after LinkedIn has settled the day before. */
const DAILY_CRON = "0 3 * * *";

type BossState = { boss: PgBoss; started: Promise<void>; working: boolean };
const globalForBoss = globalThis as unknown as { inviewBoss?: BossState };

function createBoss(): PgBoss {
  const handle = database();
  const config = env();
  const options = { schema: "pgboss", supervise: true, schedule: true };
  const boss =
    handle.engine === "pglite"
      ? new PgBoss({ ...options, db: handle.sql })
      : new PgBoss({
          ...options,
          connectionString: config.databaseUrl ?? undefined,
          max: 4,
        });
  boss.on("error", (error) =>
    logger().error({ err: error }, "job queue error"),
  );
  return boss;
}

async function createQueues(boss: PgBoss): Promise<void> {
  // "stately" keeps at most one queued and one active job per singleton key,
  // so one connection never syncs twice at once.
  await boss.createQueue(QUEUES.sync, {
    name: QUEUES.sync,
    policy: "stately",
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
  });
  await boss.createQueue(QUEUES.discover, {
    name: QUEUES.discover,
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
  });
  await boss.createQueue(QUEUES.daily, {
    name: QUEUES.daily,
    policy: "singleton",
  });
  await boss.createQueue(PURGE_QUEUE, {
    name: PURGE_QUEUE,
    policy: "singleton",
    retryLimit: 3,
    retryDelay: 300,
  });
}

/** The started job queue of this process; starting it creates pg-boss's schema. */
export async function jobQueue(): Promise<PgBoss> {
  if (!globalForBoss.inviewBoss) {
    const boss = createBoss();
    const started = boss.start().then(() => createQueues(boss));
    globalForBoss.inviewBoss = { boss, started, working: false };
  }
  await globalForBoss.inviewBoss.started;
  return globalForBoss.inviewBoss.boss;
}

export function syncDeps(): SyncDeps {
  const config = env();
  return {
    database: database().db,
    keyRing: { keys: config.encryptionKeys, currentKeyId: config.currentKeyId },
    apiBase: config.linkedin.apiBase,
    logger: logger(),
  };
}

export async function enqueueSync(
  connectionId: string,
  mode: SyncMode,
): Promise<string | null> {
  const boss = await jobQueue();
  return boss.send(QUEUES.sync, { connectionId, mode } satisfies SyncJob, {
    singletonKey: connectionId,
  });
}

export async function enqueueDiscover(grantId: string): Promise<string | null> {
  const boss = await jobQueue();
  return boss.send(QUEUES.discover, { grantId } satisfies DiscoverJob, {
    singletonKey: grantId,
  });
}

/**
 * Cancels the queued and retrying sync jobs of the connections, so none
 * starts after consent is withdrawn; returns how many were cancelled. A
 * running job finds its connection revoked or gone and stops.
 */
export async function cancelSyncJobs(connectionIds: string[]): Promise<number> {
  if (connectionIds.length === 0) return 0;
  const boss = await jobQueue();
  const { rows } = await database().sql.executeSql(
    `select id from pgboss.job where name = $1 and state in ('created', 'retry') and data->>'connectionId' = any($2::text[])`,
    [QUEUES.sync, connectionIds],
  );
  const ids = (rows as { id: string }[]).map((row) => row.id);
  if (ids.length) await boss.cancel(QUEUES.sync, ids);
  return ids.length;
}

async function runSync(job: PgBoss.Job<SyncJob>, log: Logger): Promise<void> {
  try {
    const outcome = await syncConnection(
      syncDeps(),
      job.data.connectionId,
      job.data.mode,
    );
    log.info(
      { jobId: job.id, ...job.data, outcome: outcome.kind },
      "sync job done",
    );
  } catch (error) {
    log.warn(
      { jobId: job.id, ...job.data, err: error },
      "sync job failed; pg-boss retries it",
    );
    throw error instanceof RetryableSyncError
      ? error
      : new RetryableSyncError(String(error), { cause: error });
  }
}

/** Starts the workers in this process: the web process in embedded mode, `npm run worker` otherwise. */
export async function startWorkers(): Promise<void> {
  const boss = await jobQueue();
  const state = globalForBoss.inviewBoss;
  if (!state || state.working) return;
  state.working = true;
  const log = logger().child({ module: "jobs" });

  await boss.work<SyncJob>(
    QUEUES.sync,
    { pollingIntervalSeconds: 1, batchSize: 1 },
    async ([job]) => {
      if (job) await runSync(job, log);
    },
  );
  await boss.work<DiscoverJob>(
    QUEUES.discover,
    { pollingIntervalSeconds: 1, batchSize: 1 },
    async ([job]) => {
      if (!job) return;
      const connectionIds = await discoverOrganizations(
        syncDeps(),
        job.data.grantId,
      );
      for (const connectionId of connectionIds)
        await enqueueSync(connectionId, "backfill");
    },
  );
  await boss.work(QUEUES.daily, async () => {
    for (const connectionId of await activeConnectionIds(database().db)) {
      await enqueueSync(connectionId, "daily");
    }
  });
  await boss.schedule(QUEUES.daily, DAILY_CRON, {}, { tz: "UTC" });
  await boss.work(PURGE_QUEUE, async () => {
    const removed = await purgeExpiredData(database().db, env().retention);
    log.info({ removed }, "retention purge done");
  });
  await boss.schedule(PURGE_QUEUE, PURGE_CRON, {}, { tz: "UTC" });
  log.info("job workers started");
}

export async function stopJobs(): Promise<void> {
  const state = globalForBoss.inviewBoss;
  if (!state) return;
  globalForBoss.inviewBoss = undefined;
  await state.boss.stop({ graceful: true, wait: true });
}
