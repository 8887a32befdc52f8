import { inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import {
  apiCalls,
  connectionHealth,
  connectionMonthlySums,
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
  workspaceDailySums,
} from "../db/schema";
import { deleteCounted } from "./rows";

// Deleting a connection would take these rows with it by ON DELETE CASCADE
// (api_calls by SET NULL), and a cascade reports no row count. Deleting them
// first, one table at a time, lets every table's rows be counted.
export const CONNECTION_DEPENDENTS: {
  table: PgTable;
  connectionId: PgColumn;
}[] = [
  // Before metric_daily: deleting daily rows subtracts them from these sums
  // and deletes the sums they bring to zero, which would leave none to count.
  {
    table: connectionMonthlySums,
    connectionId: connectionMonthlySums.connectionId,
  },
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

/**
 * Adds to `counts` the stored sums that metric_daily's triggers deleted in
 * this transaction, and resets their tallies. A delete of daily rows that
 * brings a sum to zero also deletes the sum (migration 0008). The triggers
 * tally those deletes in transaction-local settings, which this reads.
 */
export async function addDeletedSums(
  tx: Database,
  counts: Record<string, number>,
): Promise<void> {
  for (const table of [workspaceDailySums, connectionMonthlySums]) {
    const setting = `inview.deleted_${getTableConfig(table).name}`;
    const result: unknown = await tx.execute(
      sql`select coalesce(nullif(current_setting(${setting}, true), ''), '0')::bigint as n`,
    );
    const deleted = Number(
      (result as { rows: { n: number | string }[] }).rows[0]?.n ?? 0,
    );
    if (deleted > 0) {
      addCount(counts, table, deleted);
      await tx.execute(sql`select set_config(${setting}, '0', true)`);
    }
  }
}

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
  await addDeletedSums(tx, counts);
}
