import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  importedSubjects,
  linkedinConnections,
  metricDaily,
  workspaces,
} from "@/lib/db/schema";
import { listDays } from "@/lib/linkedin/days";
import {
  loadPeriodSums,
  type ConnectionSelection,
} from "@/lib/metrics/dashboard-queries";
import { GRANULARITIES, bucketStart } from "@/lib/metrics/view";
import { upsertDailyMetrics, type DailyRow } from "@/lib/sync/upsert";
import { testEngines } from "../helpers/databases";
import { createConnection, createOwner } from "../helpers/fixtures";

// The stored sums (workspace_daily_sums, connection_monthly_sums) are kept by
// triggers on metric_daily. These tests change metric_daily in every way the
// application does and compare the sums with sums computed here from the
// daily rows, and the dashboard's period sums with sums computed here from
// the same rows and the overlap rule.

const SPAN = { from: "2026-01-20", to: "2026-04-10" };

type Sums = Record<string, number>;

function rowsFor(
  context: WorkspaceContext,
  connectionId: string,
  metric: DailyRow["metric"],
  days: string[],
  value: (index: number) => number,
  source: DailyRow["source"] = "api",
): DailyRow[] {
  return days.map((day, index) => ({
    workspaceId: context.workspaceId,
    connectionId,
    metric,
    day,
    value: value(index),
    source,
  }));
}

