import { and, count, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { auditEvents, users } from "../db/schema";
import { addDays } from "../linkedin/days";

export const AUDIT_PAGE_SIZE = 50;

export type AuditFilter = {
  actorUserId?: string;
  action?: string;
  /** Inclusive UTC days as `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  page: number;
};

export type AuditEventView = {
  id: number;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
};

/** One page of the workspace's audit events, newest first, and the total count. */
export async function listAuditEvents(
  database: Database,
  context: WorkspaceContext,
  filter: AuditFilter,
): Promise<{ events: AuditEventView[]; total: number }> {
  const conditions: (SQL | undefined)[] = [
    eq(auditEvents.workspaceId, context.workspaceId),
    filter.actorUserId
      ? eq(auditEvents.actorUserId, filter.actorUserId)
      : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.from
      ? gte(auditEvents.createdAt, new Date(`${filter.from}T00:00:00Z`))
      : undefined,
    filter.to
      ? lt(
          auditEvents.createdAt,
          new Date(`${addDays(filter.to, 1)}T00:00:00Z`),
        )
      : undefined,
  ];
  const where = and(...conditions);
  const [events, [counted]] = await Promise.all([
    database
      .select({
        id: auditEvents.id,
        actorUserId: auditEvents.actorUserId,
        actorName: users.name,
        action: auditEvents.action,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        details: auditEvents.details,
        createdAt: auditEvents.createdAt,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    database.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return { events, total: counted?.n ?? 0 };
}
