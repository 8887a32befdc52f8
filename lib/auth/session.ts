import { cookies } from "next/headers";
import type { Role } from "../db/schema";
import { db } from "../db/client";
import { UnauthorizedError } from "../errors";
import { listWorkspaces, type WorkspaceSummary } from "../workspaces/personal";
import { auth } from "./config";

export const WORKSPACE_COOKIE = "inview_workspace";

export type SessionUser = {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  /** When this device signed in; null when unknown. */
  signedInAt: Date | null;
};

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const user = session?.user;
  if (!user?.id) return null;
  return {
    id: user.id,
    name: user.name ?? null,
    email: user.email ?? null,
    image: user.image ?? null,
    signedInAt: session?.signedInAt ? new Date(session.signedInAt) : null,
  };
}

export async function requireSessionUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new UnauthorizedError();
  return user;
}

export type CurrentWorkspace = WorkspaceSummary & {
  role: Role;
  all: WorkspaceSummary[];
};

/**
 * The workspace the signed-in user is looking at: the one named by the
 * workspace cookie when they are still a member of it, else their oldest.
 * Only a hint for pages; every action re-checks membership with `authorize`.
 */
export async function currentWorkspace(
  userId: string,
): Promise<CurrentWorkspace | null> {
  const all = await listWorkspaces(db(), userId);
  const wanted = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const chosen = all.find((workspace) => workspace.id === wanted) ?? all[0];
  return chosen ? { ...chosen, all } : null;
}