describe.each(testEngines())("stored metric sums on $name", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await engine.open();
  });
  afterAll(async () => {
    await handle.close();
  });

  async function query<T>(text: string): Promise<T[]> {
    const result = await handle.sql.executeSql(text);
    return result.rows as T[];
  }

  /** Both stored sums, and the same sums computed from metric_daily. */
  async function storedAndComputed() {
    const keyed = (rows: { key: string; value: number | string }[]): Sums =>
      Object.fromEntries(rows.map((row) => [row.key, Number(row.value)]));
    return {
      daily: keyed(
        await query(`select workspace_id || ' ' || metric || ' ' || day as key,
          value from workspace_daily_sums`),
      ),
      dailyFromRows: keyed(
        await query(`select workspace_id || ' ' || metric || ' ' || day as key,
          sum(value) as value from metric_daily where source = 'api'
          group by workspace_id, metric, day`),
      ),
      monthly: keyed(
        await query(`select connection_id || ' ' || metric || ' ' || month as key,
          value from connection_monthly_sums`),
      ),
      monthlyFromRows: keyed(
        await query(`select connection_id || ' ' || metric || ' ' ||
            date_trunc('month', day)::date as key,
          sum(value) as value from metric_daily where source = 'api'
          group by connection_id, metric, date_trunc('month', day)`),
      ),
    };
  }

  async function expectSumsMatchRows() {
    const sums = await storedAndComputed();
    expect(sums.daily).toEqual(sums.dailyFromRows);
    expect(sums.monthly).toEqual(sums.monthlyFromRows);
    return sums;
  }

  it("follow inserts, updates, imports and deletes", async () => {
    const owner = await createOwner(handle.db);
    const other = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const page = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const elsewhere = await createConnection(handle.db, other, {
      kind: "person",
    });
    const days = listDays(SPAN);

    // Every sum here is positive, so no stored sum is a zero left behind.
    await upsertDailyMetrics(handle.db, [
      ...rowsFor(owner, person, "impressions", days, (i) => 10 + i),
      ...rowsFor(owner, page, "impressions", days, (i) => 100 + (i % 7)),
      ...rowsFor(owner, page, "page_views", days, (i) => 1 + (i % 3)),
      ...rowsFor(other, elsewhere, "impressions", days, (i) => 5 + i),
    ]);
    const first = await expectSumsMatchRows();
    // Four series over the four months January to April.
    expect(Object.keys(first.monthly)).toHaveLength(4 * 4);

    // One statement that updates some days and inserts others fires both
    // the update and the insert trigger.
    await upsertDailyMetrics(
      handle.db,
      rowsFor(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-03-25", to: "2026-04-20" }),
        (i) => 1_000 + i,
      ),
    );
    const updated = await expectSumsMatchRows();

    // Imported rows count in neither sum.
    const [imported] = await handle.db
      .insert(linkedinConnections)
      .values({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        kind: "person",
        urn: "urn:li:person:imported-sums",
        name: "Imported",
        source: "import",
      })
      .returning({ id: linkedinConnections.id });
    await upsertDailyMetrics(
      handle.db,
      rowsFor(owner, imported!.id, "impressions", days, () => 7, "import"),
    );
    const withImport = await expectSumsMatchRows();
    expect(withImport.daily).toEqual(updated.daily);
    expect(withImport.monthly).toEqual(updated.monthly);

    // Deleting some rows, as the retention purge does, takes their values
    // out, and a sum that reaches zero goes with them.
    await handle.db
      .delete(metricDaily)
      .where(
        and(
          eq(metricDaily.connectionId, page),
          eq(metricDaily.metric, "page_views"),
        ),
      );
    const purged = await expectSumsMatchRows();
    expect(
      Object.keys(purged.monthly).filter((key) => key.startsWith(page)),
    ).toHaveLength(4);

    // Removing a connection cascades to its rows and its monthly sums.
    await handle.db
      .delete(linkedinConnections)
      .where(eq(linkedinConnections.id, person));
    const removed = await expectSumsMatchRows();
    expect(
      Object.keys(removed.monthly).filter((key) => key.startsWith(person)),
    ).toEqual([]);

    // Deleting a workspace leaves no sums of it.
    await handle.db
      .delete(workspaces)
      .where(eq(workspaces.id, other.workspaceId));
    const gone = await expectSumsMatchRows();
    expect(
      Object.keys(gone.daily).filter((key) =>
        key.startsWith(other.workspaceId),
      ),
    ).toEqual([]);
    expect(
      Object.keys(gone.monthly).filter((key) => key.startsWith(elsewhere)),
    ).toEqual([]);
  });

  it("give the dashboard the sums of its daily rows", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const page = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const [imported] = await handle.db
      .insert(linkedinConnections)
      .values({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        kind: "person",
        urn: "urn:li:person:imported-dashboard",
        name: "Imported",
        source: "import",
      })
      .returning({ id: linkedinConnections.id });
    const importId = imported!.id;
    // The import covers the same member as `person`, whose API rows start
    // on 2026-02-15: the imported days from then on are shadowed.
    await handle.db.insert(importedSubjects).values({
      connectionId: importId,
      workspaceId: owner.workspaceId,
      apiConnectionId: person,
    });
    const rows: DailyRow[] = [
      ...rowsFor(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-02-15", to: SPAN.to }),
        (i) => 3 + (i % 11),
      ),
      ...rowsFor(owner, page, "impressions", listDays(SPAN), (i) => i % 5),
      ...rowsFor(owner, page, "reactions", listDays(SPAN), (i) => 2 + i),
      ...rowsFor(
        owner,
        importId,
        "impressions",
        listDays(SPAN),
        () => 50,
        "import",
      ),
    ];
    await upsertDailyMetrics(handle.db, rows);

    const apiDays = new Set(
      rows
        .filter((row) => row.connectionId === person)
        .map((row) => `${row.metric} ${row.day}`),
    );
    const counted = rows.filter(
      (row) =>
        row.connectionId !== importId ||
        !apiDays.has(`${row.metric} ${row.day}`),
    );

    const spans = [
      SPAN,
      { from: "2026-02-01", to: "2026-03-31" },
      { from: "2026-03-05", to: "2026-03-20" },
    ];
    const selections: ConnectionSelection[] = [
      {
        ids: [person, page, importId],
        importIds: [importId],
        everyApiConnection: true,
      },
      {
        ids: [person, page],
        importIds: [],
        everyApiConnection: true,
      },
      {
        ids: [page, importId],
        importIds: [importId],
        everyApiConnection: false,
      },
      {
        ids: [page],
        importIds: [],
        everyApiConnection: false,
      },
    ];

    for (const span of spans) {
      for (const selection of selections) {
        for (const granularity of GRANULARITIES) {
          const inSpan = counted.filter(
            (row) =>
              selection.ids.includes(row.connectionId) &&
              row.day >= span.from &&
              row.day <= span.to,
          );
          const expectedTotals: Sums = {};
          const expectedBuckets: Sums = {};
          for (const row of inSpan) {
            const total = `${row.connectionId} ${row.metric}`;
            expectedTotals[total] = (expectedTotals[total] ?? 0) + row.value;
            const bucket = `${row.metric} ${bucketStart(row.day, granularity)}`;
            expectedBuckets[bucket] =
              (expectedBuckets[bucket] ?? 0) + row.value;
          }

          const sums = await loadPeriodSums(
            handle.db,
            owner.workspaceId,
            span,
            ["impressions", "reactions"],
            selection,
            { granularity, metrics: ["impressions", "reactions"] },
          );
          const label = `${span.from}..${span.to} ${selection.ids.length} ids ${granularity}`;
          expect(
            Object.fromEntries(
              sums.totals.map((row) => [
                `${row.connectionId} ${row.metric}`,
                row.value,
              ]),
            ),
            label,
          ).toEqual(expectedTotals);
          expect(
            Object.fromEntries(
              sums.buckets.map((row) => [
                `${row.metric} ${row.bucket}`,
                row.value,
              ]),
            ),
            label,
          ).toEqual(expectedBuckets);
        }
      }
    }
  });
});
