import {
  BadRequest,
  LinkedInError,
  MissingPermission,
  RateLimited,
  TokenInvalid,
  TokenRevoked,
  VersionSunset,
} from "../linkedin/errors";
import type { ConnectionStatus } from "../db/schema";

/** What a failed LinkedIn call means for the connection, and what to tell its owner. */
export type FailureOutcome =
  | {
      kind: "status";
      status: ConnectionStatus;
      reason: string;
      dropToken: boolean;
    }
  | { kind: "metric_unavailable"; reason: string }
  | { kind: "retry"; reason: string }
  | { kind: "fail"; reason: string };

/** Maps a LinkedIn error to a connection state with a fix a person can act on. */
export function classifyFailure(error: unknown): FailureOutcome {
  if (error instanceof TokenRevoked) {
    return {
      kind: "status",
      status: "revoked",
      reason:
        "Access was revoked in LinkedIn's settings. Connect again to resume syncing.",
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
  if (error instanceof MissingPermission) {
    const resource = error.resource ?? error.endpoint;
    return {
      kind: "metric_unavailable",
      reason: `LinkedIn denied access to ${resource}: a scope or the page's ADMINISTRATOR role is missing.`,
    };
  }
  if (error instanceof VersionSunset) {
    return {
      kind: "fail",
      reason: `LinkedIn no longer serves API version ${error.message.match(/\d{6,8}/)?.[0] ?? "pinned here"}; Inview needs an upgrade.`,
    };
  }
  if (error instanceof BadRequest) {
    return {
      kind: "fail",
      reason: `LinkedIn rejected a request to ${error.endpoint} as invalid.`,
    };
  }
  if (error instanceof RateLimited) {
    return {
      kind: "retry",
      reason: "LinkedIn's daily call limit was reached; syncing resumes later.",
    };
  }
  if (error instanceof LinkedInError) {
    return {
      kind: "retry",
      reason: `LinkedIn did not answer (${error.message}); retrying.`,
    };
  }
  return {
    kind: "retry",
    reason: error instanceof Error ? error.message : String(error),
  };
}
