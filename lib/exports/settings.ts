import { eq } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { workspaceExportSettings, type ExportPolicy } from "../db/schema";

/** The policy of a workspace without a settings row. */
export const DEFAULT_EXPORT_POLICY: ExportPolicy = "admins_and_own";

export async function loadExportPolicy(
  database: Database,
  workspaceId: string,
): Promise<ExportPolicy> {
  const [row] = await database
    .select({ policy: workspaceExportSettings.apiExportPolicy })
    .from(workspaceExportSettings)
    .where(eq(workspaceExportSettings.workspaceId, workspaceId))
    .limit(1);
  return row?.policy ?? DEFAULT_EXPORT_POLICY;
}

/** Stores the export policy and an audit row with the values before and after. */
export async function updateExportPolicy(
  database: Database,
  context: WorkspaceContext,
  policy: ExportPolicy,
): Promise<void> {
  await database.transaction(async (tx) => {
    const before = await loadExportPolicy(tx, context.workspaceId);
    if (before === policy) return;
    await tx
      .insert(workspaceExportSettings)
      .values({ workspaceId: context.workspaceId, apiExportPolicy: policy })
      .onConflictDoUpdate({
        target: workspaceExportSettings.workspaceId,
        set: { apiExportPolicy: policy, updatedAt: new Date() },
      });
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "workspace.settings_changed",
      targetType: "workspace",
      targetId: context.workspaceId,
      details: {
        before: { apiExportPolicy: before },
        after: { apiExportPolicy: policy },
      },
    });
  });
}
