import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import { ROLE_RANK, type WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  invitations,
  memberships,
  users,
  workspaces,
  type Invitation,
  type Role,
} from "../db/schema";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";

export const INVITATION_TTL_DAYS = 7;
const DAY_MS = 86_400_000;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random token: 32 bytes, base64url, so it fits in a URL path. */
function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function invitationUrl(appUrl: string, token: string): string {
  return `${appUrl}/invite/${token}`;
}

export type PendingInvitationView = {
  id: string;
  email: string;
  role: Role;
  allowAnyEmail: boolean;
  expiresAt: Date;
  sentAt: Date;
  invitedBy: string | null;
};

/** Invitations not yet accepted or revoked, newest first, expired ones included. */
export async function listPendingInvitations(
  database: Database,
  context: WorkspaceContext,
): Promise<PendingInvitationView[]> {
  return database
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      allowAnyEmail: invitations.allowAnyEmail,
      expiresAt: invitations.expiresAt,
      sentAt: invitations.sentAt,
      invitedBy: users.name,
    })
    .from(invitations)
    .leftJoin(users, eq(users.id, invitations.invitedByUserId))
    .where(
      and(
        eq(invitations.workspaceId, context.workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

function assertGrantable(context: WorkspaceContext, role: Role): void {
  if (ROLE_RANK[role] > ROLE_RANK[context.role]) {
    throw new ForbiddenError(
      `You cannot invite as ${role}, which is above your own role (${context.role}).`,
    );
  }
}

export type CreatedInvitation = {
  id: string;
  email: string;
  role: Role;
  token: string;
  expiresAt: Date;
};

/** Creates an invitation and its audit row; returns the only copy of the token. */
export async function createInvitation(
  database: Database,
  context: WorkspaceContext,
  input: { email: string; role: Role; allowAnyEmail: boolean },
  now: Date = new Date(),
): Promise<CreatedInvitation> {
  assertGrantable(context, input.role);
  const email = input.email.trim().toLowerCase();
  return database.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.workspaceId, context.workspaceId),
          sql`lower(${users.email}) = ${email}`,
        ),
      )
      .limit(1);
    if (member) throw new ConflictError(`${email} is already a member.`);
    const [pending] = await tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(
        and(
          eq(invitations.workspaceId, context.workspaceId),
          eq(invitations.email, email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .limit(1);
    if (pending) {
      throw new ConflictError(
        `${email} already has a pending invitation. Resend or revoke it instead.`,
      );
    }

    const { token, tokenHash } = newToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS);
    const [created] = await tx
      .insert(invitations)
      .values({
        workspaceId: context.workspaceId,
        email,
        role: input.role,
        allowAnyEmail: input.allowAnyEmail,
        tokenHash,
        invitedByUserId: context.userId,
        expiresAt,
        sentAt: now,
      })
      .returning({ id: invitations.id });
    if (!created) throw new Error("Invitation insert returned no row");
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "member.invited",
      targetType: "invitation",
      targetId: created.id,
      details: {
        role: input.role,
        allowAnyEmail: input.allowAnyEmail,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return { id: created.id, email, role: input.role, token, expiresAt };
  });
}

/** Loads a pending invitation of the caller's workspace, or 404. */
async function loadPending(
  tx: Database,
  context: WorkspaceContext,
  invitationId: string,
): Promise<Invitation> {
  const [invitation] = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.id, invitationId),
        eq(invitations.workspaceId, context.workspaceId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .limit(1)
    .for("update");
  if (!invitation) throw new NotFoundError("The invitation");
  return invitation;
}

/**
 * Issues a new token and a new expiry for a pending invitation. Only the
 * hash of the first token was stored, so the earlier link stops working.
 */
export async function resendInvitation(
  database: Database,
  context: WorkspaceContext,
  invitationId: string,
  now: Date = new Date(),
): Promise<CreatedInvitation> {
  return database.transaction(async (tx) => {
    const invitation = await loadPending(tx, context, invitationId);
    assertGrantable(context, invitation.role);
    const { token, tokenHash } = newToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS);
    await tx
      .update(invitations)
      .set({ tokenHash, expiresAt, sentAt: now })
      .where(eq(invitations.id, invitation.id));
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "invitation.resent",
      targetType: "invitation",
      targetId: invitation.id,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      token,
      expiresAt,
    };
  });
}

