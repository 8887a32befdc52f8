// SQL behind the dashboard. Every query filters by workspace and applies
// the overlap rule: an imported value is left out for a day on which the
// API connection of the same member or page has a value of that metric.

import { and, asc, between, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Database } from "../db/client";
import {
  connectionMonthlySums,
  importedPosts,
  importedSubjects,
  imports,
  linkedinConnections,
  linkedinGrants,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  workspaceDailySums,
} from "../db/schema";
import { IMPORT_KIND_METRICS } from "../import/kinds";
import { addDays, addMonths } from "../linkedin/days";
import { arrayLiteral } from "../sync/upsert";
import { DAILY_METRICS, type MetricName } from "./registry";
import type { FileDays, StoredBound, StoredBounds } from "./coverage";
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
  /** When a sync put off by LinkedIn's call budget runs again. */
  nextSyncAt: Date | null;
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
      nextSyncAt: linkedinConnections.nextSyncAt,
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

/**
 * An uploaded export file: the connection it went into, who uploaded it
 * and the days it lists.
 */
export type ImportFile = {
  connectionId: string;
  fileName: string;
  /** Null once the uploader's user row is deleted. */
  userId: string | null;
  /** Null for a file without daily values. */
  days: DayRange | null;
  /** The metrics of the file's kind, whose days the file lists. */
  metrics: readonly MetricName[];
};

/**
 * Lists the workspace's imported files, oldest first. The dashboard names
 * the files as sources and checks who may export them, from this one read.
 */
export async function loadImportFiles(
  database: Database,
  workspaceId: string,
): Promise<ImportFile[]> {
  const rows = await database
    .select({
      connectionId: imports.connectionId,
      fileName: imports.fileName,
      userId: imports.userId,
      kind: imports.kind,
      firstDay: imports.firstDay,
      lastDay: imports.lastDay,
    })
    .from(imports)
    .where(eq(imports.workspaceId, workspaceId))
    .orderBy(asc(imports.createdAt));
  return rows.map(({ kind, firstDay, lastDay, ...file }) => ({
    ...file,
    metrics: IMPORT_KIND_METRICS[kind],
    days:
      firstDay !== null && lastDay !== null
        ? { from: firstDay, to: lastDay }
        : null,
  }));
}

