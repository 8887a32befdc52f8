import type { ConnectionRemovalDeps } from "../connections/remove";
import { db } from "../db/client";
import { env } from "../env";
import { logger } from "../log";
import { cancelSyncJobs } from "../sync/queue";
import type { ErasureDeps } from "./erasure";
import type { TokenRevocationDeps } from "./linkedin-revoke";
import type { WithdrawalDeps } from "./withdraw";

function linkedinCredentials() {
  const { linkedin } = env();
  return {
    oauthBase: linkedin.oauthBase,
    clientId: linkedin.clientId,
    clientSecret: linkedin.clientSecret,
  };
}

function keyRing() {
  const config = env();
  return { keys: config.encryptionKeys, currentKeyId: config.currentKeyId };
}

/** The app's dependencies for erasure: database, keys and LinkedIn. */
export function erasureDeps(): ErasureDeps {
  return {
    database: db(),
    keyRing: keyRing(),
    linkedin: linkedinCredentials(),
    logger: logger().child({ module: "privacy" }),
    signingSecret: env().receiptSigningKey,
  };
}

export function withdrawalDeps(): WithdrawalDeps {
  return {
    database: db(),
    keyRing: keyRing(),
    linkedin: linkedinCredentials(),
    logger: logger().child({ module: "privacy" }),
    cancelSyncJobs,
  };
}

/** Builds the app's dependencies for revoking a removed member's LinkedIn tokens. */
export function tokenRevocationDeps(): TokenRevocationDeps {
  return {
    keyRing: keyRing(),
    linkedin: linkedinCredentials(),
    logger: logger().child({ module: "team" }),
  };
}

/** Builds the app's dependencies for removing a connection: revocation and job cancelling. */
export function connectionRemovalDeps(): ConnectionRemovalDeps {
  return {
    keyRing: keyRing(),
    linkedin: linkedinCredentials(),
    logger: logger().child({ module: "connections" }),
    cancelSyncJobs,
  };
}
