import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import * as schema from "@/lib/db/schema";

/**
 * SQL names of the schema's tables that reference `target`, by a foreign
 * key or by statement triggers, sorted.
 */
export function tablesReferencing(target: string): string[] {
  const names: string[] = [];
  for (const value of Object.values(schema)) {
    if (!(value instanceof PgTable)) continue;
    const config = getTableConfig(value);
    const references =
      config.foreignKeys.some(
        (key) => getTableConfig(key.reference().foreignTable).name === target,
      ) ||
      schema.TRIGGER_REFERENCES.some(
        (reference) =>
          reference.table === config.name && reference.foreignTable === target,
      );
    if (references) names.push(config.name);
  }
  return names.sort();
}
