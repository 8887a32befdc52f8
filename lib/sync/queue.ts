import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { database } from "../db/client";
import { env, type Env } from "../env";
import { BudgetExhausted } from "../linkedin/budget";
import { logger } from "../log";
import {
  PURGE_CRON,
  PURGE_QUEUE,
  purgeExpiredData,
} from "../privacy/retention";
import { activeConnectionIds, discoverOrganizations } from "./discover";
import { executeSyncJob, type SyncJob } from "./jobs";
import { purgeRevokedConnections } from "./purge";
import type { SyncDeps, SyncMode } from "./sync-connection";

// pg-boss queues on the application database (PGlite included), so a job and
// the rows it writes live in one place and every worker shares them.

export const QUEUES = {
  sync: "linkedin-sync",
  discover: "linkedin-discover",
  daily: "linkedin-daily",
  purge: "linkedin-purge",
} as const;

export type { SyncJob };
export type DiscoverJob = { grantId: string };

/** The daily re-sync runs at 03:00 UTC, after LinkedIn has settled the day before. */
const DAILY_CRON = "0 3 * * *";
/** The purge of revoked connections' data runs daily at 04:00 UTC. */

type BossState = { boss: PgBoss; started: Promise<void>; working: boolean };
const globalForBoss = globalThis as unknown as { inviewBoss?: BossState };

function createBoss(): PgBoss {
  const handle = database();
  const config = env();
  const options = {
    schema: "pgboss",
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: config.sync.maintenanceSeconds,
  };
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

type QueueSettings = Pick<
  Env["sync"],
  "retryLimit" | "retryDelaySeconds" | "jobExpireSeconds"
>;

function syncQueueOptions(sync: QueueSettings): PgBoss.Queue {
  return {
    name: QUEUES.sync,
    policy: "stately",
    retryLimit: sync.retryLimit,
    retryDelay: sync.retryDelaySeconds,
    retryBackoff: true,
    // A worker that dies mid-sync leaves its job active; after this long
    // pg-boss expires it and retries it on another worker.
    expireInSeconds: sync.jobExpireSeconds,
  };
}

/** Postgres's SQLSTATE for "deadlock detected". */
const DEADLOCK_DETECTED = "40P01";
const CREATE_QUEUES_ATTEMPTS = 5;

/**
 * Creates the queues, or updates the sync queue's retry and expiry settings.
 * A web process and a worker that start at the same time can deadlock in
 * pg-boss's queue creation; Postgres then aborts one of them, which retries
 * after a short random pause.
 */
export async function createQueues(
  boss: PgBoss,
  sync: QueueSettings = env().sync,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await createQueuesOnce(boss, sync);
      return;
    } catch (error) {
      if (!isDeadlock(error) || attempt >= CREATE_QUEUES_ATTEMPTS) throw error;
      logger().warn(
        { err: error, attempt },
        "job queue creation hit a deadlock with another process; retrying",
      );
      await new Promise((done) =>
        setTimeout(done, 100 + Math.random() * 400 * attempt),
      );
    }
  }
}

function isDeadlock(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if ("code" in error && error.code === DEADLOCK_DETECTED) return true;
  return error instanceof Error && error.message.includes("deadlock detected");
}

async function createQueuesOnce(
  boss: PgBoss,
  sync: QueueSettings,
): Promise<void> {
  // "stately" keeps at most one queued and one active job per singleton key,
  // so one connection never syncs twice at once.
  await boss.createQueue(QUEUES.sync, syncQueueOptions(sync));
  // createQueue keeps an existing queue's settings; apply the current ones.
  await boss.updateQueue(QUEUES.sync, syncQueueOptions(sync));
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
  await boss.createQueue(QUEUES.purge, {
    name: QUEUES.purge,
    policy: "singleton",
  });
}

