import type { MetricsVisibility } from "../db/schema";
import type { ExportAccess } from "../exports/access";
import type { MetricName, SubjectKind } from "./registry";
import type { DashboardView, Granularity } from "./view";

/** A UTC calendar day as `YYYY-MM-DD`. */
export type IsoDay = string;

/** An inclusive range of UTC days. */
export type DayRange = { from: IsoDay; to: IsoDay };

/** Where one connection's numbers of one metric came from. */
export type MetricSource = {
  connectionId: string;
  connectionName: string;
  /** LinkedIn endpoint and API version, or the imported file names. */
  origin:
    | { kind: "api"; endpoint: string; version: string }
    | { kind: "import"; fileNames: string[] };
  /** Latest fetch or import time of the values in the range, ISO 8601. */
  fetchedAt: string | null;
};

export type KpiValue = {
  metric: MetricName;
  /** Sum over the range, or null when no selected connection provides it. */
  value: number | null;
  /**
   * How many days of the range have stored data, when some have none, so
   * `value` sums only those days. Null when every day of the range has.
   */
  coverage: RangeCoverage | null;
  /**
   * The same figure for the comparison period. Null without one, and null
   * when `previousUnavailable` is set.
   */
  previous: number | null;
  /**
   * Set when some days of the comparison period have no stored data for
   * the selected connections, because a sum over the stored part of that
   * period would understate it.
   */
  previousUnavailable: RangeCoverage | null;
  /**
   * The reason the comparison has no value when stored days are not the
   * cause, such as a comparison LinkedIn does not report.
   */
  previousReason: string | null;
  /** Why the value is missing, with the scope that would enable it. */
  unavailableReason: string | null;
  sources: MetricSource[];
};

/** The days of a range that have stored data. */
export type RangeCoverage = {
  storedDays: number;
  days: number;
  /**
   * The first stored day when the range is stored from it to its end and
   * only the days before it are missing; null otherwise.
   */
  storedFrom: IsoDay | null;
};

export type SeriesPoint = {
  /** The bucket's first day, clipped to the range. */
  day: IsoDay;
  /** The bucket's last day, clipped to the range. */
  to: IsoDay;
  /**
   * The bucket's sum, or null when no selected connection has stored any
   * day of the bucket. A day without a row inside a connection's stored
   * span counts as 0, because LinkedIn leaves out days without activity.
   */
  value: number | null;
  /**
   * The number of the bucket's stored days when only some are stored, so
   * `value` sums those days alone. Null when all or none are stored.
   */
  storedDays: number | null;
  /**
   * The sum of the bucket's comparison days (`comparisonWindows`). Null
   * when any of those days is not stored, as for the KPI's comparison, and
   * when the view compares with nothing.
   */
  previous: number | null;
  /**
   * The number of stored comparison days when only some are stored, which
   * makes `previous` null.
   */
  previousStoredDays: number | null;
  /** The first of the bucket's comparison days. */
  previousDay: IsoDay | null;
  /** The last of the bucket's comparison days. */
  previousTo: IsoDay | null;
};

export type MetricSeries = {
  metric: MetricName;
  /**
   * One point per bucket of the range. Buckets that touch a connection's
   * stored span are zero-filled where they have no row, and the others
   * have a null value.
   */
  points: SeriesPoint[];
};

export type ConnectionSummary = {
  id: string;
  kind: SubjectKind;
  urn: string;
  name: string;
  source: "api" | "import";
  status: string;
  statusReason: string | null;
  syncState: string;
  syncProgress: number;
  lastSyncedAt: string | null;
  /**
   * The time a sync put off by LinkedIn's call budget runs again, or null
   * when that time has passed or no sync was put off.
   */
  nextSyncAt: string | null;
};

/** One connection's totals over the range, for the breakdown table. */
export type ConnectionBreakdown = {
  connectionId: string;
  /** Per metric: the total, or null when the connection cannot have it. */
  values: Partial<Record<MetricName, number | null>>;
  /**
   * Per metric the connection can have, the stored days of the range when
   * some are missing. With no stored day, the total reads as no data.
   */
  coverage: Partial<Record<MetricName, RangeCoverage>>;
};

export type PostRow = {
  connectionId: string;
  url: string;
  title: string | null;
  publishedOn: IsoDay | null;
  impressions: number | null;
  reactions: number | null;
  comments: number | null;
  reshares: number | null;
  /** Engagements divided by impressions, or null without impressions. */
  engagementRate: number | null;
  fileName: string;
};

/**
 * Everything the dashboard shows except the chart series: the page renders
 * it on the server, and the series follow through the server action.
 */
export type DashboardSummary = {
  view: DashboardView;
  range: DayRange;
  /** Null when the view compares with nothing. */
  comparisonRange: DayRange | null;
  granularity: Granularity;
  /** The last complete UTC day; every range ends on or before it. */
  lastCompleteDay: IsoDay;
  /**
   * The earliest first stored day of any metric of the selected
   * connections, or null without data. Each metric's own stored spans
   * decide where its series and comparison have data.
   */
  firstStoredDay: IsoDay | null;
  /**
   * How many of the view's connection ids match no connection the caller
   * may see. When all of them are unknown, the view shows all connections.
   */
  unknownConnections: number;
  kpis: KpiValue[];
  /** The metrics that get a chart, in the order of `series`. */
  chartMetrics: MetricName[];
  breakdown: ConnectionBreakdown[];
  posts: PostRow[];
  connections: ConnectionSummary[];
  /** True while a sync of any connection is queued or running. */
  syncing: boolean;
  /** The workspace's visibility setting as it applies to the caller. */
  visibility: { setting: MetricsVisibility; seesEveryMember: boolean };
  /** Whether the caller may export this view as CSV and PNG. */
  exportAccess: ExportAccess;
};

export type DashboardData = DashboardSummary & {
  /** Only daily metrics that at least one selected connection provides. */
  series: MetricSeries[];
};
