"use server";

import { z } from "zod";
import {
  requireMember,
  requireUser,
  runAction,
  workspaceIdOf,
} from "@/lib/auth/guard";
import { signOut } from "@/lib/auth/config";
import { rememberWorkspace } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { EXPORT_POLICIES, METRICS_VISIBILITIES } from "@/lib/db/schema";
import { ValidationError } from "@/lib/errors";
import { updateExportPolicy } from "@/lib/exports/settings";
import type { ActionResult } from "@/lib/result";
import {
  createWorkspace as insertWorkspace,
  updateWorkspaceSettings as storeWorkspaceSettings,
} from "@/lib/workspaces/workspaces";

// Exported server actions are public endpoints: the workspace named in the
// input is trusted only after the caller's membership in it is checked.

/** Ends the session and opens the sign-in page. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}

/** Makes the workspace the current one for this browser, after checking membership. */
export async function switchWorkspace(input: {
  workspaceId: string;
}): Promise<ActionResult<null>> {
  return runAction("switchWorkspace", async () => {
    const context = await requireMember(workspaceIdOf(input), "dashboard.view");
    await rememberWorkspace(context.workspaceId);
    return null;
  });
}

// Control characters are rejected because Postgres refuses NUL in text and
// none belongs in a name shown in menus.
const nameSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(80)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/),
});

/** Creates a workspace the caller owns and switches to it. */
export async function createWorkspace(input: {
  name: string;
}): Promise<ActionResult<{ workspaceId: string }>> {
  return runAction("createWorkspace", async () => {
    const user = await requireUser();
    const parsed = nameSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError(
        "Enter a workspace name of 1 to 80 characters.",
      );
    const workspaceId = await insertWorkspace(db(), user.id, parsed.data.name);
    await rememberWorkspace(workspaceId);
    return { workspaceId };
  });
}

const settingsSchema = z.object({
  metricsVisibility: z.enum(METRICS_VISIBILITIES),
});

export async function updateWorkspaceSettings(input: {
  workspaceId: string;
  metricsVisibility: string;
}): Promise<ActionResult<null>> {
  return runAction("updateWorkspaceSettings", async () => {
    const context = await requireMember(
      workspaceIdOf(input),
      "workspace.settings",
    );
    const parsed = settingsSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError("Choose who can see whose numbers.");
    await storeWorkspaceSettings(db(), context, {
      metricsVisibility: parsed.data.metricsVisibility,
    });
    return null;
  });
}

const exportSettingsSchema = z.object({
  apiExportPolicy: z.enum(EXPORT_POLICIES),
});

/** Sets who may export numbers that came from LinkedIn's API (owners only). */
export async function updateExportSettings(input: {
  workspaceId: string;
  apiExportPolicy: string;
}): Promise<ActionResult<null>> {
  return runAction("updateExportSettings", async () => {
    const context = await requireMember(
      workspaceIdOf(input),
      "workspace.settings",
    );
    const parsed = exportSettingsSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError(
        `Choose who may export API numbers: one of ${EXPORT_POLICIES.join(", ")}.`,
      );
    await updateExportPolicy(db(), context, parsed.data.apiExportPolicy);
    return null;
  });
}
