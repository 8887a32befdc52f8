"use server";

import type { DashboardData } from "@/lib/metrics/types";
import type { ActionResult } from "@/lib/result";

// NOTE: placeholder that lets the dashboard client type-check. The real
// action checks the session and loads the view through lib/metrics.
export async function loadDashboard(input: {
  workspaceId: string;
  rangeDays: 7 | 28 | 90 | 365;
}): Promise<ActionResult<DashboardData>> {
  void input;
  throw new Error("loadDashboard is not wired yet");
}
