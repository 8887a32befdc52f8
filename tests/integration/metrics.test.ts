import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import {
  imports,
  linkedinConnections,
  metricDaily,
  metricRangeTotals,
  workspaceDailySums,
  workspaces,
} from "@/lib/db/schema";
import { seriesCsvLines } from "@/lib/exports/series-csv";
import { addDays, listDays, todayUtc } from "@/lib/linkedin/days";
import { metricsCsvLines } from "@/lib/metrics/csv";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import {
  comparisonRange,
  DEFAULT_VIEW,
  GRANULARITIES,
  resolveRange,
  type DashboardView,
} from "@/lib/metrics/view";
import {
  arrayLiteral,
  upsertDailyMetrics,
  type DailyRow,
} from "@/lib/sync/upsert";
import { testEngines } from "../helpers/databases";
import { createConnection, createOwner } from "../helpers/fixtures";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { MetricName } from "@/lib/metrics/registry";
import type { DashboardData } from "@/lib/metrics/types";

const NOW = new Date("2026-06-15T10:00:00Z");

const viewOf = (range: DashboardView["range"], extra = {}): DashboardView => ({
  ...DEFAULT_VIEW,
  range,
  ...extra,
});

/** Daily rows of one connection and metric, each value computed from its day. */
function dailyRowsOf(
  owner: WorkspaceContext,
  connectionId: string,
  metric: MetricName,
  days: string[],
  valueOf: (day: string) => number,
  source: DailyRow["source"] = "api",
): DailyRow[] {
  return days.map((day) => ({
    workspaceId: owner.workspaceId,
    connectionId,
    metric,
    day,
    value: valueOf(day),
    source,
  }));
}

function seriesOf(data: DashboardData, metric: MetricName) {
  const series = data.series.find((item) => item.metric === metric);
  if (!series) throw new Error(`No ${metric} series in the dashboard`);
  return series.points;
}

function kpiOf(data: DashboardData, metric: MetricName) {
  const kpi = data.kpis.find((item) => item.metric === metric);
  if (!kpi) throw new Error(`No ${metric} KPI in the dashboard`);
  return kpi;
}

function dashboardRanges(days: 7 | 28, now: Date) {
  const range = resolveRange({ range: String(days) as "7" | "28" }, now)!;
  return { range, previousRange: comparisonRange(range, "previous")! };
}

