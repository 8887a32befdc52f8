import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "@/lib/db/schema";
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

  it("uses each export file name once", () => {
    const files = PERSONAL_DATA.map((entry) => entry.file);
    expect(new Set(files).size).toBe(files.length);
  });
});
