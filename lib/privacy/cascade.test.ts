import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { tablesReferencing } from "@/tests/helpers/schema";
import { CONNECTION_DEPENDENTS } from "./cascade";

describe("connection dependents", () => {
  const listed = new Set(
    CONNECTION_DEPENDENTS.map(({ table }) => getTableConfig(table).name),
  );

  it.each(tablesReferencing("linkedin_connections"))(
    "lists table %s",
    (table) => {
      expect(
        listed.has(table),
        `Table "${table}" references linkedin_connections but is missing from CONNECTION_DEPENDENTS in lib/privacy/cascade.ts, so erasure and withdrawal would remove its rows by cascade without counting them.`,
      ).toBe(true);
    },
  );
});
