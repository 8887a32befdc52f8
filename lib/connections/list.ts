import { asc, eq } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  linkedinConnections,
  linkedinGrants,
  type ConnectionStatus,
} from "../db/schema";

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
  scopes: string[];
  tokenExpiresAt: Date | null;
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
      scopes: linkedinGrants.scopes,
      tokenExpiresAt: linkedinGrants.expiresAt,
    })
    .from(linkedinConnections)
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .where(eq(linkedinConnections.workspaceId, context.workspaceId))
    .orderBy(asc(linkedinConnections.createdAt));
  return rows.map((row) => ({ ...row, scopes: row.scopes ?? [] }));
}