/** Groups the files with daily values per import connection. */
export function groupFileDays(files: ImportFile[]): Map<string, FileDays[]> {
  const byConnection = new Map<string, FileDays[]>();
  for (const file of files) {
    if (file.days === null) continue;
    byConnection.set(file.connectionId, [
      ...(byConnection.get(file.connectionId) ?? []),
      { days: file.days, metrics: file.metrics },
    ]);
  }
  return byConnection;
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
 * Finds, per connection and metric, the first and the last stored day, API
 * and import connections alike, and the not-synced days the sync recorded.
 * Two probes of the primary key (connection, metric, day) per connection
 * and metric read one index entry each, where `min(day)` over the workspace
 * would read every entry of the workspace. The gaps are one probe of
 * metric_gaps' primary key (connection, metric, start).
 */
export async function loadStoredBounds(
  database: Database,
  workspaceId: string,
  connectionIds: string[],
): Promise<StoredBounds> {
  const bounds: StoredBounds = new Map();
  if (connectionIds.length === 0) return bounds;
  const probe = (direction: SQL) => sql`
    select ${metricDaily.day} as day from ${metricDaily}
    where ${metricDaily.connectionId} = connection.id
      and ${metricDaily.metric} = metric.name
      and ${metricDaily.workspaceId} = ${workspaceId}
    order by ${metricDaily.day} ${direction}
    limit 1`;
  const result: unknown = await database.execute(sql`
    select connection.id as "connectionId", metric.name as metric,
      first.day::text as "from", last.day::text as "to",
      gap.starts as "gapStarts", gap.ends as "gapEnds"
    from unnest(${arrayLiteral(connectionIds)}::uuid[]) as connection(id)
    cross join unnest(${arrayLiteral(DAILY_METRICS)}::text[]) as metric(name)
    cross join lateral (${probe(sql`asc`)}) as first
    cross join lateral (${probe(sql`desc`)}) as last
    cross join lateral (
      select
        array_agg(${metricGaps.rangeStart}::text order by ${metricGaps.rangeStart}) as starts,
        array_agg(${metricGaps.rangeEnd}::text order by ${metricGaps.rangeStart}) as ends
      from ${metricGaps}
      where ${metricGaps.connectionId} = connection.id
        and ${metricGaps.metric} = metric.name
        and ${metricGaps.kind} = 'not_synced'
    ) as gap`);
  const rows = (
    result as {
      rows: {
        connectionId: string;
        metric: MetricName;
        from: IsoDay;
        to: IsoDay;
        gapStarts: IsoDay[] | null;
        gapEnds: IsoDay[] | null;
      }[];
    }
  ).rows;
  for (const row of rows) {
    const metrics =
      bounds.get(row.connectionId) ?? new Map<MetricName, StoredBound>();
    const ends = row.gapEnds ?? [];
    const notSynced = (row.gapStarts ?? []).map((from, index) => ({
      from,
      to: ends[index] ?? from,
    }));
    metrics.set(row.metric, {
      from: row.from,
      to: row.to,
      ...(notSynced.length ? { notSynced } : {}),
    });
    bounds.set(row.connectionId, metrics);
  }
  return bounds;
}

/**
 * Reads when the last day of the span was fetched, per connection and
 * metric: one primary-key probe each. The fetch time is not in the
 * primary key, so `max(fetched_at)` over the span would read a heap page
 * for nearly every stored day.
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

/** The connections whose daily values a dashboard query sums. */
export type ConnectionSelection = {
  ids: string[];
  /**
   * The import connections among `ids`. Only their rows can be shadowed by
   * an API connection's, and the stored sums leave them out, so they are
   * summed from `metric_daily` with the overlap rule.
   */
  importIds: string[];
  /**
   * Whether `ids` contains every API connection of the workspace. The chart
   * then reads the workspace's daily sums instead of its daily rows.
   */
  everyApiConnection: boolean;
};

export type BucketSum = { metric: string; bucket: IsoDay; value: number };

export type ConnectionTotal = {
  connectionId: string;
  metric: string;
  value: number;
};

export type PeriodSums = {
  /** Sums per metric and bucket, for the charted metrics only. */
  buckets: BucketSum[];
  /** Sums per connection and metric over the whole span. */
  totals: ConnectionTotal[];
};

/**
 * Splits a span into the calendar months it covers whole, as first days,
 * and the days before and after them. A span without a whole month is all
 * edge.
 */
export function splitAtMonths(span: DayRange): {
  months: DayRange | null;
  edges: DayRange[];
} {
  const monthOf = (day: IsoDay) => `${day.slice(0, 8)}01`;
  const firstMonth = span.from.endsWith("-01")
    ? span.from
    : addMonths(monthOf(span.from), 1);
  const lastMonth = addDays(span.to, 1).endsWith("-01")
    ? monthOf(span.to)
    : addMonths(monthOf(span.to), -1);
  if (firstMonth > lastMonth) return { months: null, edges: [span] };
  const edges: DayRange[] = [];
  if (span.from < firstMonth)
    edges.push({ from: span.from, to: addDays(firstMonth, -1) });
  const afterLast = addMonths(lastMonth, 1);
  if (afterLast <= span.to) edges.push({ from: afterLast, to: span.to });
  return { months: { from: firstMonth, to: lastMonth }, edges };
}

/**
 * Groups a date column into the view's buckets. A literal unit, not a bind
 * parameter: Postgres matches GROUP BY expressions textually, and two
 * parameters would count as different expressions. `date_trunc` runs on a
 * `timestamp` without time zone, so the session's TimeZone cannot move a
 * day, and its weeks are ISO weeks starting on Monday.
 */
function bucketOf(day: SQL | PgColumn, granularity: Granularity): SQL {
  if (!GRANULARITIES.includes(granularity)) {
    throw new Error(`Invalid granularity "${String(granularity)}"`);
  }
  if (granularity === "day") return sql`${day}`;
  return sql`date_trunc(${sql.raw(`'${granularity}'`)}, ${day}::timestamp)`;
}

type SumRow = {
  metric: string;
  bucket: string | null;
  connectionId: string | null;
  value: number | string;
};

/**
 * Sums the span's daily values per metric and bucket (the chart) and per
 * connection and metric (the KPI totals and the breakdown), in one
 * statement of up to three parts:
 *
 * - the chart of the API connections, from `workspace_daily_sums` when the
 *   selection includes all of them, else from their daily rows;
 * - the API connections' totals, from `connection_monthly_sums` for the
 *   whole months of the span plus the daily rows of the days around them;
 * - the import connections' chart and totals from their daily rows, with
 *   the overlap rule, in one scan with GROUPING SETS.
 *
 * A daily year of 20 connections reads about 6,000 rows instead of 43,800.
 * Rows come back through `execute`, which skips the query builder's
 * per-column mapping, and the sums as float8, which arrive as numbers.
 */
export async function loadPeriodSums(
  database: Database,
  workspaceId: string,
  span: DayRange,
  metrics: MetricName[],
  selection: ConnectionSelection,
  buckets: { granularity: Granularity; metrics: MetricName[] },
): Promise<PeriodSums> {
  if (metrics.length === 0 || selection.ids.length === 0)
    return { buckets: [], totals: [] };
  const importIds = new Set(selection.importIds);
  const apiIds = selection.ids.filter((id) => !importIds.has(id));
  const chartMetrics = buckets.metrics.filter((metric) =>
    metrics.includes(metric),
  );
  const parts: SQL[] = [];

  if (apiIds.length > 0) {
    const rowsOfApi = inArray(metricDaily.connectionId, apiIds);
    const dailyRows = (range: DayRange, names: MetricName[]) =>
      and(
        eq(metricDaily.workspaceId, workspaceId),
        inArray(metricDaily.metric, names),
        rowsOfApi,
        between(metricDaily.day, range.from, range.to),
      );

    if (chartMetrics.length > 0) {
      if (selection.everyApiConnection) {
        const bucket = bucketOf(workspaceDailySums.day, buckets.granularity);
        parts.push(sql`
          select ${workspaceDailySums.metric} as metric,
            to_char(${bucket}, 'YYYY-MM-DD') as bucket,
            null::uuid as "connectionId",
            sum(${workspaceDailySums.value})::float8 as value
          from ${workspaceDailySums}
          where ${and(
            eq(workspaceDailySums.workspaceId, workspaceId),
            inArray(workspaceDailySums.metric, chartMetrics),
            between(workspaceDailySums.day, span.from, span.to),
          )}
          group by ${workspaceDailySums.metric}, ${bucket}`);
      } else {
        const bucket = bucketOf(metricDaily.day, buckets.granularity);
        parts.push(sql`
          select ${metricDaily.metric} as metric,
            to_char(${bucket}, 'YYYY-MM-DD') as bucket,
            null::uuid as "connectionId",
            sum(${metricDaily.value})::float8 as value
          from ${metricDaily}
          where ${dailyRows(span, chartMetrics)}
          group by ${metricDaily.metric}, ${bucket}`);
      }
    }

    const { months, edges } = splitAtMonths(span);
    const pieces: SQL[] = edges.map(
      (edge) => sql`
        select ${metricDaily.connectionId} as connection_id,
          ${metricDaily.metric} as metric, ${metricDaily.value} as value
        from ${metricDaily}
        where ${dailyRows(edge, metrics)}`,
    );
    if (months)
      pieces.push(sql`
        select ${connectionMonthlySums.connectionId} as connection_id,
          ${connectionMonthlySums.metric} as metric,
          ${connectionMonthlySums.value} as value
        from ${connectionMonthlySums}
        where ${and(
          eq(connectionMonthlySums.workspaceId, workspaceId),
          inArray(connectionMonthlySums.metric, metrics),
          selection.everyApiConnection
            ? undefined
            : inArray(connectionMonthlySums.connectionId, apiIds),
          between(connectionMonthlySums.month, months.from, months.to),
        )}`);
    parts.push(sql`
      select metric, null::text as bucket, connection_id as "connectionId",
        sum(value)::float8 as value
      from (${sql.join(pieces, sql` union all `)}) as pieces
      group by connection_id, metric`);
  }

  if (importIds.size > 0) {
    const filter = and(
      eq(metricDaily.workspaceId, workspaceId),
      inArray(metricDaily.metric, metrics),
      inArray(metricDaily.connectionId, selection.importIds),
      between(metricDaily.day, span.from, span.to),
      notShadowedByApi(),
    );
    const bucket = bucketOf(metricDaily.day, buckets.granularity);
    parts.push(sql`
      select ${metricDaily.metric} as metric,
        to_char(${bucket}, 'YYYY-MM-DD') as bucket,
        ${metricDaily.connectionId} as "connectionId",
        sum(${metricDaily.value})::float8 as value
      from ${metricDaily}
      where ${filter}
      group by grouping sets ((${metricDaily.metric}, ${bucket}),
        (${metricDaily.connectionId}, ${metricDaily.metric}))`);
  }

  const result: unknown = await database.execute(
    sql.join(
      parts.map((part) => sql`(${part})`),
      sql` union all `,
    ),
  );
  const rows = (result as { rows: SumRow[] }).rows;

  // The chart's rows have no connection, the totals' rows no bucket. API
  // and import connections can both add to one bucket.
  const charted = new Set<string>(chartMetrics);
  const bucketSums = new Map<string, BucketSum>();
  const totals: ConnectionTotal[] = [];
  for (const row of rows) {
    const value = Number(row.value);
    if (row.connectionId !== null) {
      totals.push({
        connectionId: row.connectionId,
        metric: row.metric,
        value,
      });
    } else if (row.bucket !== null && charted.has(row.metric)) {
      const key = `${row.metric} ${row.bucket}`;
      const sum = bucketSums.get(key);
      if (sum) sum.value += value;
      else
        bucketSums.set(key, {
          metric: row.metric,
          bucket: row.bucket,
          value,
        });
    }
  }
  return { buckets: [...bucketSums.values()], totals };
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