/** Returns this process's started job queue. Starting it creates pg-boss's schema. */
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
    budgets: config.budgets,
    oauth: {
      oauthBase: config.linkedin.oauthBase,
      clientId: config.linkedin.clientId,
      clientSecret: config.linkedin.clientSecret,
    },
    revokedRetentionDays: config.sync.revokedRetentionDays,
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
 * Hands the jobs a previous run of this process left active back to pg-boss
 * as failed, so they retry now instead of after their expiry. Only safe when
 * no other process can be running them: with PGlite, one process owns the
 * database. Returns how many jobs were released.
 */
export async function releaseOrphanedJobs(): Promise<number> {
  const boss = await jobQueue();
  let released = 0;
  for (const name of [QUEUES.sync, QUEUES.discover]) {
    const { rows } = await database().sql.executeSql(
      `select id from pgboss.job where name = $1 and state = 'active'`,
      [name],
    );
    const ids = (rows as { id: string }[]).map((row) => row.id);
    for (const id of ids) {
      await boss.fail(name, id, { reason: "the process stopped mid-job" });
    }
    released += ids.length;
  }
  return released;
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

/**
 * Runs one sync job for pg-boss. A quota stop sends the job again to start
 * after the reset and completes this one, so it uses none of the retries.
 */
export async function runSyncJob(
  boss: PgBoss,
  deps: SyncDeps,
  job: PgBoss.Job<SyncJob>,
  log: Logger,
): Promise<void> {
  const jobLog = log.child({ jobId: job.id });
  const decision = await executeSyncJob(deps, job.data, jobLog);
  if (decision.kind === "retry") throw decision.error;
  if (decision.kind === "defer") {
    // With the stately policy this returns null when a job is already queued
    // for the connection; that job then does the work.
    await boss.send(QUEUES.sync, decision.job, {
      singletonKey: job.data.connectionId,
      startAfter: decision.startAfter,
    });
  }
  jobLog.info({ ...job.data, decision: decision.kind }, "sync job done");
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
      if (job) await runSyncJob(boss, syncDeps(), job, log);
    },
  );
  await boss.work<DiscoverJob>(
    QUEUES.discover,
    { pollingIntervalSeconds: 1, batchSize: 1 },
    async ([job]) => {
      if (!job) return;
      let connectionIds: string[];
      try {
        connectionIds = await discoverOrganizations(
          syncDeps(),
          job.data.grantId,
        );
      } catch (error) {
        if (!(error instanceof BudgetExhausted)) throw error;
        // Like a sync, a discovery out of budget waits for the reset.
        await boss.send(QUEUES.discover, job.data, {
          singletonKey: job.data.grantId,
          startAfter: new Date(error.resetsAt.getTime() + 1000),
        });
        return;
      }
      for (const connectionId of connectionIds)
        await enqueueSync(connectionId, "backfill");
    },
  );
  await boss.work(QUEUES.daily, async () => {
    for (const connectionId of await activeConnectionIds(database().db)) {
      await enqueueSync(connectionId, "daily");
    }
  });
  await boss.work(QUEUES.purge, async () => {
    const purged = await purgeRevokedConnections(database().db, new Date());
    log.info({ purged }, "purged revoked connections' LinkedIn data");
  });
  await boss.schedule(QUEUES.daily, DAILY_CRON, {}, { tz: "UTC" });
  await boss.work(PURGE_QUEUE, async () => {
    const removed = await purgeExpiredData(database().db, env().retention);
    log.info({ removed }, "retention purge done");
  });
  await boss.schedule(PURGE_QUEUE, PURGE_CRON, {}, { tz: "UTC" });
  await boss.schedule(QUEUES.purge, PURGE_CRON, {}, { tz: "UTC" });
  log.info("job workers started");
}

export async function stopJobs(): Promise<void> {
  const state = globalForBoss.inviewBoss;
  if (!state) return;
  globalForBoss.inviewBoss = undefined;
  await state.boss.stop({ graceful: true, wait: true });
}
