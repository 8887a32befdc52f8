import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "@/lib/db/schema";
import { tablesReferencing } from "@/tests/helpers/schema";
import { PERSONAL_DATA } from "./registry";

const USER_COLUMNS = new Set(["user_id", "actor_user_id"]);

/** Tables with a foreign key to users.id or a column named like a user reference. */
function tablesReferencingUsers(): string[] {
  const names: string[] = [];
  for (const value of Object.values(schema)) {
    if (!(value instanceof PgTable)) continue;
    const config = getTableConfig(value);
    const byName = config.columns.some((column) =>
      USER_COLUMNS.has(column.name),
    );
    const byForeignKey = config.foreignKeys.some(
      (key) => getTableConfig(key.reference().foreignTable).name === "users",
    );
    if (byName || byForeignKey || config.name === "users")
      names.push(config.name);
  }
  return names.sort();
}

/**
 * Tables that reference a LinkedIn connection but hold only the sync's own
 * bookkeeping, no analytics or profile data. They go when the connection is
 * deleted, through their cascading foreign keys.
 */
const OPERATIONAL_CONNECTION_TABLES = new Map([
  ["unavailable_metrics", "which metrics a grant lacks the scope for"],
  ["connection_health", "the last sync error and call counts"],
  ["sync_checkpoints", "which sync steps finished"],
  ["imported_subjects", "which API connection an import is linked to"],
]);

describe("personal data registry", () => {
  const registered = new Set(
    PERSONAL_DATA.map((entry) => getTableConfig(entry.source).name),
  );

  it.each(tablesReferencingUsers())("covers table %s", (table) => {
    expect(
      registered.has(table),
      `Table "${table}" references users but is missing from PERSONAL_DATA in lib/privacy/registry.ts: add an entry saying how to export and erase its rows.`,
    ).toBe(true);
  });

  it.each(tablesReferencing("linkedin_connections"))(
    "covers connection table %s",
    (table) => {
      expect(
        registered.has(table) || OPERATIONAL_CONNECTION_TABLES.has(table),
        `Table "${table}" references LinkedIn connections but is neither in PERSONAL_DATA in lib/privacy/registry.ts nor listed as operational in this test: register it if it holds data collected about a person.`,
      ).toBe(true);
    },
  );

  it("lists operational tables that exist and are unregistered", () => {
    const tables = tablesReferencing("linkedin_connections");
    for (const table of OPERATIONAL_CONNECTION_TABLES.keys()) {
      expect(tables, `${table} no longer references connections`).toContain(
        table,
      );
      expect(registered.has(table), `${table} is also registered`).toBe(false);
    }
  });

  it("uses each export file name once", () => {
    const files = PERSONAL_DATA.map((entry) => entry.file);
    expect(new Set(files).size).toBe(files.length);
  });
});
