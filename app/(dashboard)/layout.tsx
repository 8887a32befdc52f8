import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { signOut } from "@/lib/auth/config";
import { roleAllows, type Permission } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { LINKEDIN_VERSION } from "@/lib/linkedin/config";
import { versionSunset } from "@/lib/sync/connection-state";
import { AccountShell } from "./account-shell";
import { WorkspaceSwitcher } from "./workspace-switcher";

export const dynamic = "force-dynamic";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/sign-in" });
}

// Each link shows only to roles with its permission; the pages check again.
const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: "/dashboard", label: "Dashboard", permission: "dashboard.view" },
  {
    href: "/connections",
    label: "Connections",
    permission: "connections.view",
  },
  { href: "/team", label: "Team", permission: "members.manage" },
  { href: "/audit", label: "Audit log", permission: "audit.view" },
  { href: "/privacy", label: "Privacy", permission: "dashboard.view" },
  {
    href: "/api-health",
    label: "API health",
    permission: "connections.manage",
  },
];

// Redirecting here is a convenience for people; every page, action and route
// handler checks the session and the role again on its own.
export default async function DashboardLayout({
  children,
}: {
  children: ReactNode;
}) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  // The version record is about the whole installation, not a workspace, so
  // it is read alongside the workspaces and shown to owners and admins only.
  const [workspace, versionStatus] = await Promise.all([
    currentWorkspace(user.id),
    versionSunset(db(), LINKEDIN_VERSION),
  ]);
  if (!workspace) redirect("/welcome");
  const links = NAV.filter((item) =>
    roleAllows(workspace.role, item.permission),
  );
  const isAdmin = roleAllows(workspace.role, "connections.manage");
  const sunset = isAdmin ? versionStatus : null;

  const header = (
    <>
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/dashboard" className="text-lg font-semibold">
            Inview
          </Link>
          <nav
            aria-label="Main"
            className="flex flex-wrap gap-x-4 gap-y-1 text-sm"
          >
            {links.map((item) => (
              <Link
                key={item.href}
                href={item.href}
                className="hover:text-accent"
              >
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
            {workspace ? (
              <WorkspaceSwitcher
                currentId={workspace.id}
                workspaces={workspace.all}
              />
            ) : null}
            <span>{user.name}</span>
            <form action={signOutAction}>
              <button
                type="submit"
                className="underline-offset-2 hover:text-accent hover:underline"
              >
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      {sunset ? (
        <div
          role="alert"
          className="border-b border-border bg-danger-surface px-4 py-2 text-center text-sm"
        >
          LinkedIn no longer serves API version {sunset.version}, so every sync
          fails. Upgrade Inview to a release that pins a newer LinkedIn-Version.
          Collected data is kept.
        </div>
      ) : null}
    </>
  );

  return (
    <div className="min-h-screen">
      <AccountShell header={header}>{children}</AccountShell>
    </div>
  );
}
