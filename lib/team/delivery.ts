import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { sendInvitationMail, type MailOptions } from "../mail/invitation";
import { loadWorkspaceName } from "../workspaces/workspaces";
import { invitationUrl, type CreatedInvitation } from "./invitations";

export type InvitationSent = {
  invitationId: string;
  email: string;
  /** The link to pass on, when it was not emailed. */
  link: string | null;
  emailed: boolean;
};

/**
 * Emails the invitation link to the invitee, or returns the link for the
 * admin to copy when no mail was sent. Call it after the invitation
 * committed, so a slow or failing SMTP server never holds a transaction open.
 */
export async function deliverInvitation(
  database: Database,
  context: WorkspaceContext & { inviterName: string | null },
  invitation: CreatedInvitation,
  options: MailOptions & { appUrl: string },
): Promise<InvitationSent> {
  const link = invitationUrl(options.appUrl, invitation.token);
  const emailed = await sendInvitationMail(
    {
      to: invitation.email,
      workspaceName: await loadWorkspaceName(database, context),
      inviterName: context.inviterName,
      role: invitation.role,
      link,
      expiresAt: invitation.expiresAt,
    },
    options,
  );
  return {
    invitationId: invitation.id,
    email: invitation.email,
    link: emailed ? null : link,
    emailed,
  };
}
