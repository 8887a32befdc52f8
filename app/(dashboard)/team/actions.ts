"use server";

import { z } from "zod";
import { requireMember, runAction, workspaceIdOf } from "@/lib/auth/guard";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ROLES } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { tokenRevocationDeps } from "@/lib/privacy/deps";
import {
  consumeRateLimit,
  INVITATIONS_PER_USER_LIMIT,
  INVITATIONS_PER_WORKSPACE_LIMIT,
} from "@/lib/privacy/rate-limit";
import type { ActionResult } from "@/lib/result";
import { deliverInvitation, type InvitationSent } from "@/lib/team/delivery";
import {
  createInvitation,
  resendInvitation as reissueInvitation,
  revokeInvitation as markInvitationRevoked,
  type CreatedInvitation,
} from "@/lib/team/invitations";
import {
  changeMemberRole as updateMemberRole,
  leaveWorkspace as deleteOwnMembership,
  removeMember as deleteMembership,
  type MemberRemoval,
} from "@/lib/team/members";

// Exported server actions are public endpoints: each one parses its input,
// then checks the caller's membership and role in the named workspace.

function parse<T>(schema: z.ZodType<T>, input: unknown, message: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(message);
  return parsed.data;
}

const inviteSchema = z.object({
  email: z.email(),
  role: z.enum(ROLES),
  allowAnyEmail: z.boolean().default(false),
});

/** Counts one sent invitation mail against the inviter's and the workspace's limits. */
async function consumeInvitationLimits(context: WorkspaceContext) {
  await consumeRateLimit(db(), context.userId, INVITATIONS_PER_USER_LIMIT);
  await consumeRateLimit(
    db(),
    { workspaceId: context.workspaceId },
    INVITATIONS_PER_WORKSPACE_LIMIT,
  );
}

function deliver(
  invitation: CreatedInvitation,
  context: WorkspaceContext & { user: SessionUser },
): Promise<InvitationSent> {
  return deliverInvitation(
    db(),
    { ...context, inviterName: context.user.name },
    invitation,
    { appUrl: env().appUrl },
  );
}

export async function inviteMember(input: {
  workspaceId: string;
  email: string;
  role: string;
  allowAnyEmail?: boolean;
}): Promise<ActionResult<InvitationSent>> {
  return runAction("inviteMember", async () => {
    const context = await requireMember(workspaceIdOf(input), "members.manage");
    const fields = parse(
      inviteSchema,
      input,
      "Enter a valid email address and choose a role.",
    );
    await consumeInvitationLimits(context);
    const invitation = await createInvitation(db(), context, fields);
    return deliver(invitation, context);
  });
}

const invitationSchema = z.object({
  invitationId: z.uuid(),
});

export async function resendInvitation(input: {
  workspaceId: string;
  invitationId: string;
}): Promise<ActionResult<InvitationSent>> {
  return runAction("resendInvitation", async () => {
    const context = await requireMember(workspaceIdOf(input), "members.manage");
    const { invitationId } = parse(
      invitationSchema,
      input,
      "The invitation id is invalid. Reload the page.",
    );
    await consumeInvitationLimits(context);
    const invitation = await reissueInvitation(db(), context, invitationId);
    return deliver(invitation, context);
  });
}

export async function revokeInvitation(input: {
  workspaceId: string;
  invitationId: string;
}): Promise<ActionResult<null>> {
  return runAction("revokeInvitation", async () => {
    const context = await requireMember(workspaceIdOf(input), "members.manage");
    const { invitationId } = parse(
      invitationSchema,
      input,
      "The invitation id is invalid. Reload the page.",
    );
    await markInvitationRevoked(db(), context, invitationId);
    return null;
  });
}

const memberSchema = z.object({
  userId: z.string().min(1),
});

export async function changeMemberRole(input: {
  workspaceId: string;
  userId: string;
  role: string;
}): Promise<ActionResult<null>> {
  return runAction("changeMemberRole", async () => {
    const context = await requireMember(workspaceIdOf(input), "members.manage");
    const { userId, role } = parse(
      memberSchema.extend({ role: z.enum(ROLES) }),
      input,
      "Choose one of the roles owner, admin, marketer or viewer.",
    );
    await updateMemberRole(db(), context, { userId, role });
    return null;
  });
}

export async function removeMember(input: {
  workspaceId: string;
  userId: string;
}): Promise<ActionResult<MemberRemoval>> {
  return runAction("removeMember", async () => {
    const context = await requireMember(workspaceIdOf(input), "members.manage");
    const { userId } = parse(
      memberSchema,
      input,
      "The member id is invalid. Reload the page.",
    );
    return deleteMembership(db(), context, userId, tokenRevocationDeps());
  });
}

export async function leaveWorkspace(input: {
  workspaceId: string;
}): Promise<ActionResult<MemberRemoval>> {
  return runAction("leaveWorkspace", async () => {
    const context = await requireMember(workspaceIdOf(input), "dashboard.view");
    return deleteOwnMembership(db(), context, tokenRevocationDeps());
  });
}
