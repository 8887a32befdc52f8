import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";
import { loadDashboardData } from "@/lib/metrics/dashboard";

// The one place the bench calls the dashboard's metrics function, so a
// change of its options touches only this file.

/** Range of the measured dashboard view, in days. */
export const BENCH_RANGE_DAYS = 365;

/**
 * Loads the dashboard as the server action does: one workspace, the 365 days
 * ending yesterday, each compared with the 365 days before, at daily
 * granularity. `loadDashboardData` always loads the previous period and
 * has only daily points, so the range is its one option here.
 */
export async function loadBenchDashboard(
  database: Database,
  context: WorkspaceContext,
  now: Date,
): Promise<unknown> {
  return loadDashboardData(database, context, BENCH_RANGE_DAYS, now);
}
