"use server";

import { z } from "zod";
import { requireMember, runAction, workspaceIdOf } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import {
  packDashboard,
  type WireDashboardData,
} from "@/lib/metrics/series-wire";
import {
  resolveRange,
  viewSchema,
  type DashboardView,
} from "@/lib/metrics/view";
import type { ActionResult } from "@/lib/result";

const inputSchema = z.object({ view: viewSchema });

// Exported server actions are public endpoints: the input is untrusted and
// the caller is checked against the workspace on every call. The chart
// series travel packed (lib/metrics/series-wire.ts), and the dashboard
// unpacks them.
export async function loadDashboard(input: {
  workspaceId: string;
  view: DashboardView;
}): Promise<ActionResult<WireDashboardData>> {
  return runAction("loadDashboard", async () => {
    const context = await requireMember(workspaceIdOf(input), "dashboard.view");
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      throw new ValidationError(
        `The dashboard view is invalid: ${z.prettifyError(parsed.error)}`,
      );
    }
    const { view } = parsed.data;
    if (view.range === "custom" && resolveRange(view, new Date()) === null) {
      throw new ValidationError(
        "Choose a custom range whose start is on or before its end and before today (UTC).",
      );
    }
    return packDashboard(await loadDashboardData(db(), context, view));
  });
}
