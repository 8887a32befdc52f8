import { inArray, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import {
  apiCalls,
  connectionHealth,
  importedPosts,
  importedSubjects,
  imports,
  linkedinConnections,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  postMetricDaily,
  syncCheckpoints,
  unavailableMetrics,
} from "../db/schema";
import { deleteCounted } from "./rows";

// Deleting a connection would take these rows with it by ON DELETE CASCADE
// (api_calls by SET NULL), and a cascade reports no row count. Deleting them
// first, one table at a time, lets every table's rows be counted.
export const CONNECTION_DEPENDENTS: {
  table: PgTable;
  connectionId: PgColumn;
}[] = [
  { table: metricDaily, connectionId: metricDaily.connectionId },
  { table: postMetricDaily, connectionId: postMetricDaily.connectionId },
  { table: metricRangeTotals, connectionId: metricRangeTotals.connectionId },
  { table: metricGaps, connectionId: metricGaps.connectionId },
  { table: apiCalls, connectionId: apiCalls.connectionId },
  { table: importedPosts, connectionId: importedPosts.connectionId },
  { table: imports, connectionId: imports.connectionId },
  { table: importedSubjects, connectionId: importedSubjects.connectionId },
  { table: unavailableMetrics, connectionId: unavailableMetrics.connectionId },
  { table: connectionHealth, connectionId: connectionHealth.connectionId },
  { table: syncCheckpoints, connectionId: syncCheckpoints.connectionId },
];

/** Adds `rows` to the count of `table`, by its SQL name. */
export function addCount(
  counts: Record<string, number>,
  table: PgTable,
  rows: number,
): void {
  const name = getTableConfig(table).name;
  counts[name] = (counts[name] ?? 0) + rows;
}

/**
 * Deletes the connections and every row that references them, children
 * first, adding the rows deleted from each table to `counts`.
 * `connectionIds` is a list of ids or a `(select id ...)` subquery.
 */
export async function deleteConnectionsCounted(
  tx: Database,
  connectionIds: string[] | SQL,
  counts: Record<string, number>,
): Promise<void> {
  // A subquery is read into a list first: with `in (select ...)` the
  // planner may hash the subquery and scan all of metric_daily, where a list
  // of ids is one index range per connection.
  const ids = Array.isArray(connectionIds)
    ? connectionIds
    : (
        await tx
          .select({ id: linkedinConnections.id })
          .from(linkedinConnections)
          .where(inArray(linkedinConnections.id, connectionIds))
      ).map((row) => row.id);
  if (ids.length === 0) return;
  for (const { table, connectionId } of CONNECTION_DEPENDENTS)
    addCount(
      counts,
      table,
      await deleteCounted(tx, table, inArray(connectionId, ids)),
    );
  addCount(
    counts,
    linkedinConnections,
    await deleteCounted(
      tx,
      linkedinConnections,
      inArray(linkedinConnections.id, ids),
    ),
  );
}
