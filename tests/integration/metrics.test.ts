import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { metricDaily } from "@/lib/db/schema";
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

const NOW = new Date("2026-06-15T10:00:00Z");

const viewOf = (range: DashboardView["range"], extra = {}): DashboardView => ({
  ...DEFAULT_VIEW,
  range,
  ...extra,
});

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
    // A day of the current range left without a row must read as zero.
    await upsertDailyMetrics(
      handle.db,
      rows.filter(
        (row) => !(row.day === range.to && row.metric === "page_views"),
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
    expect(pageViews?.points.at(-1)).toEqual({
      day: range.to,
      to: range.to,
      value: 0,
      previous: 2,
      previousDay: previousRange.to,
      previousTo: previousRange.to,
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
      const bucketTotal = series!.points.reduce((s, p) => s + p.value, 0);
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
    const reached = year.kpis.find((kpi) => kpi.metric === "members_reached");
    expect(reached?.previous).toBeNull();

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