export async function revokeInvitation(
  database: Database,
  context: WorkspaceContext,
  invitationId: string,
  now: Date = new Date(),
): Promise<void> {
  await database.transaction(async (tx) => {
    const invitation = await loadPending(tx, context, invitationId);
    assertGrantable(context, invitation.role);
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(eq(invitations.id, invitation.id));
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: invitation.id,
      details: { role: invitation.role },
    });
  });
}

export type InvitationPreview = {
  workspaceName: string;
  role: Role;
  email: string;
  allowAnyEmail: boolean;
  invitedBy: string | null;
  /** Why it cannot be accepted, or null when it can. */
  problem: "expired" | "used" | "revoked" | null;
};

/** Looks an invitation up by its token, for the page that accepts it. */
export async function previewInvitation(
  database: Database,
  token: string,
  now: Date = new Date(),
): Promise<InvitationPreview | null> {
  const [row] = await database
    .select({
      workspaceName: workspaces.name,
      role: invitations.role,
      email: invitations.email,
      allowAnyEmail: invitations.allowAnyEmail,
      invitedBy: users.name,
      expiresAt: invitations.expiresAt,
      acceptedAt: invitations.acceptedAt,
      revokedAt: invitations.revokedAt,
    })
    .from(invitations)
    .innerJoin(workspaces, eq(workspaces.id, invitations.workspaceId))
    .leftJoin(users, eq(users.id, invitations.invitedByUserId))
    .where(eq(invitations.tokenHash, hashInvitationToken(token)))
    .limit(1);
  if (!row) return null;
  const { expiresAt, acceptedAt, revokedAt, ...preview } = row;
  const problem = revokedAt
    ? "revoked"
    : acceptedAt
      ? "used"
      : expiresAt <= now
        ? "expired"
        : null;
  return { ...preview, problem };
}

export const INVITATION_PROBLEMS = {
  expired: "This invitation has expired. Ask an admin to resend it.",
  used: "This invitation was already used. Ask an admin for a new one.",
  revoked: "This invitation was revoked. Ask an admin for a new one.",
} as const;

/**
 * Accepts an invitation for the signed-in user: checks it is pending and
 * addressed to their email (unless any address was allowed), then adds the
 * membership, marks the invitation used and writes the audit row in one
 * transaction. Returns the workspace joined.
 */
export async function acceptInvitation(
  database: Database,
  user: { id: string; email: string | null },
  token: string,
  now: Date = new Date(),
): Promise<{ workspaceId: string; role: Role }> {
  return database.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(eq(invitations.tokenHash, hashInvitationToken(token)))
      .limit(1)
      .for("update");
    if (!invitation) throw new NotFoundError("The invitation");
    if (invitation.revokedAt)
      throw new ConflictError(INVITATION_PROBLEMS.revoked);
    if (invitation.acceptedAt)
      throw new ConflictError(INVITATION_PROBLEMS.used);
    if (invitation.expiresAt <= now)
      throw new ConflictError(INVITATION_PROBLEMS.expired);
    const email = user.email?.toLowerCase() ?? null;
    if (!invitation.allowAnyEmail && email !== invitation.email) {
      throw new ForbiddenError(
        `This invitation is for ${invitation.email}, but you are signed in as ${email ?? "a LinkedIn account without an email"}. Sign in with the invited account or ask for an invitation to your address.`,
      );
    }

    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, invitation.workspaceId),
          eq(memberships.userId, user.id),
        ),
      )
      .limit(1);
    if (existing) {
      throw new ConflictError(
        "You are already a member of this workspace. Switch to it in the header.",
      );
    }

    await tx.insert(memberships).values({
      workspaceId: invitation.workspaceId,
      userId: user.id,
      role: invitation.role,
    });
    await tx
      .update(invitations)
      .set({ acceptedAt: now, acceptedByUserId: user.id })
      .where(eq(invitations.id, invitation.id));
    await writeAudit(tx, {
      workspaceId: invitation.workspaceId,
      actorUserId: user.id,
      action: "member.joined",
      targetType: "invitation",
      targetId: invitation.id,
      details: { role: invitation.role },
    });
    return { workspaceId: invitation.workspaceId, role: invitation.role };
  });
}
