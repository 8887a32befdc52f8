import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { roleAllows, type WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { linkedinConnections, type MetricsVisibility } from "../db/schema";
import { loadWorkspaceSettings } from "../workspaces/workspaces";

/** Whose numbers the caller may read, from the workspace setting and their role. */
export type MetricsScope = {
  visibility: MetricsVisibility;
  /** False when the caller is limited to their own connections' rows. */
  seesEveryMember: boolean;
  /** True when workspace totals over every member are shown anyway. */
  seesTotals: boolean;
  userId: string;
};

/**
 * Resolves the workspace's visibility setting for the caller. Owners and
 * admins manage every connection, so they always see every member's numbers.
 */
export async function resolveMetricsScope(
  database: Database,
  context: WorkspaceContext,
): Promise<MetricsScope> {
  const { metricsVisibility } = await loadWorkspaceSettings(
    database,
    context.workspaceId,
  );
  return metricsScopeFor(context, metricsVisibility);
}

/** Applies a visibility setting the caller already loaded to their role. */
export function metricsScopeFor(
  context: WorkspaceContext,
  visibility: MetricsVisibility,
): MetricsScope {
  const seesEveryMember =
    visibility === "everyone" ||
    roleAllows(context.role, "metrics.view_all_members");
  return {
    visibility,
    seesEveryMember,
    seesTotals: seesEveryMember || visibility === "totals_and_own",
    userId: context.userId,
  };
}

/** A filter on a connection id column: the caller's own connections only. */
export function ownConnectionsFilter(
  database: Database,
  context: WorkspaceContext,
  connectionId: AnyPgColumn,
): SQL {
  return inArray(
    connectionId,
    database
      .select({ id: linkedinConnections.id })
      .from(linkedinConnections)
      .where(
        and(
          eq(linkedinConnections.workspaceId, context.workspaceId),
          eq(linkedinConnections.userId, context.userId),
        ),
      ),
  );
}
