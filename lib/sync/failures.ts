import {
  BadRequest,
  LinkedInError,
  MissingPermission,
  RateLimited,
  TokenInvalid,
  TokenRevoked,
  VersionSunset,
} from "../linkedin/errors";
import { BudgetExhausted, nextUtcMidnight } from "../linkedin/budget";
import { hasScope } from "../linkedin/scopes";
import { METRICS, type MetricName } from "../metrics/registry";
import type { ConnectionStatus } from "../db/schema";

/** The page role LinkedIn requires for organization analytics. */
export const PAGE_ADMIN_ROLE = "ADMINISTRATOR";

/** The effect of a failed LinkedIn call on the connection, with the message for its owner. */
export type FailureOutcome =
  | {
      /** The connection cannot sync until its owner acts. */
      kind: "status";
      status: Extract<ConnectionStatus, "needs_reauth" | "revoked">;
      reason: string;
      /** True when the stored tokens are worthless and must be deleted. */
      dropToken: boolean;
    }
  | {
      /** Only the step's metrics are lost, and the rest of the sync goes on. */
      kind: "metric_unavailable";
      reason: string;
      missingScope: string | null;
      missingRole: string | null;
    }
  | {
      /** The pinned LinkedIn-Version is sunset, so no call can succeed. */
      kind: "version_sunset";
      reason: string;
      version: string;
    }
  | {
      /** A request this app built is invalid. It is a bug and is never retried. */
      kind: "bug";
      reason: string;
      endpoint: string;
    }
  | {
      /** A quota is spent, so the job runs again at `until`, not sooner. */
      kind: "defer";
      reason: string;
      until: Date;
    }
  | { kind: "retry"; reason: string };

export type FailureContext = {
  kind: "person" | "organization";
  /** The metrics of the failed step. */
  metrics: readonly MetricName[];
  scopes: readonly string[];
  /** The LinkedIn-Version the call sent. */
  version: string;
  now: Date;
};

function permissionOutcome(
  error: MissingPermission,
  context: FailureContext,
): FailureOutcome {
  const resource = error.resource ?? error.endpoint;
  const needed = context.metrics
    .map((metric) => METRICS[metric].sources[context.kind]?.scope)
    .find((scope): scope is string => Boolean(scope));
  const metrics = context.metrics.map((metric) => METRICS[metric].label);
  if (needed && !hasScope(context.scopes, needed)) {
    return {
      kind: "metric_unavailable",
      reason: `${metrics.join(", ")}: LinkedIn denied ${resource} because the ${needed} scope was not granted. Re-authorize with ${needed} to collect it.`,
      missingScope: needed,
      missingRole: null,
    };
  }
  if (context.kind === "organization") {
    return {
      kind: "metric_unavailable",
      reason: `${metrics.join(", ")}: LinkedIn denied ${resource} because your LinkedIn member is not an ${PAGE_ADMIN_ROLE} of this page. Ask a super admin of the page to give you that role.`,
      missingScope: null,
      missingRole: PAGE_ADMIN_ROLE,
    };
  }
  return {
    kind: "metric_unavailable",
    reason: `${metrics.join(", ")}: LinkedIn denied ${resource} although ${needed ?? "the scope"} was granted. Re-authorize to refresh the permission.`,
    missingScope: needed ?? null,
    missingRole: null,
  };
}

function rateLimitOutcome(
  error: RateLimited,
  maxWaitMs: number,
  now: Date,
): FailureOutcome {
  if (error.retryAfterMs !== null && error.retryAfterMs <= maxWaitMs) {
    return {
      kind: "retry",
      reason: `LinkedIn throttled ${error.endpoint}; retrying after ${Math.ceil(error.retryAfterMs / 1000)} s.`,
    };
  }
  // A wait past one backoff step, or none at all (LinkedIn's quota stop,
  // which resets at midnight UTC), defers the job without using its retries.
  const until =
    error.retryAfterMs !== null
      ? new Date(now.getTime() + error.retryAfterMs)
      : nextUtcMidnight(now);
  return {
    kind: "defer",
    reason: `LinkedIn's daily call limit was reached; syncing resumes at ${until.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
    until,
  };
}

/**
 * Maps an error of a sync step to a connection state with a fix a person can
 * act on. `maxWaitMs` is the longest throttle wait that is retried soon
 * rather than deferred.
 */
export function classifyFailure(
  error: unknown,
  context: FailureContext,
  maxWaitMs = 60_000,
): FailureOutcome {
  if (error instanceof TokenRevoked) {
    return {
      kind: "status",
      status: "revoked",
      reason:
        "Access was revoked in LinkedIn's settings, so syncing stopped and the stored token was deleted. Connect again to resume; otherwise the collected LinkedIn data is deleted after the retention period.",
      dropToken: true,
    };
  }
  if (error instanceof TokenInvalid) {
    return {
      kind: "status",
      status: "needs_reauth",
      reason:
        "LinkedIn no longer accepts the access token (it expired or was replaced). Reconnect to resume; your history is kept.",
      dropToken: false,
    };
  }
  if (error instanceof MissingPermission)
    return permissionOutcome(error, context);
  if (error instanceof VersionSunset) {
    return {
      kind: "version_sunset",
      reason: `LinkedIn no longer serves API version ${context.version}, so no connection can sync until Inview is upgraded to a newer LinkedIn-Version.`,
      version: context.version,
    };
  }
  if (error instanceof BadRequest) {
    return {
      kind: "bug",
      reason: `LinkedIn rejected the request to ${error.endpoint} as invalid (${error.code ?? "HTTP 400"}). This is a bug in Inview and was logged; retrying would fail the same way.`,
      endpoint: error.endpoint,
    };
  }
  if (error instanceof BudgetExhausted) {
    return {
      kind: "defer",
      reason: `Inview's ${error.budget} budget of LinkedIn calls for today is used up; syncing resumes at ${error.resetsAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`,
      until: error.resetsAt,
    };
  }
  if (error instanceof RateLimited)
    return rateLimitOutcome(error, maxWaitMs, context.now);
  if (error instanceof LinkedInError) {
    return {
      kind: "retry",
      reason: `LinkedIn did not answer ${error.endpoint || "the request"} (${error.message}).`,
    };
  }
  return {
    kind: "retry",
    reason: error instanceof Error ? error.message : String(error),
  };
}
