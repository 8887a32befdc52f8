import { and, asc, between, eq } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { linkedinConnections, metricDaily } from "../db/schema";
import type { DayRange } from "./types";

export const METRICS_CSV_HEADER = "day,connection,metric,value";

/** Lists every stored daily value of the workspace in the range, as CSV lines. */
export async function metricsCsvLines(
  database: Database,
  context: WorkspaceContext,
  range: DayRange,
): Promise<string[]> {
  const rows = await database
    .select({
      day: metricDaily.day,
      urn: linkedinConnections.urn,
      metric: metricDaily.metric,
      value: metricDaily.value,
    })
    .from(metricDaily)
    .innerJoin(
      linkedinConnections,
      eq(linkedinConnections.id, metricDaily.connectionId),
    )
    .where(
      and(
        eq(metricDaily.workspaceId, context.workspaceId),
        between(metricDaily.day, range.from, range.to),
      ),
    )
    .orderBy(
      asc(metricDaily.day),
      asc(linkedinConnections.urn),
      asc(metricDaily.metric),
    );
  // URNs, registry metric names and integers contain no comma, quote or
  // formula prefix, so no field needs quoting.
  return rows.map((row) => `${row.day},${row.urn},${row.metric},${row.value}`);
}
