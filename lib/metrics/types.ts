import type { MetricsVisibility } from "../db/schema";
import type { MetricName, PresetRangeDays, SubjectKind } from "./registry";

/** A UTC calendar day as `YYYY-MM-DD`. */
export type IsoDay = string;

/** An inclusive range of UTC days. */
export type DayRange = { from: IsoDay; to: IsoDay };

export type DashboardInput = {
  workspaceId: string;
  rangeDays: PresetRangeDays;
};

export type KpiValue = {
  metric: MetricName;
  /** Sum over the range, or null when no connection can provide the metric. */
  value: number | null;
  /** The same figure for the previous period of equal length. */
  previous: number | null;
};

export type SeriesPoint = {
  day: IsoDay;
  value: number;
  /** The value on the matching day of the previous period. */
  previous: number;
};

export type MetricSeries = {
  metric: MetricName;
  /** One point per day of the range, zero-filled for days with no row. */
  points: SeriesPoint[];
};

export type ConnectionSummary = {
  id: string;
  kind: SubjectKind;
  urn: string;
  name: string;
  status: string;
  lastSyncedAt: string | null;
};

export type DashboardData = {
  range: DayRange;
  previousRange: DayRange;
  kpis: KpiValue[];
  /** Only daily metrics that at least one connection can provide. */
  series: MetricSeries[];
  connections: ConnectionSummary[];
  /** True while a backfill of any connection is queued or running. */
  syncing: boolean;
  /** The workspace setting on whose numbers members see, as applied to the caller. */
  visibility: { setting: MetricsVisibility; seesEveryMember: boolean };
};
