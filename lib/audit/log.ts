import type { Database } from "../db/client";
import { auditEvents } from "../db/schema";

/** Audit actions, named `entity.verb`. */
export type AuditAction =
  | "workspace.created"
  | "consent.granted"
  | "consent.withdrawn"
  | "connection.connected"
  | "connection.reconnected"
  | "connection.status_changed"
  | "connection.removed"
  | "sync.requested"
  | "workspace.settings_changed"
  | "member.invited"
  | "member.joined"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "invitation.resent"
  | "invitation.revoked"
  | "data.exported"
  | "account.erased"
  | "workspace.ownership_transferred"
  | "data.imported"
  | "data.import_linked"
  | "metrics.exported";

export type AuditEntry = {
  workspaceId: string | null;
  actorUserId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
};

/** Writes an audit row; pass the transaction of the change it records. */
export async function writeAudit(
  database: Database,
  entry: AuditEntry,
): Promise<void> {
  await database.insert(auditEvents).values({
    workspaceId: entry.workspaceId,
    actorUserId: entry.actorUserId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}
