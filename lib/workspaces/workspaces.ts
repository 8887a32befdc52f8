import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  memberships,
  workspaceExportSettings,
  workspaceSettings,
  workspaces,
  type ExportPolicy,
  type MetricsVisibility,
} from "../db/schema";
import { DEFAULT_EXPORT_POLICY } from "../exports/settings";

/** Creates a workspace owned by the user, with its audit row, in one transaction. */
export async function createWorkspace(
  database: Database,
  userId: string,
  name: string,
): Promise<string> {
  return database.transaction(async (tx) => {
    const [workspace] = await tx
      .insert(workspaces)
      .values({ name })
      .returning({ id: workspaces.id });
    if (!workspace) throw new Error("Workspace insert returned no row");
    await tx
      .insert(memberships)
      .values({ workspaceId: workspace.id, userId, role: "owner" });
    await writeAudit(tx, {
      workspaceId: workspace.id,
      actorUserId: userId,
      action: "workspace.created",
      targetType: "workspace",
      targetId: workspace.id,
      details: { name, personal: false },
    });
    return workspace.id;
  });
}

export type WorkspaceSettingsView = { metricsVisibility: MetricsVisibility };

export const DEFAULT_SETTINGS: WorkspaceSettingsView = {
  metricsVisibility: "everyone",
};

export async function loadWorkspaceSettings(
  database: Database,
  workspaceId: string,
): Promise<WorkspaceSettingsView> {
  const [row] = await database
    .select({ metricsVisibility: workspaceSettings.metricsVisibility })
    .from(workspaceSettings)
    .where(eq(workspaceSettings.workspaceId, workspaceId))
    .limit(1);
  return row ?? DEFAULT_SETTINGS;
}

/** The workspace's metrics visibility and its export policy for API numbers. */
export type WorkspacePolicies = WorkspaceSettingsView & {
  apiExportPolicy: ExportPolicy;
};

/**
 * Loads the metrics visibility and the API export policy in one query, each
 * with its default when the workspace has no row in that settings table.
 */
export async function loadWorkspacePolicies(
  database: Database,
  workspaceId: string,
): Promise<WorkspacePolicies> {
  const [row] = await database
    .select({
      metricsVisibility: workspaceSettings.metricsVisibility,
      apiExportPolicy: workspaceExportSettings.apiExportPolicy,
    })
    .from(workspaces)
    .leftJoin(
      workspaceSettings,
      eq(workspaceSettings.workspaceId, workspaces.id),
    )
    .leftJoin(
      workspaceExportSettings,
      eq(workspaceExportSettings.workspaceId, workspaces.id),
    )
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return {
    metricsVisibility:
      row?.metricsVisibility ?? DEFAULT_SETTINGS.metricsVisibility,
    apiExportPolicy: row?.apiExportPolicy ?? DEFAULT_EXPORT_POLICY,
  };
}

/** Stores the workspace settings and an audit row with the values before and after. */
export async function updateWorkspaceSettings(
  database: Database,
  context: WorkspaceContext,
  settings: WorkspaceSettingsView,
): Promise<void> {
  await database.transaction(async (tx) => {
    const before = await loadWorkspaceSettings(tx, context.workspaceId);
    if (before.metricsVisibility === settings.metricsVisibility) return;
    await tx
      .insert(workspaceSettings)
      .values({ workspaceId: context.workspaceId, ...settings })
      .onConflictDoUpdate({
        target: workspaceSettings.workspaceId,
        set: { ...settings, updatedAt: new Date() },
      });
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "workspace.settings_changed",
      targetType: "workspace",
      targetId: context.workspaceId,
      details: { before, after: settings },
    });
  });
}

export async function loadWorkspaceName(
  database: Database,
  context: WorkspaceContext,
): Promise<string> {
  const [row] = await database
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(eq(workspaces.id, context.workspaceId))
    .limit(1);
  return row?.name ?? "an Inview workspace";
}
