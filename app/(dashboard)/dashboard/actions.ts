"use server";

import { z } from "zod";
import { requireMember, runAction, workspaceIdOf } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { PRESET_RANGE_DAYS } from "@/lib/metrics/registry";
import type { DashboardData } from "@/lib/metrics/types";
import type { ActionResult } from "@/lib/result";

const inputSchema = z.object({
  rangeDays: z.union(PRESET_RANGE_DAYS.map((days) => z.literal(days))),
});

// Exported server actions are public endpoints: the input is untrusted and
// the caller is checked against the workspace on every call.
export async function loadDashboard(input: {
  workspaceId: string;
  rangeDays: 7 | 28 | 90 | 365;
}): Promise<ActionResult<DashboardData>> {
  return runAction("loadDashboard", async () => {
    const context = await requireMember(workspaceIdOf(input), "dashboard.view");
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success)
      throw new ValidationError("Choose a range of 7, 28, 90 or 365 days.");
    return loadDashboardData(db(), context, parsed.data.rangeDays);
  });
}
