import { sql } from "drizzle-orm";
import { isUniqueViolation } from "../db/availability";
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

// Each statement sends a few arrays whatever its row count, so the
// bind-parameter limit (65,535) does not bound a chunk, and Postgres parses
// one short statement instead of a VALUES list of thousands of rows. The
// chunk size bounds the statement's memory, about 4 MB of array text at
// this size. Each statement also fires the triggers that keep the stored
// sums, which update every workspace day the statement touches, so a
// backfill split into six statements updated the same sums six times.
// `npm run bench` measures the rate (figure `ingest` in docs/benchmarks.md).
const ROWS_PER_STATEMENT = 120_000;

// An array element that matches this needs no quotes in an array literal,
// unless it is the word NULL.
const PLAIN_ELEMENT = /^[\w.:+-]+$/;

/**
 * Encodes values as the text of a Postgres array literal such as
 * `{2026-01-01,"a b"}`, quoting the elements that need it.
 *
 * node-postgres 8 encodes a JavaScript array by quoting and escaping every
 * element. For a backfill of 40 connections (116,800 rows) that took 320 to
 * 410 ms of CPU and 13.7 MB, against 90 ms and 4.0 MB for these literals with
 * the pair positions (bench/ingest.ts rows, measured on a shared 2-core VM).
 * PGlite accepts the same text, and the statement casts it to the column's
 * array type.
 */
export function arrayLiteral(values: readonly (string | number)[]): string {
  const elements = values.map((value) => {
    const text = String(value);
    if (PLAIN_ELEMENT.test(text) && text.toUpperCase() !== "NULL") return text;
    return `"${text.replace(/["\\]/g, "\\$&")}"`;
  });
  return `{${elements.join(",")}}`;
}

/**
 * Splits rows into the distinct (workspace, connection) pairs and, per row,
 * the 1-based position of its pair, so each uuid is sent once per pair
 * instead of once per row.
 */
function pairsOf(rows: DailyRow[]) {
  const positions = new Map<string, number>();
  const workspaceIds: string[] = [];
  const connectionIds: string[] = [];
  const pairOfRow = rows.map((row) => {
    const key = `${row.workspaceId} ${row.connectionId}`;
    let position = positions.get(key);
    if (position === undefined) {
      workspaceIds.push(row.workspaceId);
      connectionIds.push(row.connectionId);
      position = workspaceIds.length;
      positions.set(key, position);
    }
    return position;
  });
  return { workspaceIds, connectionIds, pairOfRow };
}

// node-postgres reports the command's row count as `rowCount` and PGlite as
// `affectedRows`, but the shared drizzle type has neither. For an insert with
// ON CONFLICT DO UPDATE ... WHERE, both count the rows inserted or updated.
function writtenCount(result: unknown): number {
  const counts = result as { rowCount?: number | null; affectedRows?: number };
  return Number(counts.rowCount ?? counts.affectedRows ?? 0);
}

function insertStatement(rows: DailyRow[], onConflict: "update" | "fail") {
  const { workspaceIds, connectionIds, pairOfRow } = pairsOf(rows);
  const literal = (pick: (row: DailyRow) => string | number) =>
    sql.param(arrayLiteral(rows.map(pick)));
  const conflict =
    onConflict === "update"
      ? sql`
    on conflict (connection_id, metric, day) do update
      set value = excluded.value,
        source = excluded.source,
        fetched_at = now()
      where metric_daily.value is distinct from excluded.value
        or metric_daily.source is distinct from excluded.source`
      : sql``;
  // A subscript of a uuid[] is a direct offset, because uuid has a fixed
  // length, so looking up a row's pair does not scan the pair arrays.
  return sql`
    insert into metric_daily
      (workspace_id, connection_id, metric, day, value, source)
    select
      (${sql.param(workspaceIds)}::uuid[])[incoming.pair],
      (${sql.param(connectionIds)}::uuid[])[incoming.pair],
      incoming.metric, incoming.day, incoming.value, incoming.source
    from unnest(
      ${sql.param(arrayLiteral(pairOfRow))}::text::int[],
      ${literal((row) => row.metric)}::text::text[],
      ${literal((row) => row.day)}::text::date[],
      ${literal((row) => row.value)}::text::bigint[],
      ${literal((row) => row.source)}::text::text[]
    ) as incoming (pair, metric, day, value, source)${conflict}`;
}

/**
 * Tells whether metric_daily has a row for any of the rows' connection and
 * metric pairs between their first and last day: one primary-key range
 * probe per pair.
 */
async function anyStored(tx: Database, rows: DailyRow[]): Promise<boolean> {
  const pairs = new Map<string, { connectionId: string; metric: string }>();
  let first = rows[0]!.day;
  let last = first;
  for (const row of rows) {
    pairs.set(`${row.connectionId} ${row.metric}`, row);
    if (row.day < first) first = row.day;
    if (row.day > last) last = row.day;
  }
  const list = [...pairs.values()];
  const result: unknown = await tx.execute(sql`
    select exists (
      select 1
      from unnest(
        ${sql.param(arrayLiteral(list.map((pair) => pair.connectionId)))}::text::uuid[],
        ${sql.param(arrayLiteral(list.map((pair) => pair.metric)))}::text::text[]
      ) as pair (connection_id, metric)
      where exists (
        select 1 from metric_daily
        where metric_daily.connection_id = pair.connection_id
          and metric_daily.metric = pair.metric
          and metric_daily.day between ${first} and ${last}
      )
    ) as stored`);
  return Boolean((result as { rows: { stored: boolean }[] }).rows[0]?.stored);
}

async function writeChunks(
  tx: Database,
  rows: DailyRow[],
  onConflict: "update" | "fail",
): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    written += writtenCount(
      await tx.execute(insertStatement(chunk, onConflict)),
    );
  }
  return written;
}

/**
 * Inserts or updates daily values keyed by (connection, metric, day). A row
 * whose value and source did not change is left alone, so rerunning a sync
 * writes nothing. Returns the number of rows inserted or changed.
 *
 * Rows for days with nothing stored yet, such as a first backfill's, go in
 * by a plain INSERT, which skips ON CONFLICT's probe of the primary key
 * before each row (about a tenth of the upsert's time, `npm run bench`).
 * The INSERT runs in a savepoint, so a row that another writer stored in
 * the meantime rolls it back and the upsert runs instead.
 */
export async function upsertDailyMetrics(
  tx: Database,
  rows: DailyRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  if (!(await anyStored(tx, rows))) {
    try {
      return await tx.transaction((savepoint) =>
        writeChunks(savepoint, rows, "fail"),
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return writeChunks(tx, rows, "update");
}
