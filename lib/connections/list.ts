import { asc, eq, inArray } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  importedSubjects,
  linkedinConnections,
  linkedinGrants,
  unavailableMetrics,
  type ConnectionStatus,
} from "../db/schema";

export type UnavailableMetricView = {
  metric: string;
  reason: string;
  missingScope: string | null;
  missingRole: string | null;
};

export type ConnectionView = {
  id: string;
  kind: "person" | "organization";
  urn: string;
  name: string;
  source: "api" | "import";
  status: ConnectionStatus;
  statusReason: string | null;
  syncState: "idle" | "queued" | "running" | "failed";
  syncProgress: number;
  lastSyncedAt: Date | null;
  /** When a sync put off by a quota runs again. */
  nextSyncAt: Date | null;
  scopes: string[];
  tokenExpiresAt: Date | null;
  /** For an import connection, the API connection of the same member or page. */
  apiConnectionId: string | null;
  unavailable: UnavailableMetricView[];
};

/** The workspace's connections with the columns the connections page shows. */
export async function listConnections(
  database: Database,
  context: WorkspaceContext,
): Promise<ConnectionView[]> {
  const rows = await database
    .select({
      id: linkedinConnections.id,
      kind: linkedinConnections.kind,
      urn: linkedinConnections.urn,
      name: linkedinConnections.name,
      source: linkedinConnections.source,
      status: linkedinConnections.status,
      statusReason: linkedinConnections.statusReason,
      syncState: linkedinConnections.syncState,
      syncProgress: linkedinConnections.syncProgress,
      lastSyncedAt: linkedinConnections.lastSyncedAt,
      nextSyncAt: linkedinConnections.nextSyncAt,
      scopes: linkedinGrants.scopes,
      tokenExpiresAt: linkedinGrants.expiresAt,
      apiConnectionId: importedSubjects.apiConnectionId,
    })
    .from(linkedinConnections)
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .leftJoin(
      importedSubjects,
      eq(importedSubjects.connectionId, linkedinConnections.id),
    )
    .where(eq(linkedinConnections.workspaceId, context.workspaceId))
    .orderBy(asc(linkedinConnections.createdAt));
  const ids = rows.map((row) => row.id);
  const missing = ids.length
    ? await database
        .select({
          connectionId: unavailableMetrics.connectionId,
          metric: unavailableMetrics.metric,
          reason: unavailableMetrics.reason,
          missingScope: unavailableMetrics.missingScope,
          missingRole: unavailableMetrics.missingRole,
        })
        .from(unavailableMetrics)
        .where(inArray(unavailableMetrics.connectionId, ids))
        .orderBy(asc(unavailableMetrics.metric))
    : [];
  return rows.map((row) => ({
    ...row,
    scopes: row.scopes ?? [],
    unavailable: missing
      .filter((entry) => entry.connectionId === row.id)
      .map(({ connectionId: _connectionId, ...entry }) => entry),
  }));
}
