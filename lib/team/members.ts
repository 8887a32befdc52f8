import { and, asc, count, eq } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import { ROLE_RANK, type WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  linkedinConnections,
  linkedinGrants,
  memberships,
  users,
  type Role,
} from "../db/schema";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import {
  revokeGrantTokens,
  type GrantTokens,
  type TokenRevocationDeps,
} from "../privacy/linkedin-revoke";

export type MemberView = {
  userId: string;
  name: string | null;
  email: string | null;
  role: Role;
  joinedAt: Date;
  /** Connections this member added; they leave the workspace with them. */
  connectionCount: number;
};

/** The workspace's members with the columns the team page shows. */
export async function listMembers(
  database: Database,
  context: WorkspaceContext,
): Promise<MemberView[]> {
  const rows = await database
    .select({
      userId: memberships.userId,
      name: users.name,
      email: users.email,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, context.workspaceId))
    .orderBy(asc(memberships.createdAt));
  const counts = await database
    .select({ userId: linkedinConnections.userId, n: count() })
    .from(linkedinConnections)
    .where(eq(linkedinConnections.workspaceId, context.workspaceId))
    .groupBy(linkedinConnections.userId);
  const byUser = new Map(counts.map((row) => [row.userId, row.n]));
  return rows.map((row) => ({
    ...row,
    connectionCount: byUser.get(row.userId) ?? 0,
  }));
}

/**
 * Loads the workspace's memberships locked for update, so two concurrent
 * changes cannot both remove the last owner.
 */
async function lockMemberships(tx: Database, workspaceId: string) {
  return tx
    .select({ userId: memberships.userId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.workspaceId, workspaceId))
    .for("update");
}

function findMember(
  rows: { userId: string; role: Role }[],
  userId: string,
): { userId: string; role: Role } {
  const member = rows.find((row) => row.userId === userId);
  if (!member) throw new NotFoundError("The member");
  return member;
}

function assertNotLastOwner(
  rows: { userId: string; role: Role }[],
  member: { role: Role },
  message: string,
): void {
  const owners = rows.filter((row) => row.role === "owner").length;
  if (member.role === "owner" && owners <= 1) throw new ConflictError(message);
}

/** Refuses changing a member who ranks above the caller. */
function assertOutranks(context: WorkspaceContext, target: { role: Role }) {
  if (ROLE_RANK[target.role] > ROLE_RANK[context.role]) {
    throw new ForbiddenError(
      `Only an owner can change or remove an owner of this workspace.`,
    );
  }
}

/** Changes a member's role, with its audit row, in one transaction. */
export async function changeMemberRole(
  database: Database,
  context: WorkspaceContext,
  input: { userId: string; role: Role },
): Promise<void> {
  if (ROLE_RANK[input.role] > ROLE_RANK[context.role]) {
    throw new ForbiddenError(
      `You cannot grant the ${input.role} role, which is above your own role (${context.role}).`,
    );
  }
  await database.transaction(async (tx) => {
    const rows = await lockMemberships(tx, context.workspaceId);
    const member = findMember(rows, input.userId);
    assertOutranks(context, member);
    if (member.role === input.role) return;
    if (input.role !== "owner") {
      assertNotLastOwner(
        rows,
        member,
        "The last owner cannot be demoted. Make another member an owner first.",
      );
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(
        and(
          eq(memberships.workspaceId, context.workspaceId),
          eq(memberships.userId, input.userId),
        ),
      );
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: input.userId,
      details: { before: member.role, after: input.role },
    });
  });
}

export type MemberRemoval = {
  connectionsRemoved: number;
  /** Counts of grants whose tokens LinkedIn confirmed revoked, and of those it did not. */
  tokensRevoked: number;
  tokensNotRevoked: number;
};

/**
 * Deletes a membership and what the member brought: their connections (with
 * every metric stored for them) and their LinkedIn grants in this workspace.
 * Their other workspaces are untouched. Sessions are not per workspace, so
 * access ends at once because every request re-checks the membership.
 * Returns the deleted grants' encrypted tokens, to revoke after commit.
 */
