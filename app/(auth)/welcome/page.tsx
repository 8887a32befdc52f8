import type { Metadata } from "next";
import { redirect } from "next/navigation";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { Card } from "@/components/ui/card";
import { CreateWorkspaceForm } from "./create-workspace-form";

export const metadata: Metadata = { title: "Create a workspace" };
export const dynamic = "force-dynamic";

// Where a signed-in person lands who belongs to no workspace, for example
// after leaving their last one; the dashboard pages send them here.
export default async function WelcomePage() {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  if (await currentWorkspace(user.id)) redirect("/dashboard");

  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm space-y-4 p-6">
        <h1 className="text-xl font-semibold">You are in no workspace</h1>
        <p className="text-sm text-muted">
          Create a workspace to connect LinkedIn analytics, or ask an admin of
          an existing workspace to invite {user.email ?? "you"}.
        </p>
        <CreateWorkspaceForm />
      </Card>
    </main>
  );
}
