import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { metricDaily } from "../db/schema";
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

// Seven columns a row; Postgres allows 65,535 bind parameters a statement.
const ROWS_PER_STATEMENT = 5_000;

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
    const result = await tx
      .insert(metricDaily)
      .values(chunk)
      .onConflictDoUpdate({
        target: [metricDaily.connectionId, metricDaily.metric, metricDaily.day],
        set: {
          value: sql`excluded.value`,
          source: sql`excluded.source`,
          fetchedAt: sql`now()`,
        },
        setWhere: sql`${metricDaily.value} is distinct from excluded.value or ${metricDaily.source} is distinct from excluded.source`,
      })
      .returning({ day: metricDaily.day });
    written += result.length;
  }
  return written;
}
