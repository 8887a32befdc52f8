import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  isNotNull,
  lt,
  sql,
  type SQL,
} from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { auditEvents, linkedinConnections, users } from "../db/schema";
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
  /** Name of a target user or connection that still exists. */
  targetName: string | null;
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
  const targetUser = alias(users, "target_user");
  const [events, [counted]] = await Promise.all([
    database
      .select({
        id: auditEvents.id,
        actorUserId: auditEvents.actorUserId,
        actorName: users.name,
        action: auditEvents.action,
        targetType: auditEvents.targetType,
        targetId: auditEvents.targetId,
        targetName: sql<
          string | null
        >`coalesce(${targetUser.name}, ${targetUser.email}, ${linkedinConnections.name})`,
        details: auditEvents.details,
        createdAt: auditEvents.createdAt,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorUserId))
      .leftJoin(
        targetUser,
        and(
          eq(auditEvents.targetType, "user"),
          eq(targetUser.id, auditEvents.targetId),
        ),
      )
      // Only a connection of the same workspace, so no other name shows.
      .leftJoin(
        linkedinConnections,
        and(
          eq(auditEvents.targetType, "connection"),
          sql`${linkedinConnections.id}::text = ${auditEvents.targetId}`,
          eq(linkedinConnections.workspaceId, auditEvents.workspaceId),
        ),
      )
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE),
    database.select({ n: count() }).from(auditEvents).where(where),
  ]);
  return { events, total: counted?.n ?? 0 };
}

export type AuditActor = { userId: string; name: string };

/**
 * Lists everyone who acted in the workspace's audit events, members who
 * have since left included, for the actor filter.
 */
export async function listAuditActors(
  database: Database,
  context: WorkspaceContext,
): Promise<AuditActor[]> {
  const rows = await database
    .selectDistinct({
      userId: users.id,
      name: sql<string>`coalesce(${users.name}, ${users.email}, ${users.id})`,
    })
    .from(auditEvents)
    .innerJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(
      and(
        eq(auditEvents.workspaceId, context.workspaceId),
        isNotNull(auditEvents.actorUserId),
      ),
    )
    .orderBy(
      asc(sql`coalesce(${users.name}, ${users.email}, ${users.id})`),
      asc(users.id),
    );
  return rows;
}

/** Pseudonym prefix an erased person's audit references carry. */
const ERASED_PREFIX = "erased:";

/** Names an event's actor: the user, an erased person's pseudonym, or the system. */
export function describeActor(event: AuditEventView): string {
  if (event.actorName) return event.actorName;
  const pseudonym = event.details.actorPseudonym;
  if (typeof pseudonym === "string") return `deleted account (${pseudonym})`;
  return event.actorUserId ?? "system";
}

/** Names an event's target, preferring a name to the id. */
export function describeTarget(event: AuditEventView): string {
  if (!event.targetType) return "";
  if (event.targetName) return `${event.targetType} ${event.targetName}`;
  if (event.targetId?.startsWith(ERASED_PREFIX))
    return `${event.targetType}: deleted account (${event.targetId})`;
  return `${event.targetType} ${event.targetId ?? ""}`.trim();
}

/** Summarises an event's details that people read, such as a role change. */
export function describeDetails(event: AuditEventView): string {
  const { before, after } = event.details;
  if (
    event.action === "member.role_changed" &&
    typeof before === "string" &&
    typeof after === "string"
  )
    return `from ${before} to ${after}`;
  return "";
}
