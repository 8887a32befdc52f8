import { metricsScopeFor } from "./visibility";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  collectImporters,
  describeExportAccess,
  type ExportRule,
} from "../exports/access";
import { LINKEDIN_VERSION } from "../linkedin/config";
import { addDays, countDays } from "../linkedin/days";
import {
  combineSpans,
  connectionSpans,
  coverageOf,
  earliestStoredDay,
  touchesSpans,
  type StoredBounds,
  type StoredSpans,
} from "./coverage";
import {
  loadConnections,
  groupFileDays,
  groupFileNames,
  loadStoredBounds,
  loadLatestFetches,
  loadImportedMetrics,
  loadImportFiles,
  loadPeriodSums,
  loadPosts,
  loadRangeTotals,
  type ConnectionRow,
  type ConnectionSelection,
  type BucketSum,
  type ConnectionTotal,
} from "./dashboard-queries";
import {
  DAILY_METRICS,
  METRIC_NAMES,
  METRICS,
  PRESET_RANGE_DAYS,
  type MetricName,
} from "./registry";
import type {
  ConnectionBreakdown,
  DashboardData,
  DashboardSummary,
  DayRange,
  IsoDay,
  KpiValue,
  MetricSeries,
  MetricSource,
  PostRow,
} from "./types";
import { loadWorkspacePolicies } from "../workspaces/workspaces";
import {
  bucketStart,
  comparisonRange,
  comparisonWindows,
  lastCompleteDay,
  knownConnections,
  listBuckets,
  resolveRange,
  showsMetric,
  type Comparison,
  type DashboardView,
  type Granularity,
} from "./view";

/** What a connection can report, and why not when it cannot. */
type Capability = { available: true } | { available: false; reason: string };

const ORGANIZATION_SCOPES = ["rw_organization_admin", "r_organization_admin"];

/**
 * Decides whether a connection can have a metric. API connections need the
 * scope the registry names; import connections have what their files held.
 */
function capabilityOf(
  connection: ConnectionRow,
  metric: MetricName,
  importedMetrics: Map<string, Set<string>>,
): Capability {
  if (connection.source === "import") {
    return importedMetrics.get(connection.id)?.has(metric)
      ? { available: true }
      : { available: false, reason: "The imported files have no such column." };
  }

  const source = METRICS[metric].sources[connection.kind];
  if (!source) {
    const other = connection.kind === "person" ? "company pages" : "members";
    return {
      available: false,
      reason: `LinkedIn reports it for ${other} only.`,
    };
  }
  const scopes = connection.scopes ?? [];
  const granted =
    connection.kind === "organization"
      ? ORGANIZATION_SCOPES.some((scope) => scopes.includes(scope))
      : scopes.includes(source.scope);
  return granted
    ? { available: true }
    : {
        available: false,
        reason: `Needs the ${source.scope} scope, which was not granted.`,
      };
}

function describeSource(
  connection: ConnectionRow,
  metric: MetricName,
  fetchedAt: Date | null,
  fileNames: Map<string, string[]>,
): MetricSource {
  const endpoint = METRICS[metric].sources[connection.kind]?.endpoint ?? "";
  return {
    connectionId: connection.id,
    connectionName: connection.name,
    origin:
      connection.source === "import"
        ? { kind: "import", fileNames: fileNames.get(connection.id) ?? [] }
        : { kind: "api", endpoint, version: LINKEDIN_VERSION },
    fetchedAt: fetchedAt?.toISOString() ?? null,
  };
}

function sumFor(
  totals: ConnectionTotal[],
  metric: MetricName,
  connectionIds: string[],
): number {
  return totals
    .filter(
      (row) =>
        row.metric === metric && connectionIds.includes(row.connectionId),
    )
    .reduce((sum, row) => sum + row.value, 0);
}

type BucketSums = BucketSum[];