describe.each(testEngines())("metrics on $name", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await engine.open();
  });
  afterAll(async () => {
    await handle.close();
  });

  /** Inserts a person connection filled from export files and returns its id. */
  async function createImportConnection(
    owner: WorkspaceContext,
    urn: string,
  ): Promise<string> {
    const [imported] = await handle.db
      .insert(linkedinConnections)
      .values({
        workspaceId: owner.workspaceId,
        userId: owner.userId,
        kind: "person",
        urn,
        name: "Imported",
        source: "import",
      })
      .returning({ id: linkedinConnections.id });
    return imported!.id;
  }

  it("migrations apply twice without change", async () => {
    await migrateDatabase(handle);
    const result = await handle.sql.executeSql(
      "select count(*)::int as n from metric_daily",
    );
    expect(result.rows).toHaveLength(1);
  });

  it("upsert is idempotent and updates changed days", async () => {
    const owner = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, owner, {
      kind: "person",
    });
    const rows: DailyRow[] = listDays({
      from: "2026-06-01",
      to: "2026-06-10",
    }).map((day, index) => ({
      workspaceId: owner.workspaceId,
      connectionId,
      metric: "impressions",
      day,
      value: index * 10,
      source: "api",
    }));

    expect(await upsertDailyMetrics(handle.db, rows)).toBe(10);
    expect(await upsertDailyMetrics(handle.db, rows)).toBe(0);

    const changed = rows.map((row) =>
      row.day === "2026-06-05" ? { ...row, value: 999 } : row,
    );
    expect(await upsertDailyMetrics(handle.db, changed)).toBe(1);

    const stored = await handle.db
      .select({
        n: sql<number>`count(*)`.mapWith(Number),
        total: sql<number>`sum(value)`.mapWith(Number),
      })
      .from(metricDaily)
      .where(sql`${metricDaily.connectionId} = ${connectionId}`);
    expect(stored[0]?.n).toBe(10);
    expect(stored[0]?.total).toBe(450 - 40 + 999);
  });

  /**
   * Runs `work` in a transaction on one pooled connection and keeps that
   * transaction open while `next` runs on another, until a statement of
   * `next` waits for a lock inside an INSERT into metric_daily. Then it
   * commits. Resolves to what `next` settled to.
   */
  async function whileHeldOpen<T>(
    work: (tx: typeof handle.db) => Promise<unknown>,
    next: () => Promise<T>,
  ): Promise<PromiseSettledResult<T>> {
    let release = () => {};
    const mayCommit = new Promise<void>((resolve) => (release = resolve));
    let worked = () => {};
    const workDone = new Promise<void>((resolve) => (worked = resolve));
    const openTransaction = handle.db.transaction(async (tx) => {
      await work(tx);
      worked();
      await mayCommit;
    });
    await workDone;
    const settled = Promise.allSettled([next()]);
    try {
      await expect
        .poll(async () => {
          const result = await handle.sql.executeSql(
            "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into metric_daily%'",
          );
          return (result.rows[0] as { n: number }).n;
        })
        .toBe(1);
    } finally {
      // A failed wait must not leave the held transaction open.
      release();
    }
    await openTransaction;
    return (await settled)[0];
  }

  // Two writers need two connections, which only the Postgres engine has.
  it.skipIf(engine.name === "pglite")(
    "insert of new days yields to a concurrent writer",
    async () => {
      const owner = await createOwner(handle.db);
      const connectionId = await createConnection(handle.db, owner, {
        kind: "person",
      });
      const days = listDays({ from: "2026-06-01", to: "2026-06-10" });
      const rowsWith = (value: number) =>
        dailyRowsOf(owner, connectionId, "impressions", days, () => value);

      // The first writer keeps its new rows uncommitted while the second,
      // which finds no stored row, tries its plain INSERT of the same days.
      const second = await whileHeldOpen(
        (tx) => upsertDailyMetrics(tx, rowsWith(1)),
        () => upsertDailyMetrics(handle.db, rowsWith(2)),
      );

      // The INSERT failed on the first writer's rows, and the upsert that
      // followed changed all ten of them.
      expect(second).toEqual({ status: "fulfilled", value: 10 });
      const stored = await handle.db
        .select({ value: metricDaily.value })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, connectionId));
      expect(stored.map((row) => row.value)).toEqual(days.map(() => 2));
    },
  );

  it.skipIf(engine.name === "pglite")(
    "upsert waits for a concurrent connection delete",
    async () => {
      const owner = await createOwner(handle.db);
      const connectionId = await createConnection(handle.db, owner, {
        kind: "person",
      });
      // Imported rows, because the stored sums of API rows have a foreign
      // key of their own, which would wait for the delete as well.
      const rows = dailyRowsOf(
        owner,
        connectionId,
        "impressions",
        ["2026-06-01", "2026-06-02"],
        () => 3,
        "import",
      );

      // The delete keeps the connection's row locked until it commits, so
      // the writer's check waits for it and then finds the connection gone.
      const write = await whileHeldOpen(
        (tx) =>
          tx
            .delete(linkedinConnections)
            .where(eq(linkedinConnections.id, connectionId)),
        () => upsertDailyMetrics(handle.db, rows),
      );

      expect(write.status).toBe("rejected");
      const stored = await handle.db
        .select({ day: metricDaily.day })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, connectionId));
      expect(stored).toEqual([]);
    },
  );

  it("upsert keeps each row's connection and workspace", async () => {
    const first = await createOwner(handle.db);
    const second = await createOwner(handle.db);
    const connections = [
      {
        context: first,
        id: await createConnection(handle.db, first, { kind: "person" }),
      },
      {
        context: first,
        id: await createConnection(handle.db, first, { kind: "organization" }),
      },
      {
        context: second,
        id: await createConnection(handle.db, second, { kind: "person" }),
      },
    ];
    // Interleaved, so a row's pair position differs from its neighbours'.
    const rows: DailyRow[] = listDays({
      from: "2026-05-01",
      to: "2026-05-04",
    }).flatMap((day, dayIndex) =>
      connections.map((connection, index) => ({
        workspaceId: connection.context.workspaceId,
        connectionId: connection.id,
        metric: index === 1 ? "page_views" : "impressions",
        day,
        value: 1000 * index + dayIndex,
        source: "api",
      })),
    );

    expect(await upsertDailyMetrics(handle.db, rows)).toBe(12);

    const stored = await handle.db
      .select({
        workspaceId: metricDaily.workspaceId,
        connectionId: metricDaily.connectionId,
        metric: metricDaily.metric,
        day: metricDaily.day,
        value: metricDaily.value,
        source: metricDaily.source,
      })
      .from(metricDaily)
      .where(
        inArray(
          metricDaily.connectionId,
          connections.map((connection) => connection.id),
        ),
      );
    const key = (row: DailyRow | (typeof stored)[number]) =>
      `${row.connectionId} ${row.metric} ${row.day}`;
    const byKey = (list: (DailyRow | (typeof stored)[number])[]) =>
      [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(byKey(stored)).toEqual(byKey(rows));
  });

  it("upsert updates a changed source alone", async () => {
    const owner = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, owner, {
      kind: "person",
    });
    const row: DailyRow = {
      workspaceId: owner.workspaceId,
      connectionId,
      metric: "reactions",
      day: "2026-05-01",
      value: 7,
      source: "api",
    };
    expect(await upsertDailyMetrics(handle.db, [row])).toBe(1);
    expect(
      await upsertDailyMetrics(handle.db, [{ ...row, source: "import" }]),
    ).toBe(1);

    const [stored] = await handle.db
      .select({ source: metricDaily.source, value: metricDaily.value })
      .from(metricDaily)
      .where(eq(metricDaily.connectionId, connectionId));
    expect(stored?.source).toBe("import");
    expect(stored?.value).toBe(7);
  });

  it("upsert rejects another workspace's connection", async () => {
    const owner = await createOwner(handle.db);
    const other = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, owner, {
      kind: "person",
    });
    const row: DailyRow = {
      workspaceId: other.workspaceId,
      connectionId,
      metric: "impressions",
      day: "2026-05-01",
      value: 1,
      source: "api",
    };
    await expect(upsertDailyMetrics(handle.db, [row])).rejects.toThrow();
  });

  it("upsert rejects a missing connection", async () => {
    const owner = await createOwner(handle.db);
    const row: DailyRow = {
      workspaceId: owner.workspaceId,
      connectionId: "00000000-0000-4000-8000-000000000000",
      metric: "impressions",
      day: "2026-05-01",
      value: 1,
      source: "api",
    };
    await expect(upsertDailyMetrics(handle.db, [row])).rejects.toThrow();
    const stored = await handle.db
      .select()
      .from(metricDaily)
      .where(eq(metricDaily.connectionId, row.connectionId));
    expect(stored).toEqual([]);
  });

  it("daily rows keep their connection and workspace", async () => {
    const owner = await createOwner(handle.db);
    const other = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, owner, {
      kind: "person",
    });
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(owner, connectionId, "impressions", ["2026-05-01"], () => 1),
    );
    await expect(
      handle.db
        .update(metricDaily)
        .set({ workspaceId: other.workspaceId })
        .where(eq(metricDaily.connectionId, connectionId)),
    ).rejects.toThrow();
  });

  it("deleting connections deletes their daily rows", async () => {
    const owner = await createOwner(handle.db);
    const remaining = await createConnection(handle.db, owner, {
      kind: "person",
    });
    const removed = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const days = listDays({ from: "2026-05-01", to: "2026-05-03" });
    await upsertDailyMetrics(handle.db, [
      ...dailyRowsOf(owner, remaining, "impressions", days, () => 2),
      ...dailyRowsOf(owner, removed, "impressions", days, () => 5),
    ]);
    const rowsOf = (connectionId: string) =>
      handle.db
        .select({ day: metricDaily.day })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, connectionId));
    const sums = () =>
      handle.db
        .select({ value: workspaceDailySums.value })
        .from(workspaceDailySums)
        .where(eq(workspaceDailySums.workspaceId, owner.workspaceId));

    await handle.db
      .delete(linkedinConnections)
      .where(eq(linkedinConnections.id, removed));
    expect(await rowsOf(removed)).toEqual([]);
    expect(await rowsOf(remaining)).toHaveLength(3);
    // The stored sums lose the deleted rows with them.
    expect((await sums()).map((sum) => sum.value)).toEqual([2, 2, 2]);

    // Deleting the workspace deletes its connections by cascade.
    await handle.db
      .delete(workspaces)
      .where(eq(workspaces.id, owner.workspaceId));
    expect(await rowsOf(remaining)).toEqual([]);
    expect(await sums()).toEqual([]);
  });

  it("array literals survive awkward text", async () => {
    const values = [
      "plain",
      "a,b",
      'with "quotes"',
      "back\\slash",
      "NULL",
      "null",
      "",
      " spaced ",
      "{braces}",
      "2026-05-01",
      "42",
    ];
    const result = await handle.sql.executeSql(
      "select $1::text::text[] as elements",
      [arrayLiteral(values)],
    );
    const [row] = result.rows as { elements: string[] }[];
    expect(row?.elements).toEqual(values);
  });

  it("dashboard sums the range and the previous period", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const page = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const { range, previousRange } = dashboardRanges(7, NOW);
    const days = listDays({ from: previousRange.from, to: range.to });
    const rows: DailyRow[] = days.flatMap((day, index) => [
      {
        workspaceId: owner.workspaceId,
        connectionId: person,
        metric: "impressions",
        day,
        value: index + 1,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId: page,
        metric: "impressions",
        day,
        value: 100,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId: page,
        metric: "page_views",
        day,
        value: 2,
        source: "api",
      },
    ]);
    // A day without a row inside the stored days must read as zero.
    const gapDay = addDays(range.from, 3);
    await upsertDailyMetrics(
      handle.db,
      rows.filter(
        (row) => !(row.day === gapDay && row.metric === "page_views"),
      ),
    );

    const data = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);

    expect(data.range).toEqual({
      from: addDays(todayUtc(NOW), -7),
      to: addDays(todayUtc(NOW), -1),
    });
    const impressions = data.kpis.find((kpi) => kpi.metric === "impressions");
    // previous days carry values 1..7, current days 8..14, plus 100 a day from the page
    expect(impressions?.value).toBe(8 + 9 + 10 + 11 + 12 + 13 + 14 + 700);
    expect(impressions?.previous).toBe(28 + 700);
    const pageViews = data.series.find(
      (series) => series.metric === "page_views",
    );
    expect(pageViews?.points).toHaveLength(7);
    expect(pageViews?.points[3]).toEqual({
      day: gapDay,
      to: gapDay,
      value: 0,
      storedDays: null,
      previous: 2,
      previousStoredDays: null,
      previousDay: addDays(previousRange.from, 3),
      previousTo: addDays(previousRange.from, 3),
    });
  });

  it("charts the shown metrics in registry order", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const page = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const { range, previousRange } = dashboardRanges(7, NOW);
    await upsertDailyMetrics(
      handle.db,
      listDays({ from: previousRange.from, to: range.to }).flatMap((day) => [
        {
          workspaceId: owner.workspaceId,
          connectionId: person,
          metric: "reactions",
          day,
          value: 3,
          source: "api" as const,
        },
        {
          workspaceId: owner.workspaceId,
          connectionId: page,
          metric: "page_views",
          day,
          value: 5,
          source: "api" as const,
        },
      ]),
    );

    const views = [
      viewOf("7"),
      viewOf("7", { metrics: ["page_views", "reactions"] }),
      viewOf("28", { granularity: "week", comparison: "none" }),
    ];
    for (const view of views) {
      const data = await loadDashboardData(handle.db, owner, view, NOW);
      expect(data.chartMetrics, JSON.stringify(view)).toEqual(
        data.series.map((item) => item.metric),
      );
    }
    const filtered = await loadDashboardData(handle.db, owner, views[1]!, NOW);
    // Registry order, whatever order the link named them in.
    expect(filtered.chartMetrics).toEqual(["reactions", "page_views"]);
    expect(
      filtered.kpis.find((kpi) => kpi.metric === "page_views")?.value,
    ).toBe(35);
  });

  it("first stored day for every range", async () => {
    const owner = await createOwner(handle.db);
    const early = await createConnection(handle.db, owner, { kind: "person" });
    const late = await createConnection(handle.db, owner, { kind: "person" });
    const rowsOf = (connectionId: string, from: string): DailyRow[] =>
      listDays({ from, to: "2026-06-14" }).map((day) => ({
        workspaceId: owner.workspaceId,
        connectionId,
        metric: "impressions",
        day,
        value: 1,
        source: "api",
      }));
    await upsertDailyMetrics(handle.db, [
      ...rowsOf(early, "2026-03-01"),
      ...rowsOf(late, "2026-05-20"),
    ]);

    const all = await loadDashboardData(handle.db, owner, viewOf("all"), NOW);
    expect(all.firstStoredDay).toBe("2026-03-01");
    expect(all.range).toEqual({ from: "2026-03-01", to: "2026-06-14" });

    const week = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);
    expect(week.firstStoredDay).toBe("2026-03-01");
    expect(week.range).toEqual({ from: "2026-06-08", to: "2026-06-14" });

    const lateOnly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("all", { connections: [late] }),
      NOW,
    );
    expect(lateOnly.firstStoredDay).toBe("2026-05-20");
    expect(lateOnly.range.from).toBe("2026-05-20");

    const lateMonth = await loadDashboardData(
      handle.db,
      owner,
      viewOf("28", { connections: [late] }),
      NOW,
    );
    expect(lateMonth.firstStoredDay).toBe("2026-05-20");
  });

  it("dashboard hides another workspace's metrics", async () => {
    const owner = await createOwner(handle.db);
    const stranger = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, stranger, {
      kind: "person",
    });
    const { range } = dashboardRanges(7, NOW);
    await upsertDailyMetrics(handle.db, [
      {
        workspaceId: stranger.workspaceId,
        connectionId,
        metric: "impressions",
        day: range.to,
        value: 5,
        source: "api",
      },
    ]);

    const data = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);

    expect(data.connections).toEqual([]);
    expect(data.series).toEqual([]);
    expect(data.kpis.every((kpi) => kpi.value === null)).toBe(true);
  });

  it("marks metrics a connection cannot have as unavailable", async () => {
    const owner = await createOwner(handle.db);
    await createConnection(handle.db, owner, { kind: "person" });

    const data = await loadDashboardData(handle.db, owner, viewOf("28"), NOW);

    expect(
      data.kpis.find((kpi) => kpi.metric === "page_views")?.value,
    ).toBeNull();
    expect(data.kpis.find((kpi) => kpi.metric === "impressions")?.value).toBe(
      0,
    );
    expect(data.series.map((series) => series.metric)).not.toContain(
      "page_views",
    );
  });

  it("granularity totals agree at day, week and month", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const days = listDays({ from: "2026-01-01", to: "2026-06-14" });
    await upsertDailyMetrics(
      handle.db,
      days.map((day, index) => ({
        workspaceId: owner.workspaceId,
        connectionId: person,
        metric: "reactions",
        day,
        value: (index * 7) % 13,
        source: "api",
      })),
    );
    // A custom range that starts mid-week and mid-month clips both ends.
    const custom = { from: "2026-02-11", to: "2026-05-20" };
    const expected = listDays(custom).reduce(
      (sum, day) => sum + ((days.indexOf(day) * 7) % 13),
      0,
    );

    for (const granularity of GRANULARITIES) {
      const data = await loadDashboardData(
        handle.db,
        owner,
        viewOf("custom", { ...custom, granularity }),
        NOW,
      );
      const series = data.series.find((item) => item.metric === "reactions");
      const bucketTotal = series!.points.reduce(
        (s, p) => s + (p.value ?? 0),
        0,
      );
      const kpi = data.kpis.find((item) => item.metric === "reactions");
      expect(bucketTotal, granularity).toBe(expected);
      expect(kpi?.value, granularity).toBe(expected);
      expect(series!.points[0]?.day, granularity).toBe(custom.from);
      expect(series!.points.at(-1)?.to, granularity).toBe(custom.to);
    }
    const weekly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", { ...custom, granularity: "week" }),
      NOW,
    );
    const weeks = weekly.series.find((item) => item.metric === "reactions");
    // 2026-02-11 is a Wednesday, so the second bucket starts on Monday 16th.
    expect(weeks!.points[0]).toMatchObject({
      day: "2026-02-11",
      to: "2026-02-15",
    });
    expect(weeks!.points[1]?.day).toBe("2026-02-16");
  });

  it("year comparison and no comparison", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    await upsertDailyMetrics(handle.db, [
      // Before the comparison period, so all of that period is covered.
      {
        workspaceId: owner.workspaceId,
        connectionId: person,
        metric: "comments",
        day: "2025-06-01",
        value: 1,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId: person,
        metric: "comments",
        day: "2025-06-10",
        value: 4,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId: person,
        metric: "comments",
        day: "2026-06-10",
        value: 6,
        source: "api",
      },
    ]);
    const year = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7", { comparison: "year" }),
      NOW,
    );
    const comments = year.kpis.find((kpi) => kpi.metric === "comments");
    expect(year.comparisonRange).toEqual({
      from: "2025-06-08",
      to: "2025-06-14",
    });
    expect(comments?.value).toBe(6);
    expect(comments?.previous).toBe(4);
    expect(comments?.previousUnavailable).toBeNull();
    const reached = year.kpis.find((kpi) => kpi.metric === "members_reached");
    expect(reached?.previous).toBeNull();

    // LinkedIn's members-reached totals cover the period just before only.
    const totalOf = (
      period: "current" | "previous",
      range: { from: string; to: string },
      value: number,
    ) => ({
      workspaceId: owner.workspaceId,
      connectionId: person,
      metric: "members_reached",
      rangeDays: 7,
      period,
      rangeStart: range.from,
      rangeEnd: range.to,
      value,
    });
    await handle.db
      .insert(metricRangeTotals)
      .values([
        totalOf("current", { from: "2026-06-08", to: "2026-06-14" }, 30),
        totalOf("previous", { from: "2026-06-01", to: "2026-06-07" }, 20),
      ]);
    const reachedWith = async (comparison: "previous" | "year") =>
      kpiOf(
        await loadDashboardData(
          handle.db,
          owner,
          viewOf("7", { comparison }),
          NOW,
        ),
        "members_reached",
      );
    const yearAgo = await reachedWith("year");
    expect(yearAgo.value).toBe(30);
    expect(yearAgo.previous).toBeNull();
    expect(yearAgo.previousReason).toMatch(/not a year earlier/);
    const before = await reachedWith("previous");
    expect(before.previous).toBe(20);
    expect(before.previousReason).toBeNull();

    const none = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7", { comparison: "none" }),
      NOW,
    );
    expect(none.comparisonRange).toBeNull();
    expect(
      none.kpis.find((kpi) => kpi.metric === "comments")?.previous,
    ).toBeNull();
  });

  it("series empty before first stored day", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    // The 7-day range is 2026-06-08 to 06-14, its previous period 06-01 to
    // 06-07. The data starts on 06-11 and has no row on 06-13.
    const values: Record<string, number> = {
      "2026-06-11": 5,
      "2026-06-12": 6,
      "2026-06-14": 7,
    };
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(owner, person, "impressions", Object.keys(values), (day) => {
        return values[day]!;
      }),
    );

    const data = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);

    const points = seriesOf(data, "impressions");
    expect(points.map((point) => point.value)).toEqual([
      null,
      null,
      null,
      5,
      6,
      0,
      7,
    ]);
    expect(points.map((point) => point.previous)).toEqual(
      Array<null>(7).fill(null),
    );
    expect(points[0]?.previousDay).toBe("2026-06-01");
    const impressions = kpiOf(data, "impressions");
    expect(impressions.value).toBe(18);
    expect(impressions.coverage).toEqual({
      storedDays: 4,
      days: 7,
      storedFrom: "2026-06-11",
    });
    expect(impressions.previous).toBeNull();
    expect(impressions.previousUnavailable).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });
    expect(data.firstStoredDay).toBe("2026-06-11");

    const lines = [...seriesCsvLines(data)].filter((line) =>
      line.startsWith("impressions,"),
    );
    expect(lines).toEqual([
      "impressions,2026-06-08,2026-06-08,,2026-06-01,2026-06-01,,0,0",
      "impressions,2026-06-09,2026-06-09,,2026-06-02,2026-06-02,,0,0",
      "impressions,2026-06-10,2026-06-10,,2026-06-03,2026-06-03,,0,0",
      "impressions,2026-06-11,2026-06-11,5,2026-06-04,2026-06-04,,1,0",
      "impressions,2026-06-12,2026-06-12,6,2026-06-05,2026-06-05,,1,0",
      "impressions,2026-06-13,2026-06-13,0,2026-06-06,2026-06-06,,1,0",
      "impressions,2026-06-14,2026-06-14,7,2026-06-07,2026-06-07,,1,0",
    ]);
  });

  it("year comparison before first stored day", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(
        owner,
        person,
        "comments",
        listDays({ from: "2026-01-01", to: "2026-06-14" }),
        () => 1,
      ),
    );

    const year = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7", { comparison: "year" }),
      NOW,
    );
    const points = seriesOf(year, "comments");
    expect(points.map((point) => point.value)).toEqual(Array(7).fill(1));
    expect(points.map((point) => point.previous)).toEqual(Array(7).fill(null));
    expect(points[0]?.previousDay).toBe("2025-06-08");
    const comments = kpiOf(year, "comments");
    expect(comments.value).toBe(7);
    expect(comments.coverage).toBeNull();
    expect(comments.previous).toBeNull();
    expect(comments.previousUnavailable).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });
    const csv = [...seriesCsvLines(year)];
    expect(csv).toContain(
      "comments,2026-06-08,2026-06-08,1,2025-06-08,2025-06-08,,1,0",
    );

    // The previous 7 days are stored, so that comparison has its value.
    const previous = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7"),
      NOW,
    );
    expect(kpiOf(previous, "comments").previous).toBe(7);
    expect(kpiOf(previous, "comments").previousUnavailable).toBeNull();
    expect(
      seriesOf(previous, "comments").map((point) => point.previous),
    ).toEqual(Array(7).fill(1));
  });

  it("partly covered bucket keeps its sum", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    // Each day's value is its day of the month, from Wednesday 2026-04-15.
    const dayOfMonth = (day: string) => Number(day.slice(8));
    const sumOf = (from: string, to: string) =>
      listDays({ from, to }).reduce((sum, day) => sum + dayOfMonth(day), 0);
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(
        owner,
        person,
        "reactions",
        listDays({ from: "2026-04-15", to: "2026-06-14" }),
        dayOfMonth,
      ),
    );

    // 28 days from Monday 2026-05-04, compared with 2026-04-06 to 05-03.
    const weekly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", {
        from: "2026-05-04",
        to: "2026-05-31",
        granularity: "week",
      }),
      NOW,
    );
    expect(weekly.comparisonRange).toEqual({
      from: "2026-04-06",
      to: "2026-05-03",
    });
    const weeks = seriesOf(weekly, "reactions");
    expect(weeks.map((point) => point.previousDay)).toEqual([
      "2026-04-06",
      "2026-04-13",
      "2026-04-20",
      "2026-04-27",
    ]);
    // A comparison week stored in part has no value, as for the KPI, and
    // counts its stored days instead.
    expect(weeks.map((point) => point.previous)).toEqual([
      null,
      null,
      sumOf("2026-04-20", "2026-04-26"),
      sumOf("2026-04-27", "2026-05-03"),
    ]);
    expect(weeks.map((point) => point.previousStoredDays)).toEqual([
      null,
      5,
      null,
      null,
    ]);
    // The CSV counts each bucket's stored days in its last two columns.
    const csvRows = [...seriesCsvLines(weekly)]
      .map((line) => line.trim().split(","))
      .filter((cells) => cells[0] === "reactions");
    expect(csvRows.map((cells) => cells.slice(-2))).toEqual([
      ["7", "0"],
      ["7", "5"],
      ["7", "7"],
      ["7", "7"],
    ]);
    expect(weeks.map((point) => point.value)).toEqual([
      sumOf("2026-05-04", "2026-05-10"),
      sumOf("2026-05-11", "2026-05-17"),
      sumOf("2026-05-18", "2026-05-24"),
      sumOf("2026-05-25", "2026-05-31"),
    ]);
    // The comparison period starts before the data, so its total would be partial.
    const reactions = kpiOf(weekly, "reactions");
    expect(reactions.previous).toBeNull();
    expect(reactions.previousUnavailable).toEqual({
      storedDays: 19,
      days: 28,
      storedFrom: "2026-04-15",
    });

    const monthly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", {
        from: "2026-03-01",
        to: "2026-05-31",
        granularity: "month",
        comparison: "none",
      }),
      NOW,
    );
    const months = seriesOf(monthly, "reactions");
    expect(months.map((point) => point.value)).toEqual([
      null,
      sumOf("2026-04-15", "2026-04-30"),
      sumOf("2026-05-01", "2026-05-31"),
    ]);
    expect(months.map((point) => point.storedDays)).toEqual([null, 16, null]);
    expect(kpiOf(monthly, "reactions").value).toBe(
      sumOf("2026-04-15", "2026-05-31"),
    );
    expect(kpiOf(monthly, "reactions").previousUnavailable).toBeNull();
  });

  it("first stored day per metric", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const importId = await createImportConnection(
      owner,
      "urn:li:person:first-day-import",
    );
    // The API rows of impressions start on 06-01, the imported reactions
    // on 06-10, inside the 7-day range 2026-06-08 to 06-14.
    await upsertDailyMetrics(handle.db, [
      ...dailyRowsOf(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-06-01", to: "2026-06-14" }),
        () => 2,
      ),
      ...dailyRowsOf(
        owner,
        importId,
        "reactions",
        listDays({ from: "2026-06-10", to: "2026-06-14" }),
        () => 3,
        "import",
      ),
    ]);

    const data = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);

    expect(data.firstStoredDay).toBe("2026-06-01");
    expect(seriesOf(data, "impressions").map((point) => point.value)).toEqual(
      Array(7).fill(2),
    );
    expect(seriesOf(data, "reactions").map((point) => point.value)).toEqual([
      null,
      null,
      3,
      3,
      3,
      3,
      3,
    ]);
    expect(kpiOf(data, "impressions").previous).toBe(14);
    expect(kpiOf(data, "impressions").previousUnavailable).toBeNull();
    expect(kpiOf(data, "reactions").value).toBe(15);
    expect(kpiOf(data, "reactions").previous).toBeNull();
    expect(kpiOf(data, "reactions").coverage).toEqual({
      storedDays: 5,
      days: 7,
      storedFrom: "2026-06-10",
    });
    expect(kpiOf(data, "reactions").previousUnavailable).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });

    // Without the import, no selected connection has stored reactions.
    const apiOnly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7", { connections: [person] }),
      NOW,
    );
    expect(seriesOf(apiOnly, "reactions").map((point) => point.value)).toEqual(
      Array(7).fill(null),
    );
    expect(kpiOf(apiOnly, "reactions").coverage).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });
    expect(kpiOf(apiOnly, "reactions").previousUnavailable).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });

    const importOnly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("all", { connections: [importId] }),
      NOW,
    );
    expect(importOnly.firstStoredDay).toBe("2026-06-10");
    expect(importOnly.range.from).toBe("2026-06-10");
  });

  it("days between and after stored spans", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const importId = await createImportConnection(
      owner,
      "urn:li:person:span-import",
    );
    // An old import of 05-01 to 05-03, then API rows from 06-10 on. The
    // days between them were never stored.
    await upsertDailyMetrics(handle.db, [
      ...dailyRowsOf(
        owner,
        importId,
        "impressions",
        listDays({ from: "2026-05-01", to: "2026-05-03" }),
        () => 4,
        "import",
      ),
      ...dailyRowsOf(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-06-10", to: "2026-06-14" }),
        () => 2,
      ),
    ]);

    // 2026-05-18 to 06-14 (28 days), compared with 04-20 to 05-17.
    const data = await loadDashboardData(
      handle.db,
      owner,
      viewOf("28", { granularity: "week" }),
      NOW,
    );
    const weeks = seriesOf(data, "impressions");
    expect(weeks.map((point) => point.value)).toEqual([null, null, null, 10]);
    expect(weeks.map((point) => point.storedDays)).toEqual([
      null,
      null,
      null,
      5,
    ]);
    // The import's three days fill part of one comparison week only.
    expect(weeks.map((point) => point.previous)).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(weeks.map((point) => point.previousStoredDays)).toEqual([
      null,
      3,
      null,
      null,
    ]);
    const impressions = kpiOf(data, "impressions");
    expect(impressions.value).toBe(10);
    expect(impressions.coverage).toEqual({
      storedDays: 5,
      days: 28,
      storedFrom: "2026-06-10",
    });
    expect(impressions.previous).toBeNull();
    expect(impressions.previousUnavailable).toEqual({
      storedDays: 3,
      days: 28,
      storedFrom: null,
    });

    // The import alone ends on 05-03, so later days have no data.
    const importOnly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", {
        from: "2026-05-01",
        to: "2026-05-07",
        connections: [importId],
      }),
      NOW,
    );
    expect(
      seriesOf(importOnly, "impressions").map((point) => point.value),
    ).toEqual([4, 4, 4, null, null, null, null]);
    expect(kpiOf(importOnly, "impressions").coverage).toEqual({
      storedDays: 3,
      days: 7,
      storedFrom: null,
    });

    // Before any stored day the range has no data at all.
    const before = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", { from: "2026-01-01", to: "2026-01-31" }),
      NOW,
    );
    expect(kpiOf(before, "impressions").coverage).toEqual({
      storedDays: 0,
      days: 31,
      storedFrom: null,
    });
  });

  it("days between two imported files are not stored", async () => {
    const owner = await createOwner(handle.db);
    const importId = await createImportConnection(
      owner,
      "urn:li:person:two-files",
    );
    const person = await createConnection(handle.db, owner, { kind: "person" });
    const files = [
      { from: "2026-05-01", to: "2026-05-03" },
      { from: "2026-05-10", to: "2026-05-12" },
    ];
    for (const [index, file] of files.entries()) {
      await upsertDailyMetrics(
        handle.db,
        dailyRowsOf(
          owner,
          importId,
          "impressions",
          listDays(file),
          () => 4,
          "import",
        ),
      );
      await handle.db.insert(imports).values({
        workspaceId: owner.workspaceId,
        connectionId: importId,
        userId: owner.userId,
        fileName: `Content_${index}.xlsx`,
        fileSha256: `sha-${index}`,
        kind: "member_content",
        firstDay: file.from,
        lastDay: file.to,
        rowsRead: 3,
        rowsWritten: 3,
      });
    }
    // The API connection stored only days before the range below.
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-05-01", to: "2026-05-03" }),
        () => 2,
      ),
    );

    const data = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", { from: "2026-05-08", to: "2026-05-14" }),
      NOW,
    );
    expect(seriesOf(data, "impressions").map((point) => point.value)).toEqual([
      null,
      null,
      4,
      4,
      4,
      null,
      null,
    ]);
    expect(kpiOf(data, "impressions").coverage).toEqual({
      storedDays: 3,
      days: 7,
      storedFrom: null,
    });
    const rowOf = (id: string) =>
      data.breakdown.find((row) => row.connectionId === id);
    expect(rowOf(importId)?.values.impressions).toBe(12);
    expect(rowOf(importId)?.coverage.impressions).toEqual({
      storedDays: 3,
      days: 7,
      storedFrom: null,
    });
    expect(rowOf(person)?.coverage.impressions).toEqual({
      storedDays: 0,
      days: 7,
      storedFrom: null,
    });
    // A connection's metric without any stored row has no data either.
    expect(rowOf(person)?.coverage.reactions?.storedDays).toBe(0);
  });

  it("file days count only for their kind's metrics", async () => {
    const owner = await createOwner(handle.db);
    const pageId = await createImportConnection(
      owner,
      "urn:li:organization:file-kinds",
    );
    // Follower files for May 1-3 and May 10-12, a content file for May 5-7.
    const files = [
      {
        kind: "page_followers" as const,
        metric: "follower_gains" as const,
        days: { from: "2026-05-01", to: "2026-05-03" },
      },
      {
        kind: "page_content" as const,
        metric: "impressions" as const,
        days: { from: "2026-05-05", to: "2026-05-07" },
      },
      {
        kind: "page_followers" as const,
        metric: "follower_gains" as const,
        days: { from: "2026-05-10", to: "2026-05-12" },
      },
    ];
    for (const [index, file] of files.entries()) {
      await upsertDailyMetrics(
        handle.db,
        dailyRowsOf(
          owner,
          pageId,
          file.metric,
          listDays(file.days),
          () => 5,
          "import",
        ),
      );
      await handle.db.insert(imports).values({
        workspaceId: owner.workspaceId,
        connectionId: pageId,
        userId: owner.userId,
        fileName: `Page_${index}.xls`,
        fileSha256: `kinds-${index}`,
        kind: file.kind,
        firstDay: file.days.from,
        lastDay: file.days.to,
        rowsRead: 3,
        rowsWritten: 3,
      });
    }

    const data = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", { from: "2026-05-01", to: "2026-05-14" }),
      NOW,
    );

    // May 5-7 lie between the follower files, and the content file there
    // has no follower column, so those days are not stored followers.
    const followers = seriesOf(data, "follower_gains");
    expect(followers.map((point) => point.value)).toEqual([
      5,
      5,
      5,
      null,
      null,
      null,
      null,
      null,
      null,
      5,
      5,
      5,
      null,
      null,
    ]);
    expect(kpiOf(data, "follower_gains").coverage?.storedDays).toBe(6);
    expect(kpiOf(data, "impressions").coverage?.storedDays).toBe(3);
  });

  it("comparison chart sums match the KPI", async () => {
    const owner = await createOwner(handle.db);
    const person = await createConnection(handle.db, owner, { kind: "person" });
    await upsertDailyMetrics(
      handle.db,
      dailyRowsOf(
        owner,
        person,
        "impressions",
        listDays({ from: "2026-01-01", to: "2026-03-31" }),
        (day) => Number(day.slice(8)),
      ),
    );

    // March 1-30 compares with January 30 to February 28, two calendar
    // months that the chart's one March bucket must both cover.
    const monthly = await loadDashboardData(
      handle.db,
      owner,
      viewOf("custom", {
        from: "2026-03-01",
        to: "2026-03-30",
        granularity: "month",
      }),
      NOW,
    );
    const points = seriesOf(monthly, "impressions");
    const previousTotal = kpiOf(monthly, "impressions").previous;
    expect(previousTotal).toBe(30 + 31 + (28 * 29) / 2);
    expect(points.map((point) => point.previous)).toEqual([previousTotal]);
    expect(points[0]?.previousDay).toBe("2026-01-30");
    expect(points[0]?.previousTo).toBe("2026-02-28");
  });

  it("connection filter and breakdown", async () => {
    const owner = await createOwner(handle.db);
    const first = await createConnection(handle.db, owner, { kind: "person" });
    const second = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    await upsertDailyMetrics(handle.db, [
      {
        workspaceId: owner.workspaceId,
        connectionId: first,
        metric: "impressions",
        day: "2026-06-14",
        value: 10,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId: second,
        metric: "impressions",
        day: "2026-06-14",
        value: 5,
        source: "api",
      },
    ]);
    const all = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);
    expect(all.kpis.find((kpi) => kpi.metric === "impressions")?.value).toBe(
      15,
    );
    expect(
      all.breakdown.find((row) => row.connectionId === first)?.values
        .page_views,
    ).toBeNull();
    expect(
      all.breakdown.find((row) => row.connectionId === second)?.values
        .impressions,
    ).toBe(5);

    const one = await loadDashboardData(
      handle.db,
      owner,
      viewOf("7", { connections: [second] }),
      NOW,
    );
    expect(one.kpis.find((kpi) => kpi.metric === "impressions")?.value).toBe(5);
    expect(
      one.kpis.find((kpi) => kpi.metric === "members_reached")?.value,
    ).toBeNull();
  });

  it("names when a put-off sync runs again", async () => {
    const owner = await createOwner(handle.db);
    const waiting = await createConnection(handle.db, owner, {
      kind: "person",
    });
    const overdue = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const later = new Date(NOW.getTime() + 3_600_000);
    const earlier = new Date(NOW.getTime() - 3_600_000);
    for (const [id, nextSyncAt] of [
      [waiting, later],
      [overdue, earlier],
    ] as const) {
      await handle.db
        .update(linkedinConnections)
        .set({ syncState: "queued", nextSyncAt })
        .where(eq(linkedinConnections.id, id));
    }

    const data = await loadDashboardData(handle.db, owner, viewOf("7"), NOW);
    const nextSyncOf = (id: string) =>
      data.connections.find((connection) => connection.id === id)?.nextSyncAt;
    expect(nextSyncOf(waiting)).toBe(later.toISOString());
    // A time already past reads as an ordinary queued sync.
    expect(nextSyncOf(overdue)).toBeNull();
  });

  it("csv lists stored rows with the connection urn", async () => {
    const owner = await createOwner(handle.db);
    const connectionId = await createConnection(handle.db, owner, {
      kind: "person",
      urn: "urn:li:person:csvtest",
    });
    await upsertDailyMetrics(handle.db, [
      {
        workspaceId: owner.workspaceId,
        connectionId,
        metric: "comments",
        day: "2026-05-02",
        value: 3,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId,
        metric: "comments",
        day: "2026-05-01",
        value: 4,
        source: "api",
      },
      {
        workspaceId: owner.workspaceId,
        connectionId,
        metric: "comments",
        day: "2026-04-30",
        value: 9,
        source: "api",
      },
    ]);

    const lines = await metricsCsvLines(handle.db, owner, {
      from: "2026-05-01",
      to: "2026-05-31",
    });

    expect(lines).toEqual([
      "2026-05-01,urn:li:person:csvtest,comments,4",
      "2026-05-02,urn:li:person:csvtest,comments,3",
    ]);
  });
});
