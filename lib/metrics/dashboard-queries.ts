// SQL behind the dashboard. Every query filters by workspace and applies
// the overlap rule: an imported value is left out for a day on which the
// API connection of the same member or page has a value of that metric.

import { and, asc, between, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  importedPosts,
  importedSubjects,
  imports,
  linkedinConnections,
  linkedinGrants,
  metricDaily,
  metricRangeTotals,
} from "../db/schema";
import { arrayLiteral } from "../sync/upsert";
import { METRIC_NAMES, type MetricName } from "./registry";
import type { DayRange, IsoDay } from "./types";
import { GRANULARITIES, type Granularity } from "./view";

export type ConnectionRow = {
  id: string;
  kind: "person" | "organization";
  urn: string;
  name: string;
  source: "api" | "import";
  status: string;
  statusReason: string | null;
  syncState: string;
  syncProgress: number;
  lastSyncedAt: Date | null;
  scopes: string[] | null;
  /** The member who connected it; the visibility setting filters on it. */
  userId: string;
};

export async function loadConnections(
  database: Database,
  workspaceId: string,
): Promise<ConnectionRow[]> {
  return database
    .select({
      id: linkedinConnections.id,
      kind: linkedinConnections.kind,
      urn: linkedinConnections.urn,
      name: linkedinConnections.name,
      source: linkedinConnections.source,
      status: linkedinConnections.status,
      statusReason: linkedinConnections.statusReason,
      syncState: linkedinConnections.syncState,
      syncProgress: linkedinConnections.syncProgress,
      lastSyncedAt: linkedinConnections.lastSyncedAt,
      scopes: linkedinGrants.scopes,
      userId: linkedinConnections.userId,
    })
    .from(linkedinConnections)
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .where(eq(linkedinConnections.workspaceId, workspaceId))
    .orderBy(asc(linkedinConnections.createdAt));
}

/** Metrics each import connection has rows for, keyed by connection id. */
export async function loadImportedMetrics(
  database: Database,
  workspaceId: string,
  connectionIds: string[],
): Promise<Map<string, Set<string>>> {
  const byConnection = new Map<string, Set<string>>();
  if (connectionIds.length === 0) return byConnection;

  const rows = await database
    .selectDistinct({
      connectionId: metricDaily.connectionId,
      metric: metricDaily.metric,
    })
    .from(metricDaily)
    .where(
      and(
        eq(metricDaily.workspaceId, workspaceId),
        inArray(metricDaily.connectionId, connectionIds),
      ),
    );
  for (const row of rows) {
    const metrics = byConnection.get(row.connectionId) ?? new Set<string>();
    metrics.add(row.metric);
    byConnection.set(row.connectionId, metrics);
  }
  return byConnection;
}

/** An uploaded export file: the connection it went into and who uploaded it. */
export type ImportFile = {
  connectionId: string;
  fileName: string;
  /** Null once the uploader's user row is deleted. */
  userId: string | null;
};

/**
 * Lists the workspace's imported files, oldest first. The dashboard names
 * the files as sources and checks who may export them, from this one read.
 */
export async function loadImportFiles(
  database: Database,
  workspaceId: string,
): Promise<ImportFile[]> {
  return database
    .select({
      connectionId: imports.connectionId,
      fileName: imports.fileName,
      userId: imports.userId,
    })
    .from(imports)
    .where(eq(imports.workspaceId, workspaceId))
    .orderBy(asc(imports.createdAt));
}

/** Groups file names by import connection, oldest first, without repeats. */
export function groupFileNames(files: ImportFile[]): Map<string, string[]> {
  const byConnection = new Map<string, string[]>();
  for (const file of files) {
    const names = byConnection.get(file.connectionId) ?? [];
    if (!names.includes(file.fileName)) names.push(file.fileName);
    byConnection.set(file.connectionId, names);
  }
  return byConnection;
}

/**
 * Finds the first day stored for any of the connections. One probe of the
 * primary key (connection, metric, day) per connection and metric reads a
 * single index entry each, where `min(day)` over the workspace would read
 * every entry of the workspace.
 */
