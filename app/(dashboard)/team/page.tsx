import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { authorize, grantableRoles, roleAllows } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ForbiddenError } from "@/lib/errors";
import { loadExportPolicy } from "@/lib/exports/settings";
import { listPendingInvitations } from "@/lib/team/invitations";
import { listMembers } from "@/lib/team/members";
import { loadWorkspaceSettings } from "@/lib/workspaces/workspaces";
import { TeamClient } from "./team-client";

export const metadata: Metadata = { title: "Team" };
export const dynamic = "force-dynamic";

export default async function TeamPage() {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");

  let context;
  try {
    context = await authorize(db(), user.id, workspace.id, "members.manage");
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Team</h1>
        <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
          Your role in this workspace ({workspace.role}) cannot manage team
          members. Ask an owner or admin.
        </p>
      </div>
    );
  }

  const now = new Date();
  const [members, invitations, settings, apiExportPolicy] = await Promise.all([
    listMembers(db(), context),
    listPendingInvitations(db(), context),
    loadWorkspaceSettings(db(), context.workspaceId),
    loadExportPolicy(db(), context.workspaceId),
  ]);

  return (
    <TeamClient
      workspaceId={context.workspaceId}
      workspaceName={workspace.name}
      currentUserId={context.userId}
      role={context.role}
      grantableRoles={grantableRoles(context.role)}
      canEditSettings={roleAllows(context.role, "workspace.settings")}
      settings={{ ...settings, apiExportPolicy }}
      members={members.map((member) => ({
        ...member,
        joinedAt: member.joinedAt.toISOString(),
      }))}
      invitations={invitations.map((invitation) => ({
        ...invitation,
        expiresAt: invitation.expiresAt.toISOString(),
        sentAt: invitation.sentAt.toISOString(),
        expired: invitation.expiresAt <= now,
      }))}
    />
  );
}
