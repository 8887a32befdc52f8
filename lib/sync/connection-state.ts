import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { preparedQuery } from "../db/prepared";
import {
  connectionHealth,
  integrationStatus,
  linkedinConnections,
  linkedinGrants,
  unavailableMetrics,
} from "../db/schema";

// Writes that turn a sync's outcome into what the connections and API health
// pages show.

export const VERSION_STATUS_KEY = "linkedin_version";

export async function setConnection(
  database: Database,
  id: string,
  values: Partial<typeof linkedinConnections.$inferInsert>,
): Promise<void> {
  await database
    .update(linkedinConnections)
    .set(values)
    .where(eq(linkedinConnections.id, id));
}

/** Stores the last error of a connection, with the request path when known. */
export async function recordLastError(
  database: Database,
  connectionId: string,
  error: { message: string; path: string | null; at: Date },
): Promise<void> {
  const values = {
    lastError: error.message,
    lastErrorPath: error.path,
    lastErrorAt: error.at,
  };
  await database
    .insert(connectionHealth)
    .values({ connectionId, ...values })
    .onConflictDoUpdate({ target: connectionHealth.connectionId, set: values });
}

export type Unavailable = {
  metric: string;
  reason: string;
  missingScope: string | null;
  missingRole: string | null;
};

/**
 * Replaces the connection's unavailable metrics with those of the finished
 * sync. Metrics that synced again are removed.
 */
export async function replaceUnavailableMetrics(
  database: Database,
  connectionId: string,
  unavailable: Unavailable[],
  now: Date,
): Promise<void> {
  await database.transaction(async (tx) => {
    const metrics = unavailable.map((entry) => entry.metric);
    await tx
      .delete(unavailableMetrics)
      .where(
        metrics.length
          ? and(
              eq(unavailableMetrics.connectionId, connectionId),
              notInArray(unavailableMetrics.metric, metrics),
            )
          : eq(unavailableMetrics.connectionId, connectionId),
      );
    for (const entry of unavailable) {
      await tx
        .insert(unavailableMetrics)
        .values({ connectionId, ...entry, since: now })
        .onConflictDoUpdate({
          target: [unavailableMetrics.connectionId, unavailableMetrics.metric],
          set: {
            reason: entry.reason,
            missingScope: entry.missingScope,
            missingRole: entry.missingRole,
          },
        });
    }
  });
}

/**
 * Stops a revoked connection: its status, the deleted tokens and the time
 * after which the purge job deletes its LinkedIn data, in one transaction.
 */
export async function markRevoked(
  database: Database,
  input: {
    connectionId: string;
    grantId: string;
    reason: string;
    now: Date;
    retentionDays: number;
  },
): Promise<void> {
  const purgeAfter = new Date(
    input.now.getTime() + input.retentionDays * 86_400_000,
  );
  await database.transaction(async (tx) => {
    await setConnection(tx, input.connectionId, {
      status: "revoked",
      statusReason: input.reason,
      syncState: "idle",
      revokedAt: input.now,
    });
    await tx
      .update(linkedinGrants)
      .set({
        accessTokenEncrypted: null,
        refreshTokenEncrypted: null,
        updatedAt: input.now,
      })
      .where(eq(linkedinGrants.id, input.grantId));
    const values = { revokedAt: input.now, purgeAfter, purgedAt: null };
    await tx
      .insert(connectionHealth)
      .values({ connectionId: input.connectionId, ...values })
      .onConflictDoUpdate({
        target: connectionHealth.connectionId,
        set: values,
      });
  });
}

export type VersionSunsetStatus = {
  version: string;
  message: string;
  detectedAt: string;
};

/** Records that LinkedIn rejected the pinned version, for the admin banner. */
export async function recordVersionSunset(
  database: Database,
  status: VersionSunsetStatus,
): Promise<void> {
  await database
    .insert(integrationStatus)
    .values({ key: VERSION_STATUS_KEY, details: status })
    .onConflictDoUpdate({
      target: integrationStatus.key,
      set: { details: status, updatedAt: sql`now()` },
    });
}

/** Deletes the sunset record of `version` once a sync with it succeeded. */
export async function clearVersionSunset(
  database: Database,
  version: string,
): Promise<void> {
  await database
    .delete(integrationStatus)
    .where(
      and(
        eq(integrationStatus.key, VERSION_STATUS_KEY),
        sql`${integrationStatus.details}->>'version' = ${version}`,
      ),
    );
}

/** Returns the recorded sunset of `version`, or null when it still works. */
const versionStatusRow = preparedQuery((database) =>
  database
    .select({ details: integrationStatus.details })
    .from(integrationStatus)
    .where(eq(integrationStatus.key, VERSION_STATUS_KEY))
    .limit(1)
    .prepare("inview_version_status"),
);

export async function versionSunset(
  database: Database,
  version: string,
): Promise<VersionSunsetStatus | null> {
  const [row] = await versionStatusRow(database).execute();
  const details = row?.details as Partial<VersionSunsetStatus> | undefined;
  // An upgraded deployment pins a new version, which hides the old record.
  if (!details || details.version !== version) return null;
  return {
    version,
    message: String(details.message ?? ""),
    detectedAt: String(details.detectedAt ?? ""),
  };
}