/** Indexes bucket sums by metric, then bucket start, for constant-time lookups. */
function indexBucketSums(rows: BucketSums): Map<string, Map<string, number>> {
  const byMetric = new Map<string, Map<string, number>>();
  for (const row of rows) {
    let values = byMetric.get(row.metric);
    if (!values) {
      values = new Map();
      byMetric.set(row.metric, values);
    }
    values.set(row.bucket, row.value);
  }
  return byMetric;
}

/** Lists a range's buckets, each with the start that SQL keys its sum by. */
function keyedBuckets(range: DayRange, granularity: Granularity) {
  // SQL keys each bucket by its unclipped start, which also contains a
  // clipped first day. A day is its own start.
  return listBuckets(range, granularity).map(({ from, to }) => ({
    from,
    to,
    key: granularity === "day" ? from : bucketStart(from, granularity),
  }));
}

const NO_SUMS: ReadonlyMap<string, number> = new Map();

/**
 * Returns a bucket's sum, or null when none of its days lies in a stored
 * span, because days never stored are not days with zero activity. A
 * bucket that is partly stored keeps the sum of its stored days.
 */
function storedSum(
  sums: ReadonlyMap<string, number>,
  bucket: { key: string; from: IsoDay; to: IsoDay },
  spans: DayRange[],
): number | null {
  if (!touchesSpans(spans, bucket)) return null;
  return sums.get(bucket.key) ?? 0;
}

/**
 * Returns the stored days of a bucket or window when only some of its days
 * are stored, and null when all or none are.
 */
function partlyStored(spans: DayRange[], days: DayRange): number | null {
  // A single day is stored or not, and daily views have thousands of them.
  if (days.from === days.to) return null;
  const { storedDays, days: length } = coverageOf(spans, days);
  return storedDays > 0 && storedDays < length ? storedDays : null;
}

/**
 * Returns the sum of a comparison window from daily sums, or null unless
 * every one of its days lies in a stored span. A sum over part of the
 * window would understate the comparison, as for the KPI.
 */
function windowSum(
  dailySums: ReadonlyMap<string, number>,
  window: DayRange,
  spans: DayRange[],
): number | null {
  // Daily charts compare day with day, so most windows are one day long.
  if (window.from === window.to)
    return touchesSpans(spans, window)
      ? (dailySums.get(window.from) ?? 0)
      : null;
  const { storedDays, days } = coverageOf(spans, window);
  if (storedDays < days) return null;
  let sum = 0;
  for (let day = window.from; day <= window.to; day = addDays(day, 1)) {
    sum += dailySums.get(day) ?? 0;
  }
  return sum;
}

/**
 * Builds one series per metric, zero-filled inside the metric's stored
 * spans. The buckets are listed once and the sums indexed once, because
 * six 365-day series with their previous period would otherwise scan the
 * sums for each of their 4,380 points. `previousDailySums` are per day,
 * because a weekly or monthly bucket's comparison window need not be a
 * calendar week or month (`comparisonWindows`).
 */
function buildSeries(
  metrics: MetricName[],
  range: DayRange,
  previousRange: DayRange | null,
  comparison: Comparison,
  granularity: Granularity,
  sums: BucketSums,
  previousDailySums: BucketSums,
  storedSpans: StoredSpans,
): MetricSeries[] {
  const buckets = keyedBuckets(range, granularity);
  const windows = previousRange
    ? comparisonWindows(buckets, range, previousRange, comparison, granularity)
    : [];
  const current = indexBucketSums(sums);
  const previousValues = indexBucketSums(previousDailySums);

  return metrics.map((metric) => {
    const values = current.get(metric) ?? NO_SUMS;
    const earlier = previousValues.get(metric) ?? NO_SUMS;
    const spans = storedSpans.get(metric) ?? [];
    return {
      metric,
      points: buckets.map((bucket, index) => {
        const previous = windows[index] ?? null;
        return {
          day: bucket.from,
          to: bucket.to,
          value: storedSum(values, bucket, spans),
          storedDays: partlyStored(spans, bucket),
          previous: previous ? windowSum(earlier, previous, spans) : null,
          previousStoredDays: previous ? partlyStored(spans, previous) : null,
          previousDay: previous?.from ?? null,
          previousTo: previous?.to ?? null,
        };
      }),
    };
  });
}