export async function loadFirstStoredDay(
  database: Database,
  workspaceId: string,
  connectionIds: string[],
): Promise<IsoDay | null> {
  if (connectionIds.length === 0) return null;
  const result: unknown = await database.execute(sql`
    select min(first.day)::text as first
    from unnest(${arrayLiteral(connectionIds)}::uuid[]) as connection(id)
    cross join unnest(${arrayLiteral(METRIC_NAMES)}::text[]) as metric(name)
    cross join lateral (
      select ${metricDaily.day} as day from ${metricDaily}
      where ${metricDaily.connectionId} = connection.id
        and ${metricDaily.metric} = metric.name
        and ${metricDaily.workspaceId} = ${workspaceId}
      order by ${metricDaily.day}
      limit 1
    ) as first`);
  const rows = (result as { rows: { first: string | null }[] }).rows;
  return rows[0]?.first ?? null;
}

/**
 * Reads when the last day of the span was fetched, per connection and
 * metric: one primary-key probe each. The fetch time is not in the
 * dashboard's covering index, so `max(fetched_at)` over the span would read
 * a heap page for nearly every stored day.
 */
export async function loadLatestFetches(
  database: Database,
  workspaceId: string,
  span: DayRange,
  metrics: MetricName[],
  connectionIds: string[],
): Promise<LatestFetch[]> {
  if (metrics.length === 0 || connectionIds.length === 0) return [];
  const result: unknown = await database.execute(sql`
    select connection.id as "connectionId", metric.name as metric,
      latest.fetched_at as "fetchedAt"
    from unnest(${arrayLiteral(connectionIds)}::uuid[]) as connection(id)
    cross join unnest(${arrayLiteral(metrics)}::text[]) as metric(name)
    cross join lateral (
      select ${metricDaily.fetchedAt} as fetched_at from ${metricDaily}
      where ${metricDaily.connectionId} = connection.id
        and ${metricDaily.metric} = metric.name
        and ${metricDaily.workspaceId} = ${workspaceId}
        and ${metricDaily.day} between ${span.from} and ${span.to}
      order by ${metricDaily.day} desc
      limit 1
    ) as latest`);
  const rows = (
    result as {
      rows: { connectionId: string; metric: string; fetchedAt: unknown }[];
    }
  ).rows;
  return rows.map((row) => ({
    connectionId: row.connectionId,
    metric: row.metric,
    fetchedAt: new Date(row.fetchedAt as string | Date),
  }));
}

export type LatestFetch = {
  connectionId: string;
  metric: string;
  fetchedAt: Date;
};

/** The overlap rule as a condition on `metric_daily`. */
function notShadowedByApi(): SQL {
  return sql`not exists (
    select 1 from ${importedSubjects}
    join ${metricDaily} as api_rows
      on api_rows.connection_id = ${importedSubjects.apiConnectionId}
    where ${importedSubjects.connectionId} = ${metricDaily.connectionId}
      and api_rows.metric = ${metricDaily.metric}
      and api_rows.day = ${metricDaily.day}
  )`;
}

function dailyFilter(
  workspaceId: string,
  span: DayRange,
  metrics: MetricName[],
  connectionIds: string[],
): SQL | undefined {
  return and(
    eq(metricDaily.workspaceId, workspaceId),
    inArray(metricDaily.metric, metrics),
    inArray(metricDaily.connectionId, connectionIds),
    between(metricDaily.day, span.from, span.to),
    notShadowedByApi(),
  );
}

export type BucketSum = { metric: string; bucket: IsoDay; value: number };

export type ConnectionTotal = {
  connectionId: string;
  metric: string;
  value: number;
};

export type PeriodSums = {
  /** Sums per metric and bucket, for the metrics in `bucketMetrics` only. */
  buckets: BucketSum[];
  /** Sums per connection and metric over the whole span. */
  totals: ConnectionTotal[];
};

/**
 * Sums the span's daily values per metric and bucket (the chart) and per
 * connection and metric (the KPI totals) in one scan, with GROUPING SETS.
 * Without `granularity` only the totals are computed. `date_trunc` runs on
 * a `timestamp` without time zone, so the session's TimeZone cannot move a
 * day, and its weeks are ISO weeks starting on Monday.
 */
