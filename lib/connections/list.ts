import { asc, desc, eq, inArray } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  importedSubjects,
  imports,
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

/** One uploaded file behind an imported connection. */
export type ImportedFileView = {
  fileName: string;
  firstDay: string | null;
  lastDay: string | null;
  importedAt: Date;
};

export type ConnectionView = {
  id: string;
  /** The member who made the connection: who authorized it or uploaded its files. */
  userId: string;
  /** The LinkedIn authorization the connection syncs with; null for imports. */
  grantId: string | null;
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
  /** For an import connection, its files, newest first. */
  files: ImportedFileView[];
};

/** The workspace's connections with the columns the connections page shows. */
export async function listConnections(
  database: Database,
  context: WorkspaceContext,
): Promise<ConnectionView[]> {
  const rows = await database
    .select({
      id: linkedinConnections.id,
      userId: linkedinConnections.userId,
      grantId: linkedinConnections.grantId,
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
  const importIds = rows
    .filter((row) => row.source === "import")
    .map((row) => row.id);
  const files = importIds.length
    ? await database
        .select({
          connectionId: imports.connectionId,
          fileName: imports.fileName,
          firstDay: imports.firstDay,
          lastDay: imports.lastDay,
          importedAt: imports.createdAt,
        })
        .from(imports)
        .where(inArray(imports.connectionId, importIds))
        .orderBy(desc(imports.createdAt))
    : [];
  return rows.map((row) => ({
    ...row,
    scopes: row.scopes ?? [],
    unavailable: missing
      .filter((entry) => entry.connectionId === row.id)
      .map(({ connectionId: _connectionId, ...entry }) => entry),
    files: files
      .filter((file) => file.connectionId === row.id)
      .map(({ connectionId: _connectionId, ...file }) => file),
  }));
}
