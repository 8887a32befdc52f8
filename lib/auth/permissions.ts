import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { preparedQuery } from "../db/prepared";
import { memberships, type Role } from "../db/schema";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../errors";

// What each role may do, written once. The UI hides what a role cannot do;
// the server checks it here regardless.

export const PERMISSIONS = {
  "dashboard.view": ["owner", "admin", "marketer", "viewer"],
  "connections.view": ["owner", "admin", "marketer", "viewer"],
  "connections.connect": ["owner", "admin", "marketer"],
  "connections.manage": ["owner", "admin"],
  "members.manage": ["owner", "admin"],
  "audit.view": ["owner", "admin"],
  "workspace.settings": ["owner"],
  "metrics.view_all_members": ["owner", "admin"],
  // Under the default export policy only; the workspace setting decides.
  "metrics.export_all_members": ["owner", "admin"],
} as const satisfies Record<string, readonly Role[]>;

/** Rank of each role: a caller never grants, changes or removes a role above their own. */
export const ROLE_RANK: Record<Role, number> = {
  owner: 4,
  admin: 3,
  marketer: 2,
  viewer: 1,
};

/** Roles the caller's role may hand out: their own and every role below it. */
export function grantableRoles(role: Role): Role[] {
  return (Object.keys(ROLE_RANK) as Role[]).filter(
    (candidate) => ROLE_RANK[candidate] <= ROLE_RANK[role],
  );
}

const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Permission = keyof typeof PERMISSIONS;

export function roleAllows(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The signed-in caller acting in one workspace, as every data function takes it. */
export type WorkspaceContext = {
  userId: string;
  workspaceId: string;
  role: Role;
};

const membershipRole = preparedQuery((database) =>
  database
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, sql.placeholder("userId")),
        eq(memberships.workspaceId, sql.placeholder("workspaceId")),
      ),
    )
    .limit(1)
    .prepare("inview_membership_role"),
);

/**
 * Checks that the caller is a member of the workspace and that their role
 * allows the permission. A workspace the caller does not belong to is "not
 * found", so its existence is never confirmed.
 */
export async function authorize(
  database: Database,
  userId: string | null | undefined,
  workspaceId: string,
  permission: Permission,
): Promise<WorkspaceContext> {
  if (!userId) throw new UnauthorizedError();
  if (!UUID_PATTERN.test(workspaceId)) throw new NotFoundError("The workspace");
  const [membership] = await membershipRole(database).execute({
    userId,
    workspaceId,
  });
  if (!membership) throw new NotFoundError("The workspace");
  if (!roleAllows(membership.role, permission)) throw new ForbiddenError();
  return { userId, workspaceId, role: membership.role };
}

/**
 * Checks a membership the caller's own query read in this request, such as
 * the one `currentWorkspace` returns, against the permission without a
 * second query. A workspace id that comes from the request needs
 * `authorize`, which reads the membership itself.
 */
export function authorizeMembership(
  userId: string,
  membership: { workspaceId: string; role: Role },
  permission: Permission,
): WorkspaceContext {
  if (!roleAllows(membership.role, permission)) throw new ForbiddenError();
  return { userId, workspaceId: membership.workspaceId, role: membership.role };
}