async function deleteMembership(
  tx: Database,
  workspaceId: string,
  userId: string,
): Promise<{ connectionsRemoved: number; grants: GrantTokens[] }> {
  const removed = await tx
    .delete(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.workspaceId, workspaceId),
        eq(linkedinConnections.userId, userId),
      ),
    )
    .returning({ id: linkedinConnections.id });
  const grants = await tx
    .delete(linkedinGrants)
    .where(
      and(
        eq(linkedinGrants.workspaceId, workspaceId),
        eq(linkedinGrants.userId, userId),
      ),
    )
    .returning({
      id: linkedinGrants.id,
      access: linkedinGrants.accessTokenEncrypted,
      refresh: linkedinGrants.refreshTokenEncrypted,
    });
  await tx
    .delete(memberships)
    .where(
      and(
        eq(memberships.workspaceId, workspaceId),
        eq(memberships.userId, userId),
      ),
    );
  return { connectionsRemoved: removed.length, grants };
}

/**
 * Revokes the tokens of the grants a removal deleted. It runs after the
 * removal committed, so a slow or failing LinkedIn never holds the
 * transaction open or blocks the removal; failures are logged.
 */
async function revokeRemovedGrants(
  removal: { connectionsRemoved: number; grants: GrantTokens[] },
  userId: string,
  deps: TokenRevocationDeps,
): Promise<MemberRemoval> {
  const results = await revokeGrantTokens(removal.grants, userId, deps);
  return {
    connectionsRemoved: removal.connectionsRemoved,
    tokensRevoked: results.filter((result) => result.revoked).length,
    tokensNotRevoked: results.filter((result) => !result.revoked).length,
  };
}

/**
 * Removes another member from the workspace, with its audit row, then
 * revokes at LinkedIn the tokens of the grants they had in it.
 */
export async function removeMember(
  database: Database,
  context: WorkspaceContext,
  userId: string,
  revocation: TokenRevocationDeps,
): Promise<MemberRemoval> {
  if (userId === context.userId) {
    throw new ConflictError("To remove yourself, use Leave workspace instead.");
  }
  const removal = await database.transaction(async (tx) => {
    const rows = await lockMemberships(tx, context.workspaceId);
    const member = findMember(rows, userId);
    assertOutranks(context, member);
    assertNotLastOwner(
      rows,
      member,
      "The last owner cannot be removed. Make another member an owner first.",
    );
    const result = await deleteMembership(tx, context.workspaceId, userId);
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "member.removed",
      targetType: "user",
      targetId: userId,
      details: {
        role: member.role,
        connectionsRemoved: result.connectionsRemoved,
        grantsRemoved: result.grants.length,
      },
    });
    return result;
  });
  return revokeRemovedGrants(removal, userId, revocation);
}

/**
 * Takes the caller out of the workspace, with its audit row, then revokes
 * at LinkedIn the tokens of the grants they had in it.
 */
export async function leaveWorkspace(
  database: Database,
  context: WorkspaceContext,
  revocation: TokenRevocationDeps,
): Promise<MemberRemoval> {
  const removal = await database.transaction(async (tx) => {
    const rows = await lockMemberships(tx, context.workspaceId);
    const member = findMember(rows, context.userId);
    assertNotLastOwner(
      rows,
      member,
      "You are the last owner, so you cannot leave. Make another member an owner first.",
    );
    const result = await deleteMembership(
      tx,
      context.workspaceId,
      context.userId,
    );
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "member.left",
      targetType: "user",
      targetId: context.userId,
      details: {
        role: member.role,
        connectionsRemoved: result.connectionsRemoved,
        grantsRemoved: result.grants.length,
      },
    });
    return result;
  });
  return revokeRemovedGrants(removal, context.userId, revocation);
}
