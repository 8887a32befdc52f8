import { db } from "../db/client";
import { LINKEDIN_VERSION } from "../linkedin/config";
import { versionSunset } from "../sync/connection-state";
import type { WorkspaceSummary } from "../workspaces/personal";
import { roleAllows, type Permission } from "./permissions";
import { currentWorkspace, type SessionUser } from "./session";

/** The contents of the header of every signed-in page. */
export type AccountHeaderData = {
  userName: string | null;
  currentWorkspaceId: string;
  workspaces: WorkspaceSummary[];
  /** The links of the main navigation the caller's role may follow. */
  links: { href: string; label: string }[];
  /** The LinkedIn-Version LinkedIn stopped serving, for owners and admins. */
  sunsetVersion: string | null;
};

// Each link shows only to roles with its permission, and the pages check again.
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

/**
 * Reads the header of a signed-in page for `user`, or null when they belong
 * to no workspace. The version record is about the whole installation, not
 * a workspace, so it is read alongside the workspaces and shown to owners
 * and admins only.
 */
export async function loadAccountHeader(
  user: SessionUser,
): Promise<AccountHeaderData | null> {
  const [workspace, sunset] = await Promise.all([
    currentWorkspace(user.id),
    versionSunset(db(), LINKEDIN_VERSION),
  ]);
  if (!workspace) return null;
  const isAdmin = roleAllows(workspace.role, "connections.manage");
  return {
    userName: user.name,
    currentWorkspaceId: workspace.id,
    workspaces: workspace.all,
    links: NAV.filter((item) =>
      roleAllows(workspace.role, item.permission),
    ).map(({ href, label }) => ({ href, label })),
    sunsetVersion: isAdmin && sunset ? sunset.version : null,
  };
}