/**
 * Loads the dashboard for one workspace and view from stored metrics: a KPI
 * per metric with its comparison and sources, a series per shown daily
 * metric at the view's granularity, the per-connection breakdown and the
 * imported posts. The caller must be authorized for the workspace.
 */
export async function loadDashboardData(
  database: Database,
  context: WorkspaceContext,
  view: DashboardView,
  now: Date = new Date(),
): Promise<DashboardData> {
  const { workspaceId } = context;
  // The statements run in rounds of concurrent queries, at most three.
  // Each round waits only for the results the next round filters on,
  // because every round trip costs pool and socket time.
  const [policies, workspaceConnections, importFiles] = await Promise.all([
    loadWorkspacePolicies(database, workspaceId),
    loadConnections(database, workspaceId),
    loadImportFiles(database, workspaceId),
  ]);
  const scope = metricsScopeFor(context, policies.metricsVisibility);
  const own = workspaceConnections.filter(
    (connection) => connection.userId === context.userId,
  );
  // Connections whose numbers count towards the totals, and those the
  // caller may see one by one (listed, filtered on, broken down).
  const counted = scope.seesTotals ? workspaceConnections : own;
  const allConnections = scope.seesEveryMember ? workspaceConnections : own;
  const named = knownConnections(
    view.connections,
    allConnections.map((connection) => connection.id),
  );
  const selected =
    named.ids.length === 0
      ? counted
      : allConnections.filter((connection) =>
          named.ids.includes(connection.id),
        );
  const selectedIds = selected.map((connection) => connection.id);
  const importIds = selected
    .filter((connection) => connection.source === "import")
    .map((connection) => connection.id);
  const selection: ConnectionSelection = {
    ids: selectedIds,
    importIds,
    everyApiConnection:
      selected.length - importIds.length ===
      workspaceConnections.filter((connection) => connection.source === "api")
        .length,
  };
  const fileNames = groupFileNames(importFiles);
  const exportRule: ExportRule = {
    policy: policies.apiExportPolicy,
    context,
    importers: collectImporters(importFiles),
  };

  // Only the "all" range starts at the first stored day. Any other view
  // reads the stored bounds in the last round, with the totals.
  const rangeNeedsFirstDay = view.range === "all";
  const [importedMetrics, boundsForRange] = await Promise.all([
    loadImportedMetrics(database, workspaceId, importIds),
    rangeNeedsFirstDay
      ? loadStoredBounds(database, workspaceId, selectedIds)
      : Promise.resolve(null),
  ]);
  const fileDays = groupFileDays(importFiles);
  const spansOf = (bounds: StoredBounds) => {
    const byConnection = connectionSpans(bounds, fileDays);
    return { byConnection, merged: combineSpans(byConnection, selectedIds) };
  };
  const range =
    resolveRange(
      view,
      now,
      boundsForRange ? earliestStoredDay(spansOf(boundsForRange).merged) : null,
    ) ?? resolveRange({ range: "28" }, now);
  if (range === null) throw new Error("The default range did not resolve");
  const previousRange = comparisonRange(range, view.comparison);

  const capable = (metric: MetricName) =>
    selected.filter(
      (connection) =>
        capabilityOf(connection, metric, importedMetrics).available,
    );
  const dailyMetrics = DAILY_METRICS.filter((metric) => capable(metric).length);
  const chartMetrics = dailyMetrics.filter((metric) =>
    showsMetric(view, metric),
  );

  const bucketsOf = { granularity: view.granularity, metrics: chartMetrics };
  // The comparison's chart windows are summed from its days (buildSeries).
  const previousDaysOf = { granularity: "day" as const, metrics: chartMetrics };
  const [current, previous, fetches, posts, reached, storedBounds] =
    await Promise.all([
      loadPeriodSums(
        database,
        workspaceId,
        range,
        dailyMetrics,
        selection,
        bucketsOf,
      ),
      previousRange
        ? loadPeriodSums(
            database,
            workspaceId,
            previousRange,
            dailyMetrics,
            selection,
            previousDaysOf,
          )
        : Promise.resolve({ buckets: [], totals: [] }),
      loadLatestFetches(
        database,
        workspaceId,
        range,
        dailyMetrics,
        selectedIds,
      ),
      loadPosts(database, workspaceId, range, selectedIds),
      loadReachedTotals(
        database,
        workspaceId,
        view,
        range,
        capable("members_reached"),
      ),
      boundsForRange
        ? Promise.resolve(boundsForRange)
        : loadStoredBounds(database, workspaceId, selectedIds),
    ]);
  const { byConnection: spansByConnection, merged: storedSpans } =
    spansOf(storedBounds);
  const sums = current.buckets;
  const previousSums = previous.buckets;
  const totals = current.totals;
  const previousTotals = previous.totals;

  const series = buildSeries(
    chartMetrics,
    range,
    previousRange,
    view.comparison,
    view.granularity,
    sums,
    previousSums,
    storedSpans,
  );

  const kpis: KpiValue[] = METRIC_NAMES.map((metric) => {
    const connections = capable(metric);
    if (connections.length === 0) {
      return {
        metric,
        value: null,
        coverage: null,
        previous: null,
        previousUnavailable: null,
        previousReason: null,
        unavailableReason: explainUnavailable(
          metric,
          selected,
          importedMetrics,
        ),
        sources: [],
      };
    }
    if (metric === "members_reached") return reached;

    const ids = connections.map((connection) => connection.id);
    const spans = storedSpans.get(metric) ?? [];
    const coverage = coverageOf(spans, range);
    const previousCoverage = previousRange
      ? coverageOf(spans, previousRange)
      : null;
    const previousCovered =
      previousCoverage !== null &&
      previousCoverage.storedDays === previousCoverage.days;
    return {
      metric,
      value: sumFor(totals, metric, ids),
      coverage: coverage.storedDays === coverage.days ? null : coverage,
      previous: previousCovered ? sumFor(previousTotals, metric, ids) : null,
      previousUnavailable:
        previousCoverage !== null && !previousCovered ? previousCoverage : null,
      previousReason: null,
      unavailableReason: null,
      sources: connections.map((connection) =>
        describeSource(
          connection,
          metric,
          fetches.find(
            (row) =>
              row.metric === metric && row.connectionId === connection.id,
          )?.fetchedAt ?? null,
          fileNames,
        ),
      ),
    };
  });

  const summary: DashboardSummary = {
    view,
    range,
    comparisonRange: previousRange,
    granularity: view.granularity,
    lastCompleteDay: lastCompleteDay(now),
    firstStoredDay: earliestStoredDay(storedSpans),
    unknownConnections: named.unknown,
    kpis,
    chartMetrics,
    breakdown: buildBreakdown(
      selected.filter((connection) => allConnections.includes(connection)),
      range,
      totals,
      spansByConnection,
      importedMetrics,
    ),
    posts: posts.map(toPostRow),
    connections: allConnections.map(
      ({ scopes: _scopes, userId: _userId, ...connection }) => ({
        ...connection,
        lastSyncedAt: connection.lastSyncedAt?.toISOString() ?? null,
        nextSyncAt:
          connection.nextSyncAt && connection.nextSyncAt > now
            ? connection.nextSyncAt.toISOString()
            : null,
      }),
    ),
    syncing: allConnections.some((connection) =>
      ["queued", "running"].includes(connection.syncState),
    ),
    visibility: {
      setting: scope.visibility,
      seesEveryMember: scope.seesEveryMember,
    },
    exportAccess: describeExportAccess(exportRule, selected),
  };
  return { ...summary, series };
}

