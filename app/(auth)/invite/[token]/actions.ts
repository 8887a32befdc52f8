"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { requireUser, runAction } from "@/lib/auth/guard";
import { rememberWorkspace } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import type { ActionResult } from "@/lib/result";
import { acceptInvitation as joinWorkspace } from "@/lib/team/invitations";

/**
 * Accepts the invitation for the signed-in user, makes its workspace the
 * current one and opens the dashboard. The token is the only proof: the
 * invitation is found by its hash, and its email must match the user's
 * unless the admin allowed any address.
 */
export async function acceptInvitation(input: {
  token: string;
}): Promise<ActionResult<never>> {
  const result = await runAction("acceptInvitation", async () => {
    const user = await requireUser();
    const parsed = z
      .object({ token: z.string().min(20).max(100) })
      .safeParse(input);
    if (!parsed.success)
      throw new ValidationError("The invitation link is incomplete.");
    const joined = await joinWorkspace(db(), user, parsed.data.token);
    await rememberWorkspace(joined.workspaceId);
    return joined;
  });
  if (!result.ok) return result;
  redirect("/dashboard");
}
