import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { signOut } from "@/lib/auth/config";
import { roleAllows } from "@/lib/auth/permissions";
import { currentWorkspace, getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { LINKEDIN_VERSION } from "@/lib/linkedin/config";
import { versionSunset } from "@/lib/sync/connection-state";

export const dynamic = "force-dynamic";

async function signOutAction() {
  "use server";
  await signOut({ redirectTo: "/sign-in" });
}

const NAV = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/connections", label: "Connections" },
];
const ADMIN_NAV = [{ href: "/api-health", label: "API health" }];

// Redirecting here is a convenience for people; every page, action and route
// handler checks the session and the role again on its own.
export default async function DashboardLayout({
  children,
}: {
  children: ReactNode;
}) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const workspace = await currentWorkspace(user.id);
  const isAdmin = workspace
    ? roleAllows(workspace.role, "connections.manage")
    : false;
  const nav = isAdmin ? [...NAV, ...ADMIN_NAV] : NAV;
  const sunset = isAdmin ? await versionSunset(db(), LINKEDIN_VERSION) : null;

  return (
    <div className="min-h-screen">
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/dashboard" className="text-lg font-semibold">
            Inview
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm">
            {nav.map((item) => (
              <Link
                key={item.href}
                href={item.href}
                className="hover:text-accent"
              >
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <span className="text-muted" title="Current workspace">
              {workspace?.name}
            </span>
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
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
