import Link from "next/link";
import type { AccountHeaderData } from "@/lib/auth/account-header";
import { signOutAction } from "./actions";
import { WorkspaceSwitcher } from "./workspace-switcher";

/**
 * Renders the header of every signed-in page: the navigation the caller's role
 * allows, the workspace picker, the name and Sign out, and for owners and
 * admins a notice when LinkedIn stopped serving the pinned API version.
 * The server layout renders it with the page, and the prerendered dashboard
 * renders it once the browser has loaded the same data.
 */
export function AccountHeader({ header }: { header: AccountHeaderData }) {
  return (
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
            {header.links.map((item) => (
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
            <WorkspaceSwitcher
              currentId={header.currentWorkspaceId}
              workspaces={header.workspaces}
            />
            <span>{header.userName}</span>
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
      {header.sunsetVersion ? (
        <div
          role="alert"
          className="border-b border-border bg-danger-surface px-4 py-2 text-center text-sm"
        >
          LinkedIn no longer serves API version {header.sunsetVersion}, so every
          sync fails. Upgrade Inview to a release that pins a newer
          LinkedIn-Version. Collected data is kept.
        </div>
      ) : null}
    </>
  );
}
