import type { Logger } from "pino";
import {
  RetryableSyncError,
  syncConnection,
  type SyncDeps,
  type SyncMode,
} from "./sync-connection";

export type SyncJob = {
  connectionId: string;
  mode: SyncMode;
  /** Times this sync was already put off to a later day by a quota. */
  deferrals?: number;
};

/** Quota deferrals after which a sync gives up; each resumes where it stopped. */
export const MAX_DEFERRALS = 14;

/** The queue's next action for a sync job that ran. */
export type JobDecision =
  | { kind: "complete"; outcome: string }
  /** Enqueue the job again to start at `startAfter`, then complete this one. */
  | { kind: "defer"; startAfter: Date; job: SyncJob }
  /** Fail the job so pg-boss retries it with backoff, up to its retry limit. */
  | { kind: "retry"; error: Error };

/**
 * Runs one sync job and decides its fate. Quota stops are deferred without
 * using a retry, failures that a retry cannot fix complete with the failure
 * stored on the connection, and only transient failures are retried.
 */
export async function executeSyncJob(
  deps: SyncDeps,
  job: SyncJob,
  log: Logger,
): Promise<JobDecision> {
  try {
    const outcome = await syncConnection(deps, job.connectionId, job.mode);
    if (outcome.kind === "deferred") {
      const deferrals = (job.deferrals ?? 0) + 1;
      if (deferrals > MAX_DEFERRALS) {
        log.error(
          { ...job },
          "sync deferred too many times by quotas; giving up",
        );
        return { kind: "complete", outcome: "gave_up" };
      }
      log.info(
        { ...job, until: outcome.until },
        "sync deferred until the quota resets",
      );
      // One second past the reset, so the budget's UTC day has turned.
      const startAfter = new Date(outcome.until.getTime() + 1000);
      return { kind: "defer", startAfter, job: { ...job, deferrals } };
    }
    if (outcome.kind === "failed")
      log.error({ ...job, reason: outcome.reason }, "sync failed for good");
    return { kind: "complete", outcome: outcome.kind };
  } catch (error) {
    log.warn({ ...job, err: error }, "sync job failed; it will be retried");
    return {
      kind: "retry",
      error:
        error instanceof RetryableSyncError
          ? error
          : new RetryableSyncError(String(error), { cause: error }),
    };
  }
}
