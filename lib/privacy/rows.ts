import { and, asc, getTableColumns, sql, type SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import type { PersonalDataClass } from "./registry";

export function tableName(entry: PersonalDataClass): string {
  return getTableConfig(entry.source).name;
}

function propertyOf(entry: PersonalDataClass, column: PgColumn): string {
  const columns = getTableColumns(entry.source) as Record<string, PgColumn>;
  const key = Object.keys(columns).find((name) => columns[name] === column);
  if (!key)
    throw new Error(`${column.name} is not a column of ${tableName(entry)}`);
  return key;
}

/**
 * Rows per page of the export. For one connection's metric_daily rows,
 * Postgres 15 plans a page of 1,000 as an index scan in key order. At 5,000
 * it switched to a bitmap scan that sorts all the connection's remaining
 * rows (EXPLAIN ANALYZE on the bench data, 8,000 rows per connection).
 */
const PAGE_SIZE = 1000;

/**
 * Yields the rows matching `where` a page at a time, ordered by `orderBy`
 * and continuing after the last key read (keyset pagination), so memory
 * stays at one page however many rows there are.
 */
async function* keysetPages(
  database: Database,
  entry: PersonalDataClass,
  where: SQL | undefined,
  orderBy: PgColumn[],
  pageSize: number,
): AsyncGenerator<Record<string, unknown>> {
  const keys = orderBy.map((column) => propertyOf(entry, column));
  let cursor: unknown[] | null = null;
  for (;;) {
    const after: SQL | undefined = cursor
      ? sql`(${sql.join(orderBy, sql`, `)}) > (${sql.join(
          orderBy.map((column, index) => sql.param(cursor?.[index], column)),
          sql`, `,
        )})`
      : undefined;
    const rows = (await database
      .select()
      .from(entry.source)
      .where(and(where, after))
      .orderBy(...orderBy.map((column) => asc(column)))
      .limit(pageSize)) as Record<string, unknown>[];
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    cursor = keys.map((key) => last[key]);
  }
}

/**
 * Yields the person's rows of one class in the order of its unique key
 * (`entry.orderBy`), a page at a time. A class with `exportByConnection` is
 * read one connection at a time, in connection id order, so the rows come
 * in the same order as a single keyset scan would give.
 */
export async function* ownedRows(
  database: Database,
  entry: PersonalDataClass,
  userId: string,
  pageSize = PAGE_SIZE,
): AsyncGenerator<Record<string, unknown>> {
  const owned = entry.ownedBy(userId);
  const byConnection = entry.exportByConnection;
  if (!byConnection) {
    yield* keysetPages(database, entry, owned, entry.orderBy, pageSize);
    return;
  }
  const [first, ...rest] = entry.orderBy;
  if (first !== byConnection.column)
    throw new Error(
      `${tableName(entry)}: exportByConnection.column must be the first orderBy column`,
    );
  // A person has tens to hundreds of connections, so their ids fit in memory.
  const result: unknown = await database.execute(
    sql`select owned.id::text as id from ${byConnection.connectionIds(userId)} as owned(id) order by owned.id`,
  );
  const { rows: connections } = result as { rows: { id: string }[] };
  for (const { id } of connections) {
    // `owned` stays in the filter, so only the person's rows are read even
    // if a connection changed hands after the list was read.
    const where = and(sql`${first} = ${sql.param(id, first)}`, owned);
    yield* keysetPages(database, entry, where, rest, pageSize);
  }
}

/** Prepares a row for the export: drops secrets and other people's data. */
export function presentRow(
  entry: PersonalDataClass,
  row: Record<string, unknown>,
  userId: string,
): Record<string, unknown> {
  const shown = entry.present ? entry.present(row, userId) : { ...row };
  for (const key of entry.omit ?? []) delete shown[key];
  return shown;
}

export async function countOwnedRows(
  database: Database,
  entry: PersonalDataClass,
  userId: string,
): Promise<number> {
  const [row] = await database
    .select({ count: sql<number>`count(*)::int` })
    .from(entry.source)
    .where(entry.ownedBy(userId));
  return Number(row?.count ?? 0);
}

/** Runs `delete ... returning 1` inside a count, so no deleted row is sent back. */
export async function deleteCounted(
  database: Database,
  table: PersonalDataClass["source"],
  where: SQL,
): Promise<number> {
  // Both drivers (pg and PGlite) return `{ rows }` from execute.
  const result: unknown = await database.execute(
    sql`with deleted as (delete from ${table} where ${where} returning 1) select count(*)::int as count from deleted`,
  );
  const { rows } = result as { rows: { count: number }[] };
  return Number(rows[0]?.count ?? 0);
}
