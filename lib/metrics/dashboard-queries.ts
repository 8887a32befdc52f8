// SQL behind the dashboard. Every query filters by workspace and applies
// the overlap rule: an imported value is left out for a day on which the
// API connection of the same member or page has a value of that metric.

import {
  and,
  asc,
  between,
  eq,
  inArray,
  min,
  sql,
  type SQL,
} from "drizzle-orm";
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
import type { MetricName } from "./registry";
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

export async function loadFirstStoredDay(
  database: Database,
  workspaceId: string,
  connectionIds: string[],
): Promise<IsoDay | null> {
  if (connectionIds.length === 0) return null;
  const [row] = await database
    .select({ first: min(metricDaily.day) })
    .from(metricDaily)
    .where(
      and(
        eq(metricDaily.workspaceId, workspaceId),
        inArray(metricDaily.connectionId, connectionIds),
      ),
    );
  return row?.first ?? null;
}

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

/**
 * Sums each metric per bucket in SQL. `date_trunc` runs on a `timestamp`
 * without time zone, so the session's TimeZone cannot move a day, and its
 * weeks are ISO weeks starting on Monday.
 */
export async function loadBucketSums(
  database: Database,
  workspaceId: string,
  span: DayRange,
  granularity: Granularity,
  metrics: MetricName[],
  connectionIds: string[],
): Promise<BucketSum[]> {
  if (metrics.length === 0 || connectionIds.length === 0) return [];
  if (!GRANULARITIES.includes(granularity)) {
    throw new Error(`Invalid granularity "${String(granularity)}"`);
  }

  // A literal, not a bind parameter: Postgres matches GROUP BY expressions
  // textually, and two parameters would count as different expressions.
  const unit = sql.raw(`'${granularity}'`);
  const bucket = sql<string>`to_char(date_trunc(${unit}, ${metricDaily.day}::timestamp), 'YYYY-MM-DD')`;
  return database
    .select({
      metric: metricDaily.metric,
      bucket,
      value: sql<number>`sum(${metricDaily.value})`.mapWith(Number),
    })
    .from(metricDaily)
    .where(dailyFilter(workspaceId, span, metrics, connectionIds))
    .groupBy(metricDaily.metric, bucket);
}

export type ConnectionTotal = {
  connectionId: string;
  metric: string;
  value: number;
  fetchedAt: Date | null;
};

/** Sums each metric per connection over the span, with the latest fetch time. */
export async function loadConnectionTotals(
  database: Database,
  workspaceId: string,
  span: DayRange,
  metrics: MetricName[],
  connectionIds: string[],
): Promise<ConnectionTotal[]> {
  if (metrics.length === 0 || connectionIds.length === 0) return [];
  return database
    .select({
      connectionId: metricDaily.connectionId,
      metric: metricDaily.metric,
      value: sql<number>`sum(${metricDaily.value})`.mapWith(Number),
      fetchedAt: sql<Date | null>`max(${metricDaily.fetchedAt})`.mapWith(
        (value: string | Date | null) => (value ? new Date(value) : null),
      ),
    })
    .from(metricDaily)
    .where(dailyFilter(workspaceId, span, metrics, connectionIds))
    .groupBy(metricDaily.connectionId, metricDaily.metric);
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
