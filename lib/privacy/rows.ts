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
 * Yields the person's rows of one class a page at a time, ordered by the
 * class's unique key and continuing after the last key read (keyset
 * pagination), so memory stays at one page however many rows there are.
 */
export async function* ownedRows(
  database: Database,
  entry: PersonalDataClass,
  userId: string,
  pageSize = 500,
): AsyncGenerator<Record<string, unknown>> {
  const keys = entry.orderBy.map((column) => propertyOf(entry, column));
  let cursor: unknown[] | null = null;
  for (;;) {
    const after: SQL | undefined = cursor
      ? sql`(${sql.join(entry.orderBy, sql`, `)}) > (${sql.join(
          entry.orderBy.map((column, index) =>
            sql.param(cursor?.[index], column),
          ),
          sql`, `,
        )})`
      : undefined;
    const rows = (await database
      .select()
      .from(entry.source)
      .where(and(entry.ownedBy(userId), after))
      .orderBy(...entry.orderBy.map((column) => asc(column)))
      .limit(pageSize)) as Record<string, unknown>[];
    for (const row of rows) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    cursor = keys.map((key) => last[key]);
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
