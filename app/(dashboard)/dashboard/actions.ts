"use server";

import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { getSessionUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { PRESET_RANGE_DAYS } from "@/lib/metrics/registry";
import type { DashboardData } from "@/lib/metrics/types";
import { fail, ok, type ActionResult } from "@/lib/result";

const inputSchema = z.object({
  workspaceId: z.string().min(1),
  rangeDays: z.union(PRESET_RANGE_DAYS.map((days) => z.literal(days))),
});

// Exported server actions are public endpoints: the input is untrusted and
// the caller is checked against the workspace on every call.
export async function loadDashboard(input: {
  workspaceId: string;
  rangeDays: 7 | 28 | 90 | 365;
}): Promise<ActionResult<DashboardData>> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success)
    return fail("invalid_input", "Choose a range of 7, 28, 90 or 365 days.");
  try {
    const user = await getSessionUser();
    const context = await authorize(
      db(),
      user?.id,
      parsed.data.workspaceId,
      "dashboard.view",
    );
    return ok(await loadDashboardData(db(), context, parsed.data.rangeDays));
  } catch (error) {
    if (error instanceof AppError) return fail(error.code, error.message);
    logger().error({ err: error }, "loading the dashboard failed");
    return fail("internal", "The dashboard could not be loaded. Try again.");
  }
}
