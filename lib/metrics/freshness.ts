import type { ConnectionSummary } from "./types";

/** A sync older than this makes the dashboard say how old its data is. */
export const STALE_AFTER_HOURS = 36;

/** Why the dashboard shows stored data with a "data as of" notice. */
export type StaleData = {
  /** The latest successful sync of the workspace's API connections, or null if none has finished. */
  asOf: string | null;
  reason: "sync_failed" | "sync_old";
};

/**
 * Decides whether the dashboard's data may be out of date: some active API
 * connection's last sync failed, or it last finished more than
 * STALE_AFTER_HOURS ago. Imported connections never sync, so they are not
 * counted. Returns null while the data is fresh.
 */
export function staleData(
  connections: Pick<
    ConnectionSummary,
    "source" | "status" | "syncState" | "lastSyncedAt"
  >[],
  now: Date,
): StaleData | null {
  const synced = connections.filter(
    (connection) =>
      connection.source === "api" && connection.status === "active",
  );
  const times = synced
    .map((connection) => connection.lastSyncedAt)
    .filter((time): time is string => time !== null)
    .sort();
  const asOf = times.at(-1) ?? null;

  if (synced.some((connection) => connection.syncState === "failed"))
    return { asOf, reason: "sync_failed" };
  const oldest = now.getTime() - STALE_AFTER_HOURS * 3_600_000;
  const old = synced.some(
    (connection) =>
      connection.lastSyncedAt !== null &&
      new Date(connection.lastSyncedAt).getTime() < oldest,
  );
  return old ? { asOf, reason: "sync_old" } : null;
}
