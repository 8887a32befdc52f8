import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { Card } from "@/components/ui/card";
import { INVITATION_PROBLEMS, previewInvitation } from "@/lib/team/invitations";
import { AcceptForm } from "./accept-form";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ token: string }> };

export default async function InvitePage({ params }: Props) {
  const { token } = await params;
  const user = await getSessionUser();
  if (!user)
    redirect(`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`);

  const invitation = await previewInvitation(db(), token);
  const wrongEmail =
    invitation &&
    !invitation.allowAnyEmail &&
    invitation.email !== user.email?.toLowerCase();

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-md space-y-4 p-6">
        <h1 className="text-2xl font-semibold">Join a workspace</h1>
        {!invitation ? (
          <p role="alert">
            This invitation link is not valid. Check that you copied all of it,
            or ask an admin for a new one.
          </p>
        ) : invitation.problem ? (
          <p role="alert">{INVITATION_PROBLEMS[invitation.problem]}</p>
        ) : wrongEmail ? (
          <p role="alert">
            This invitation is for {invitation.email}, but you are signed in as{" "}
            {user.email ?? "a LinkedIn account without an email"}. Sign out and
            sign in with the invited account, or ask an admin to invite your
            address.
          </p>
        ) : (
          <>
            <p>
              {invitation.invitedBy ?? "A member"} invited you to{" "}
              <strong>{invitation.workspaceName}</strong> as{" "}
              <strong>{invitation.role}</strong>.
            </p>
            <AcceptForm token={token} />
          </>
        )}
      </Card>
    </main>
  );
}
