import { asc, eq, sql } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { Database } from "../db/client";
import { preparedQuery } from "../db/prepared";
import { memberships, workspaces, type Role } from "../db/schema";

/** Creates the workspace a new user owns, with its audit row, in the caller's transaction. */
export async function createPersonalWorkspace(
  tx: Database,
  user: { id: string; name: string | null },
): Promise<string> {
  const name = user.name ? `${user.name}'s workspace` : "My workspace";
  const [workspace] = await tx
    .insert(workspaces)
    .values({ name })
    .returning({ id: workspaces.id });
  if (!workspace) throw new Error("Workspace insert returned no row");
  await tx
    .insert(memberships)
    .values({ workspaceId: workspace.id, userId: user.id, role: "owner" });
  await writeAudit(tx, {
    workspaceId: workspace.id,
    actorUserId: user.id,
    action: "workspace.created",
    targetType: "workspace",
    targetId: workspace.id,
    details: { name, personal: true },
  });
  return workspace.id;
}

export type WorkspaceSummary = { id: string; name: string; role: Role };

const workspacesOfUser = preparedQuery((database) =>
  database
    .select({
      id: workspaces.id,
      name: workspaces.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, sql.placeholder("userId")))
    .orderBy(asc(memberships.createdAt))
    .prepare("inview_workspaces_of_user"),
);

/** The workspaces a user belongs to, oldest first. */
export async function listWorkspaces(
  database: Database,
  userId: string,
): Promise<WorkspaceSummary[]> {
  return workspacesOfUser(database).execute({ userId });
}
