import { and, asc, between, eq, inArray, sql } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  linkedinConnections,
  linkedinGrants,
  metricDaily,
  metricRangeTotals,
} from "../db/schema";
import { addDays, listDays, todayUtc } from "../linkedin/days";
import { ownConnectionsFilter, resolveMetricsScope } from "./visibility";
import {
  DAILY_METRICS,
  METRIC_NAMES,
  METRICS,
  type MetricName,
  type PresetRangeDays,
} from "./registry";
import type {
  ConnectionSummary,
  DashboardData,
  DayRange,
  KpiValue,
  MetricSeries,
} from "./types";

/** The range of `days` days ending yesterday (UTC), and the period of equal length before it. */
export function dashboardRanges(
  days: number,
  now: Date,
): { range: DayRange; previousRange: DayRange } {
  const to = addDays(todayUtc(now), -1);
  const from = addDays(to, -(days - 1));
  const previousTo = addDays(from, -1);
  return {
    range: { from, to },
    previousRange: { from: addDays(previousTo, -(days - 1)), to: previousTo },
  };
}

type ConnectionRow = ConnectionSummary & {
  scopes: string[] | null;
  syncState: string;
  userId: string;
};

async function loadConnections(
  database: Database,
  workspaceId: string,
  onlyUserId: string | null,
): Promise<ConnectionRow[]> {
  const rows = await database
    .select({
      id: linkedinConnections.id,
      kind: linkedinConnections.kind,
      urn: linkedinConnections.urn,
      name: linkedinConnections.name,
      status: linkedinConnections.status,
      syncState: linkedinConnections.syncState,
      lastSyncedAt: linkedinConnections.lastSyncedAt,
      scopes: linkedinGrants.scopes,
      userId: linkedinConnections.userId,
    })
    .from(linkedinConnections)
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .where(
      and(
        eq(linkedinConnections.workspaceId, workspaceId),
        onlyUserId ? eq(linkedinConnections.userId, onlyUserId) : undefined,
      ),
    )
    .orderBy(asc(linkedinConnections.createdAt));
  return rows.map((row) => ({
    ...row,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
  }));
}

/** True when some connection of the workspace can provide the metric with its granted scopes. */
function metricAvailable(
  metric: MetricName,
  connections: ConnectionRow[],
): boolean {
  return connections.some((connection) => {
    const source = METRICS[metric].sources[connection.kind];
    if (!source) return false;
    const scopes = connection.scopes ?? [];
    if (connection.kind === "organization") {
      return (
        scopes.includes("rw_organization_admin") ||
        scopes.includes("r_organization_admin")
      );
    }
    return scopes.includes(source.scope);
  });
}

async function loadDailySums(
  database: Database,
  context: WorkspaceContext,
  ownOnly: boolean,
  span: DayRange,
  metrics: MetricName[],
) {
  return database
    .select({
      metric: metricDaily.metric,
      day: metricDaily.day,
      value: sql<number>`sum(${metricDaily.value})`.mapWith(Number),
    })
    .from(metricDaily)
    .where(
      and(
        eq(metricDaily.workspaceId, context.workspaceId),
        inArray(metricDaily.metric, metrics),
        between(metricDaily.day, span.from, span.to),
        ownOnly
          ? ownConnectionsFilter(database, context, metricDaily.connectionId)
          : undefined,
      ),
    )
    .groupBy(metricDaily.metric, metricDaily.day);
}

async function loadRangeTotals(
  database: Database,
  context: WorkspaceContext,
  ownOnly: boolean,
  rangeDays: number,
) {
  return database
    .select({
      metric: metricRangeTotals.metric,
      period: metricRangeTotals.period,
      value: sql<number>`sum(${metricRangeTotals.value})`.mapWith(Number),
    })
    .from(metricRangeTotals)
    .where(
      and(
        eq(metricRangeTotals.workspaceId, context.workspaceId),
        eq(metricRangeTotals.rangeDays, rangeDays),
        ownOnly
          ? ownConnectionsFilter(
              database,
              context,
              metricRangeTotals.connectionId,
            )
          : undefined,
      ),
    )
    .groupBy(metricRangeTotals.metric, metricRangeTotals.period);
}

/**
 * Loads the dashboard for one workspace from stored metrics: a KPI per
 * metric with the previous period, and a zero-filled daily series per
 * daily metric. Sums are computed in SQL; the caller must be authorized.
 * The workspace's visibility setting decides whose connections count: the
 * KPIs and charts are workspace totals unless the caller may see only their
 * own numbers, and the connection list names only the connections whose
 * numbers the caller may see one by one.
 */
export async function loadDashboardData(
  database: Database,
  context: WorkspaceContext,
  rangeDays: PresetRangeDays,
  now: Date = new Date(),
): Promise<DashboardData> {
  const { range, previousRange } = dashboardRanges(rangeDays, now);
  const scope = await resolveMetricsScope(database, context);
  const ownOnly = !scope.seesTotals;
  const connections = await loadConnections(
    database,
    context.workspaceId,
    ownOnly ? context.userId : null,
  );
  const listed = scope.seesEveryMember
    ? connections
    : connections.filter((connection) => connection.userId === context.userId);
  const available = METRIC_NAMES.filter((metric) =>
    metricAvailable(metric, connections),
  );
  const dailyAvailable = DAILY_METRICS.filter((metric) =>
    available.includes(metric),
  );

  const [sums, rangeTotals] = await Promise.all([
    dailyAvailable.length
      ? loadDailySums(
          database,
          context,
          ownOnly,
          { from: previousRange.from, to: range.to },
          dailyAvailable,
        )
      : Promise.resolve([]),
    loadRangeTotals(database, context, ownOnly, rangeDays),
  ]);

  const byKey = new Map(
    sums.map((row) => [`${row.metric}|${row.day}`, row.value]),
  );
  const valueOn = (metric: MetricName, day: string) =>
    byKey.get(`${metric}|${day}`) ?? 0;
  const days = listDays(range);
  const previousDays = listDays(previousRange);

  const series: MetricSeries[] = dailyAvailable.map((metric) => ({
    metric,
    points: days.map((day, index) => ({
      day,
      value: valueOn(metric, day),
      previous: valueOn(metric, previousDays[index] ?? ""),
    })),
  }));

  const kpis: KpiValue[] = METRIC_NAMES.map((metric) => {
    if (!available.includes(metric))
      return { metric, value: null, previous: null };
    if (METRICS[metric].daily) {
      const points =
        series.find((entry) => entry.metric === metric)?.points ?? [];
      return {
        metric,
        value: points.reduce((total, point) => total + point.value, 0),
        previous: points.reduce((total, point) => total + point.previous, 0),
      };
    }
    const total = (period: string) =>
      rangeTotals.find((row) => row.metric === metric && row.period === period)
        ?.value ?? null;
    return { metric, value: total("current"), previous: total("previous") };
  });

  return {
    range,
    previousRange,
    kpis,
    series,
    connections: listed.map(
      ({
        scopes: _scopes,
        syncState: _syncState,
        userId: _userId,
        ...summary
      }) => summary,
    ),
    visibility: {
      setting: scope.visibility,
      seesEveryMember: scope.seesEveryMember,
    },
    syncing: connections.some((connection) =>
      ["queued", "running"].includes(connection.syncState),
    ),
  };
}
