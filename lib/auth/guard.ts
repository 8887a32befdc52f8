import { unstable_rethrow } from "next/navigation";
import { db } from "../db/client";
import { AppError, NotFoundError, UnauthorizedError } from "../errors";
import { logger } from "../log";
import { fail, ok, type ActionResult } from "../result";
import {
  authorize,
  type Permission,
  type WorkspaceContext,
} from "./permissions";
import { getSessionUser, type SessionUser } from "./session";

// The one guard every server action and route handler starts with. The
// session comes from `getSessionUser`, the only function tests replace.

/** Reads `workspaceId` from untrusted action input, before it is parsed. */
export function workspaceIdOf(input: unknown): unknown {
  return typeof input === "object" && input !== null && "workspaceId" in input
    ? input.workspaceId
    : undefined;
}

/** Returns the signed-in user or throws 401. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) throw new UnauthorizedError();
  return user;
}

/**
 * Returns the caller's context in the workspace: 401 without a session, 404
 * when the caller is not a member (so the workspace is never confirmed to
 * exist), 403 when their role lacks the permission.
 */
export async function requireMember(
  workspaceId: unknown,
  permission: Permission,
): Promise<WorkspaceContext & { user: SessionUser }> {
  const user = await requireUser();
  if (typeof workspaceId !== "string") throw new NotFoundError("The workspace");
  const context = await authorize(db(), user.id, workspaceId, permission);
  return { ...context, user };
}

/**
 * Runs a server action body and turns domain errors into a failed result.
 * Next.js control flow (redirect, notFound) passes through; any other error
 * is logged and reported as a generic failure, so no detail leaks.
 */
export async function runAction<T>(
  name: string,
  body: () => Promise<T>,
): Promise<ActionResult<T>> {
  try {
    return ok(await body());
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof AppError) return fail(error.code, error.message);
    logger().error({ err: error, action: name }, "server action failed");
    return fail("internal", "Something went wrong on our side. Try again.");
  }
}
