import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { MetricName } from "../metrics/registry";
import type { IsoDay } from "../metrics/types";

export type DailyRow = {
  workspaceId: string;
  connectionId: string;
  metric: MetricName;
  day: IsoDay;
  value: number;
  source: "api" | "import";
};

// Each statement sends six arrays, one per column, whatever its row count,
// so the bind-parameter limit (65,535) does not bound a chunk, and Postgres
// parses one short statement instead of a VALUES list of thousands of rows.
// The chunk size bounds the statement's memory. `npm run bench` measures
// the rate (figure `ingest` in docs/benchmarks.md).
const ROWS_PER_STATEMENT = 20_000;

function column<T>(rows: DailyRow[], pick: (row: DailyRow) => T) {
  return sql.param(rows.map(pick));
}

// Both engines' results carry `rows`; the shared drizzle type does not say so.
function writtenCount(result: unknown): number {
  const rows = (result as { rows?: { written?: unknown }[] }).rows;
  return Number(rows?.[0]?.written ?? 0);
}

/**
 * Inserts or updates daily values keyed by (connection, metric, day). A row
 * whose value did not change is left alone, so rerunning a sync writes nothing.
 * Returns the number of rows inserted or changed.
 */
export async function upsertDailyMetrics(
  tx: Database,
  rows: DailyRow[],
): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const result: unknown = await tx.execute(sql`
      with written as (
        insert into metric_daily
          (workspace_id, connection_id, metric, day, value, source)
        select * from unnest(
          ${column(chunk, (row) => row.workspaceId)}::uuid[],
          ${column(chunk, (row) => row.connectionId)}::uuid[],
          ${column(chunk, (row) => row.metric)}::text[],
          ${column(chunk, (row) => row.day)}::date[],
          ${column(chunk, (row) => row.value)}::bigint[],
          ${column(chunk, (row) => row.source)}::text[]
        )
        on conflict (connection_id, metric, day) do update
          set value = excluded.value,
            source = excluded.source,
            fetched_at = now()
          where metric_daily.value is distinct from excluded.value
            or metric_daily.source is distinct from excluded.source
        returning 1
      )
      select count(*)::int as written from written`);
    written += writtenCount(result);
  }
  return written;
}
