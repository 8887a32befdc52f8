import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { writeAudit } from "../audit/log";
import type { Database } from "../db/client";
import {
  auditEvents,
  invitations,
  linkedinConnections,
  linkedinGrants,
  memberships,
  workspaceExportSettings,
  workspaceSettings,
  workspaces,
} from "../db/schema";
import { addCount, deleteConnectionsCounted } from "./cascade";
import { deleteCounted } from "./rows";

/**
 * The rule for workspaces the person owns alone, applied at erasure and
 * shown on the privacy page before anyone confirms.
 */
export const SOLE_OWNER_RULE =
  "For each workspace where you are the only owner, ownership passes to the admin who has been a member longest. A workspace with no other admin is deleted with all its connections, metrics and audit log, including those of its other members.";

export type WorkspaceOutcome = {
  workspaceId: string;
  outcome: "transferred" | "deleted";
};

/**
 * Deletes a workspace and everything in it, children first, so each table's
 * own delete counts its rows and none go uncounted by a cascade.
 */
async function deleteWorkspace(
  tx: Database,
  workspaceId: string,
  counts: Record<string, number>,
): Promise<void> {
  await deleteConnectionsCounted(
    tx,
    sql`(select ${linkedinConnections.id} from ${linkedinConnections} where ${linkedinConnections.workspaceId} = ${workspaceId})`,
    counts,
  );
  const inWorkspace: [PgTable, PgColumn][] = [
    [linkedinGrants, linkedinGrants.workspaceId],
    [auditEvents, auditEvents.workspaceId],
    [invitations, invitations.workspaceId],
    [workspaceSettings, workspaceSettings.workspaceId],
    [workspaceExportSettings, workspaceExportSettings.workspaceId],
    [memberships, memberships.workspaceId],
    [workspaces, workspaces.id],
  ];
  for (const [table, column] of inWorkspace)
    addCount(
      counts,
      table,
      await deleteCounted(tx, table, eq(column, workspaceId)),
    );
}

/**
 * Applies SOLE_OWNER_RULE to every workspace the person owns with no other
 * owner, in the caller's transaction, adding deleted rows to `counts`.
 */
export async function settleOwnedWorkspaces(
  tx: Database,
  userId: string,
  pseudonym: string,
  counts: Record<string, number>,
): Promise<WorkspaceOutcome[]> {
  const owned = await tx
    .select({ workspaceId: memberships.workspaceId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, "owner")))
    .for("update");
  const outcomes: WorkspaceOutcome[] = [];
  for (const { workspaceId } of owned) {
    const others = await tx
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, workspaceId),
          ne(memberships.userId, userId),
        ),
      )
      .orderBy(asc(memberships.createdAt), asc(memberships.userId));
    if (others.some((member) => member.role === "owner")) continue;
    const heir = others.find((member) => member.role === "admin");
    if (!heir) {
      await deleteWorkspace(tx, workspaceId, counts);
      outcomes.push({ workspaceId, outcome: "deleted" });
      continue;
    }
    await tx
      .update(memberships)
      .set({ role: "owner" })
      .where(
        and(
          eq(memberships.workspaceId, workspaceId),
          eq(memberships.userId, heir.userId),
        ),
      );
    await writeAudit(tx, {
      workspaceId,
      actorUserId: null,
      action: "workspace.ownership_transferred",
      targetType: "user",
      targetId: heir.userId,
      details: {
        from: pseudonym,
        reason: "previous owner deleted their account",
      },
    });
    outcomes.push({ workspaceId, outcome: "transferred" });
  }
  return outcomes;
}
