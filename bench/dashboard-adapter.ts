import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { DEFAULT_VIEW } from "@/lib/metrics/view";

// The one place the bench calls the dashboard's metrics function, so a
// change of its options touches only this file.

/** Range of the measured dashboard view, in days. */
export const BENCH_RANGE_DAYS = 365;

/**
 * Loads the dashboard as the server action does: one workspace, the 365 days
 * ending yesterday, compared with the 365 days before, at daily granularity,
 * over all of the workspace's connections.
 */
export async function loadBenchDashboard(
  database: Database,
  context: WorkspaceContext,
  now: Date,
): Promise<unknown> {
  return loadDashboardData(
    database,
    context,
    {
      ...DEFAULT_VIEW,
      range: String(BENCH_RANGE_DAYS) as "365",
      comparison: "previous",
      granularity: "day",
    },
    now,
  );
}
