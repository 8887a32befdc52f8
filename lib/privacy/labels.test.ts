import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import * as schema from "../db/schema";
import { describeRemoved, describeRows, plural } from "./labels";

describe("describeRows", () => {
  it("uses words and grouping", () => {
    expect(describeRows("metric_daily", 4008)).toBe(
      "4,008 daily metric values",
    );
  });

  it("uses the singular for one", () => {
    expect(describeRows("linkedin_grants", 1)).toBe("1 LinkedIn authorization");
  });

  it("names every table of the schema", () => {
    for (const value of Object.values(schema)) {
      if (!(value instanceof PgTable)) continue;
      const name = getTableConfig(value).name;
      if (
        [
          "api_budgets",
          "integration_status",
          "purge_runs",
          "deletion_receipts",
        ].includes(name)
      )
        continue;
      expect(describeRows(name, 2), name).not.toBe(`2 rows of ${name}`);
    }
  });
});

describe("describeRemoved", () => {
  it("leaves out zero counts", () => {
    expect(describeRemoved({ imports: 0, metric_gaps: 2 })).toEqual([
      {
        table: "metric_gaps",
        text: "2 records of days without data",
      },
    ]);
  });
});

describe("plural", () => {
  it("chooses by count", () => {
    expect(plural(0, "sync", "syncs")).toBe("0 syncs");
    expect(plural(1, "sync", "syncs")).toBe("1 sync");
  });
});
