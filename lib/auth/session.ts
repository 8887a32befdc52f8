import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { Role } from "../db/schema";
import { db } from "../db/client";
import { env } from "../env";
import { listWorkspaces, type WorkspaceSummary } from "../workspaces/personal";
import { REQUEST_PATH_HEADER, signInPathFor } from "./return-path";
import { findSession, sessionCookieName } from "./session-lookup";

export const WORKSPACE_COOKIE = "inview_workspace";

const SESSION_COOKIES = [sessionCookieName(false), sessionCookieName(true)];

export type SessionUser = {
  id: string;
  name: string | null;
  email: string | null;
  image: string | null;
  /** When this device signed in; null when unknown. */
  signedInAt: Date | null;
};

/**
 * Looks up the signed-in user of this request. Every action, route handler
 * and page gets the caller through this one function, so tests replace it
 * with `vi.mock` to act as any user. React's `cache` lets the layout and
 * the page of one server render share one lookup. A database error throws,
 * so an outage shows the 503 or the error page rather than sign-in.
 */
export const getSessionUser = cache(
  async function getSessionUser(): Promise<SessionUser | null> {
    const token = (await cookies()).get(
      sessionCookieName(env().appUrl.startsWith("https://")),
    )?.value;
    if (!token) return null;
    const session = await findSession(db(), token);
    if (!session) return null;
    return { ...session.user, signedInAt: session.createdAt };
  },
);

export type CurrentWorkspace = WorkspaceSummary & {
  role: Role;
  all: WorkspaceSummary[];
};

/**
 * The workspace the signed-in user is looking at: the one named by the
 * workspace cookie when they are still a member of it, else their oldest.
 * Only a hint for pages; every action re-checks membership with `authorize`.
 * A cookie naming a workspace the user left or was removed from is cleared.
 * Cached per server render like `getSessionUser`.
 */
export const currentWorkspace = cache(async function currentWorkspace(
  userId: string,
): Promise<CurrentWorkspace | null> {
  const all = await listWorkspaces(db(), userId);
  const store = await cookies();
  const wanted = store.get(WORKSPACE_COOKIE)?.value;
  const match = all.find((workspace) => workspace.id === wanted);
  if (wanted && !match) clearWorkspaceChoice(store);
  const chosen = match ?? all[0];
  return chosen ? { ...chosen, all } : null;
});

type CookieStore = Awaited<ReturnType<typeof cookies>>;

function clearWorkspaceChoice(store: CookieStore): void {
  try {
    store.delete(WORKSPACE_COOKIE);
  } catch {
    // Server components cannot write cookies; the stale choice is ignored
    // there and cleared by the next action or route handler.
  }
}

/**
 * Deletes the session and workspace cookies from the browser. The erasure
 * calls it, because a cookie that names a deleted session would still send
 * every page through a session lookup.
 */
export async function forgetSessionCookies(): Promise<void> {
  const store = await cookies();
  for (const name of [...SESSION_COOKIES, WORKSPACE_COOKIE]) {
    if (!store.has(name)) continue;
    // Browsers accept a __Secure- cookie, and its deletion, only with Secure.
    store.set(name, "", {
      maxAge: 0,
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: name.startsWith("__Secure-"),
    });
  }
}

/** Remembers the workspace the user chose; call only after checking membership. */
export async function rememberWorkspace(workspaceId: string): Promise<void> {
  (await cookies()).set(WORKSPACE_COOKIE, workspaceId, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().appUrl.startsWith("https://"),
    path: "/",
    maxAge: 365 * 24 * 60 * 60,
  });
}

/**
 * Returns the sign-in URL that comes back to the requested page, read from
 * the header the proxy sets; without it, plain sign-in.
 */
export async function signInRedirectPath(): Promise<string> {
  return signInPathFor((await headers()).get(REQUEST_PATH_HEADER));
}