export async function loadPeriodSums(
  database: Database,
  workspaceId: string,
  span: DayRange,
  metrics: MetricName[],
  connectionIds: string[],
  buckets: { granularity: Granularity; metrics: MetricName[] } | null,
): Promise<PeriodSums> {
  if (metrics.length === 0 || connectionIds.length === 0)
    return { buckets: [], totals: [] };
  const filter = dailyFilter(workspaceId, span, metrics, connectionIds);
  const sum = sql<number>`sum(${metricDaily.value})`.mapWith(Number);
  if (buckets === null) {
    const totals = await database
      .select({
        connectionId: metricDaily.connectionId,
        metric: metricDaily.metric,
        value: sum,
      })
      .from(metricDaily)
      .where(filter)
      .groupBy(metricDaily.connectionId, metricDaily.metric);
    return { buckets: [], totals };
  }
  if (!GRANULARITIES.includes(buckets.granularity)) {
    throw new Error(`Invalid granularity "${String(buckets.granularity)}"`);
  }

  // A literal, not a bind parameter: Postgres matches GROUP BY expressions
  // textually, and two parameters would count as different expressions.
  // Grouping by the day or its truncation and formatting only the groups
  // keeps `to_char` out of the per-row work.
  const unit = sql.raw(`'${buckets.granularity}'`);
  const bucketKey =
    buckets.granularity === "day"
      ? sql`${metricDaily.day}`
      : sql`date_trunc(${unit}, ${metricDaily.day}::timestamp)`;
  const bucket = sql<string | null>`to_char(${bucketKey}, 'YYYY-MM-DD')`;
  const rows = await database
    .select({
      metric: metricDaily.metric,
      bucket,
      connectionId: metricDaily.connectionId,
      value: sum,
    })
    .from(metricDaily)
    .where(filter)
    .groupBy(
      sql`grouping sets ((${metricDaily.metric}, ${bucketKey}), (${metricDaily.connectionId}, ${metricDaily.metric}))`,
    );

  const charted = new Set<string>(buckets.metrics);
  const result: PeriodSums = { buckets: [], totals: [] };
  for (const row of rows) {
    // In the (metric, bucket) set the connection is null, and the other way
    // round; neither column is null in a stored row.
    const connectionId = row.connectionId as string | null;
    if (connectionId === null) {
      if (row.bucket !== null && charted.has(row.metric))
        result.buckets.push({
          metric: row.metric,
          bucket: row.bucket,
          value: row.value,
        });
    } else {
      result.totals.push({
        connectionId,
        metric: row.metric,
        value: row.value,
      });
    }
  }
  return result;
}

/** Range-only totals (members reached) stored for a preset length. */
export async function loadRangeTotals(
  database: Database,
  workspaceId: string,
  rangeDays: number,
  connectionIds: string[],
) {
  if (connectionIds.length === 0) return [];
  return database
    .select({
      connectionId: metricRangeTotals.connectionId,
      metric: metricRangeTotals.metric,
      period: metricRangeTotals.period,
      rangeStart: metricRangeTotals.rangeStart,
      rangeEnd: metricRangeTotals.rangeEnd,
      value: metricRangeTotals.value,
      fetchedAt: metricRangeTotals.fetchedAt,
    })
    .from(metricRangeTotals)
    .where(
      and(
        eq(metricRangeTotals.workspaceId, workspaceId),
        eq(metricRangeTotals.rangeDays, rangeDays),
        inArray(metricRangeTotals.connectionId, connectionIds),
      ),
    );
}

/** Imported posts published in the range, busiest first. */
export async function loadPosts(
  database: Database,
  workspaceId: string,
  range: DayRange,
  connectionIds: string[],
) {
  if (connectionIds.length === 0) return [];
  return database
    .select({
      connectionId: importedPosts.connectionId,
      url: importedPosts.url,
      title: importedPosts.title,
      publishedOn: importedPosts.publishedOn,
      impressions: importedPosts.impressions,
      reactions: importedPosts.reactions,
      comments: importedPosts.comments,
      reshares: importedPosts.reshares,
      engagements: importedPosts.engagements,
      fileName: importedPosts.fileName,
    })
    .from(importedPosts)
    .where(
      and(
        eq(importedPosts.workspaceId, workspaceId),
        inArray(importedPosts.connectionId, connectionIds),
        between(importedPosts.publishedOn, range.from, range.to),
      ),
    )
    .orderBy(sql`${importedPosts.impressions} desc nulls last`)
    .limit(200);
}
