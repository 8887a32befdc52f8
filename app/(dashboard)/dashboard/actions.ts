"use server";

import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import type { DashboardData } from "@/lib/metrics/types";
import {
  resolveRange,
  viewSchema,
  type DashboardView,
} from "@/lib/metrics/view";
import { fail, ok, type ActionResult } from "@/lib/result";

const inputSchema = z.object({
  workspaceId: z.string().min(1),
  view: viewSchema,
});

// Exported server actions are public endpoints: the input is untrusted and
// the caller is checked against the workspace on every call.
export async function loadDashboard(input: {
  workspaceId: string;
  view: DashboardView;
}): Promise<ActionResult<DashboardData>> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    return fail(
      "invalid_input",
      `The dashboard view is invalid: ${z.prettifyError(parsed.error)}`,
    );
  }

  try {
    const user = await getSessionUser();
    const context = await authorize(
      db(),
      user?.id,
      parsed.data.workspaceId,
      "dashboard.view",
    );

    const { view } = parsed.data;
    if (view.range === "custom" && resolveRange(view, new Date()) === null) {
      return fail(
        "invalid_input",
        "Choose a custom range whose start is on or before its end and before today (UTC).",
      );
    }
    return ok(await loadDashboardData(db(), context, view));
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    logger().error({ err: error }, "loading the dashboard failed");
    return fail("internal", "The dashboard could not be loaded. Try again.");
  }
}