function explainUnavailable(
  metric: MetricName,
  selected: ConnectionRow[],
  importedMetrics: Map<string, Set<string>>,
): string {
  if (selected.length === 0) return "No connection is selected.";
  const reasons = new Set(
    selected.map((connection) => {
      const capability = capabilityOf(connection, metric, importedMetrics);
      return capability.available ? "" : capability.reason;
    }),
  );
  return [...reasons].filter(Boolean).join(" ");
}

/**
 * Members reached exists only as LinkedIn's total over a stored preset
 * range, because summing days would count a member twice. Any other range
 * or a year-ago comparison reads as not available.
 */
async function loadReachedTotals(
  database: Database,
  workspaceId: string,
  view: DashboardView,
  range: DayRange,
  connections: ConnectionRow[],
): Promise<KpiValue> {
  const metric = "members_reached";
  const length = countDays(range);
  const preset = PRESET_RANGE_DAYS.find((days) => String(days) === view.range);
  if (preset === undefined || length !== preset) {
    return {
      metric,
      value: null,
      coverage: null,
      previous: null,
      previousUnavailable: null,
      previousReason: null,
      unavailableReason:
        "LinkedIn reports members reached only as a total of the last 7, 28, 90 or 365 days.",
      sources: [],
    };
  }

  const rows = (
    await loadRangeTotals(
      database,
      workspaceId,
      preset,
      connections.map((connection) => connection.id),
    )
  ).filter((row) => row.metric === metric);
  const current = rows.filter(
    (row) => row.period === "current" && row.rangeEnd === range.to,
  );
  const previous = rows.filter((row) => row.period === "previous");
  const sum = (list: typeof rows) =>
    list.length ? list.reduce((total, row) => total + row.value, 0) : null;
  const previousValue = view.comparison === "previous" ? sum(previous) : null;

  return {
    metric,
    value: sum(current),
    // LinkedIn reports the total of the whole range.
    coverage: null,
    // LinkedIn computes the previous period's total itself, so it does not
    // depend on the days stored here.
    previous: previousValue,
    previousUnavailable: null,
    previousReason:
      view.comparison === "year"
        ? "LinkedIn reports members reached for the period just before, not a year earlier."
        : view.comparison === "previous" && previousValue === null
          ? "LinkedIn's total of the period before is not fetched yet. The next sync stores it."
          : null,
    unavailableReason: current.length
      ? null
      : "Not fetched for this range yet; the next sync stores it.",
    sources: current.map((row) => {
      const connection = connections.find(
        (item) => item.id === row.connectionId,
      );
      return {
        connectionId: row.connectionId,
        connectionName: connection?.name ?? "",
        origin: {
          kind: "api",
          endpoint: METRICS[metric].sources.person?.endpoint ?? "",
          version: LINKEDIN_VERSION,
        },
        fetchedAt: row.fetchedAt.toISOString(),
      };
    }),
  };
}

function buildBreakdown(
  selected: ConnectionRow[],
  range: DayRange,
  totals: ConnectionTotal[],
  spans: Map<string, StoredSpans>,
  importedMetrics: Map<string, Set<string>>,
): ConnectionBreakdown[] {
  return selected.map((connection) => {
    const available = DAILY_METRICS.filter(
      (metric) => capabilityOf(connection, metric, importedMetrics).available,
    );
    const coverage: ConnectionBreakdown["coverage"] = {};
    for (const metric of available) {
      const stored = coverageOf(
        spans.get(connection.id)?.get(metric) ?? [],
        range,
      );
      if (stored.storedDays < stored.days) coverage[metric] = stored;
    }
    return {
      connectionId: connection.id,
      values: Object.fromEntries(
        DAILY_METRICS.map((metric) => [
          metric,
          available.includes(metric)
            ? sumFor(totals, metric, [connection.id])
            : null,
        ]),
      ),
      coverage,
    };
  });
}

function toPostRow(
  post: Awaited<ReturnType<typeof loadPosts>>[number],
): PostRow {
  const { engagements, ...rest } = post;
  return {
    ...rest,
    engagementRate:
      post.impressions && engagements !== null
        ? engagements / post.impressions
        : null,
  };
}
