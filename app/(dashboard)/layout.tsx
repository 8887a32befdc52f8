import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { loadAccountHeader } from "@/lib/auth/account-header";
import { getSessionUser, signInRedirectPath } from "@/lib/auth/session";
import { AccountHeader } from "./account-header";
import { AccountShell } from "./account-shell";

export const dynamic = "force-dynamic";

// Redirecting here is a convenience for people; every page, action and route
// handler checks the session and the role again on its own.
export default async function DashboardLayout({
  children,
}: {
  children: ReactNode;
}) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const header = await loadAccountHeader(user);
  if (!header) redirect("/welcome");

  return (
    <div className="min-h-screen">
      <AccountShell header={<AccountHeader header={header} />}>
        {children}
      </AccountShell>
    </div>
  );
}
