import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import type { Database } from "../db/client";
import {
  apiCalls,
  auditEvents,
  linkedinConnections,
  linkedinGrants,
  memberships,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  postMetricDaily,
  workspaces,
} from "../db/schema";
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

function add(counts: Record<string, number>, table: string, rows: number) {
  counts[table] = (counts[table] ?? 0) + rows;
}

async function deleteWorkspace(
  tx: Database,
  workspaceId: string,
  counts: Record<string, number>,
): Promise<void> {
  const connectionIds = sql`(select ${linkedinConnections.id} from ${linkedinConnections} where ${linkedinConnections.workspaceId} = ${workspaceId})`;
  add(
    counts,
    "metric_daily",
    await deleteCounted(
      tx,
      metricDaily,
      eq(metricDaily.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "post_metric_daily",
    await deleteCounted(
      tx,
      postMetricDaily,
      eq(postMetricDaily.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "metric_range_totals",
    await deleteCounted(
      tx,
      metricRangeTotals,
      eq(metricRangeTotals.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "metric_gaps",
    await deleteCounted(
      tx,
      metricGaps,
      inArray(metricGaps.connectionId, connectionIds),
    ),
  );
  add(
    counts,
    "api_calls",
    await deleteCounted(
      tx,
      apiCalls,
      inArray(apiCalls.connectionId, connectionIds),
    ),
  );
  add(
    counts,
    "linkedin_connections",
    await deleteCounted(
      tx,
      linkedinConnections,
      eq(linkedinConnections.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "linkedin_grants",
    await deleteCounted(
      tx,
      linkedinGrants,
      eq(linkedinGrants.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "audit_events",
    await deleteCounted(
      tx,
      auditEvents,
      eq(auditEvents.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "memberships",
    await deleteCounted(
      tx,
      memberships,
      eq(memberships.workspaceId, workspaceId),
    ),
  );
  add(
    counts,
    "workspaces",
    await deleteCounted(tx, workspaces, eq(workspaces.id, workspaceId)),
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
