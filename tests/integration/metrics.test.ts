import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { metricDaily } from "@/lib/db/schema";
import { addDays, listDays, todayUtc } from "@/lib/linkedin/days";
import { metricsCsvLines } from "@/lib/metrics/csv";
import { dashboardRanges, loadDashboardData } from "@/lib/metrics/dashboard";
import { upsertDailyMetrics, type DailyRow } from "@/lib/sync/upsert";
import { testEngines } from "../helpers/databases";
import { createConnection, createOwner } from "../helpers/fixtures";

const NOW = new Date("2026-06-15T10:00:00Z");

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

    const data = await loadDashboardData(handle.db, owner, 7, NOW);

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
      value: 0,
      previous: 2,
    });
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

    const data = await loadDashboardData(handle.db, owner, 7, NOW);

    expect(data.connections).toEqual([]);
    expect(data.series).toEqual([]);
    expect(data.kpis.every((kpi) => kpi.value === null)).toBe(true);
  });

  it("marks metrics a connection cannot have as unavailable", async () => {
    const owner = await createOwner(handle.db);
    await createConnection(handle.db, owner, { kind: "person" });

    const data = await loadDashboardData(handle.db, owner, 28, NOW);

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
