import { and, asc, between, eq, inArray, sql } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { csvCell } from "../privacy/csv";
import { linkedinConnections, metricDaily } from "../db/schema";
import { loadExportRule, mayExport } from "../exports/access";
import type { DayRange } from "./types";
import { ownConnectionsFilter, resolveMetricsScope } from "./visibility";

export const METRICS_CSV_HEADER = "day,connection,metric,value";

/** The connection column of the rows that sum every member's connections. */
export const WORKSPACE_TOTAL_LABEL = "workspace_total";

/**
 * Lists the stored daily values of the workspace in the range, as CSV lines.
 * Whose rows are listed follows the workspace's visibility setting: every
 * connection, or the caller's own plus one workspace total per day and
 * metric, or the caller's own only. The workspace's export policy then
 * leaves out the connections the caller may not export, and the totals
 * unless the caller may export every connection they sum.
 */
export async function metricsCsvLines(
  database: Database,
  context: WorkspaceContext,
  range: DayRange,
): Promise<string[]> {
  const scope = await resolveMetricsScope(database, context);
  const subjects = await database
    .select({
      id: linkedinConnections.id,
      source: linkedinConnections.source,
      userId: linkedinConnections.userId,
    })
    .from(linkedinConnections)
    .where(eq(linkedinConnections.workspaceId, context.workspaceId));
  const rule = await loadExportRule(database, context, subjects);
  const exportable = subjects
    .filter((subject) => mayExport(rule, subject))
    .map((subject) => subject.id);
  if (exportable.length === 0) return [];

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
        inArray(metricDaily.connectionId, exportable),
        scope.seesEveryMember
          ? undefined
          : ownConnectionsFilter(database, context, metricDaily.connectionId),
      ),
    )
    .orderBy(
      asc(metricDaily.day),
      asc(linkedinConnections.urn),
      asc(metricDaily.metric),
    );
  // URNs come from LinkedIn's responses, so they are quoted and
  // formula-neutralised like any other text.
  const lines = rows.map((row) =>
    [row.day, row.urn, row.metric, row.value].map(csvCell).join(","),
  );
  if (scope.seesEveryMember || !scope.seesTotals) return lines;
  if (exportable.length < subjects.length) return lines;

  const totals = await database
    .select({
      day: metricDaily.day,
      metric: metricDaily.metric,
      value: sql<number>`sum(${metricDaily.value})`.mapWith(Number),
    })
    .from(metricDaily)
    .where(
      and(
        eq(metricDaily.workspaceId, context.workspaceId),
        between(metricDaily.day, range.from, range.to),
      ),
    )
    .groupBy(metricDaily.day, metricDaily.metric)
    .orderBy(asc(metricDaily.day), asc(metricDaily.metric));
  return [
    ...lines,
    ...totals.map(
      (row) => `${row.day},${WORKSPACE_TOTAL_LABEL},${row.metric},${row.value}`,
    ),
  ];
}
