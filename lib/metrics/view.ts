// The dashboard view: which days, which comparison, which buckets, which
// metrics and connections. Pure functions, shared by the server page, the
// server action and the browser, so a URL always means the same view.
//
// The schema uses zod/mini, which has the same checks as zod but lets the
// bundler keep only the ones used. The browser parses every view change
// with it, and full zod would add tens of KiB to the dashboard's first
// JavaScript.

import * as z from "zod/mini";
import {
  addDays,
  addMonths,
  countDays,
  DAY_MS,
  dayToEpochMs,
  epochMsToDay,
  todayUtc,
} from "../linkedin/days";
import { METRIC_NAMES, type MetricName } from "./registry";
import type { DayRange, IsoDay } from "./types";

export const RANGE_PRESETS = [
  "7",
  "28",
  "90",
  "365",
  "mtd",
  "last_month",
  "ytd",
  "all",
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const RANGE_LABELS: Record<RangePreset | "custom", string> = {
  "7": "Last 7 days",
  "28": "Last 28 days",
  "90": "Last 90 days",
  "365": "Last 365 days",
  mtd: "Month to date",
  last_month: "Last month",
  ytd: "Year to date",
  all: "All time",
  custom: "Custom range",
};

export const COMPARISONS = ["previous", "year", "none"] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous: "Previous period",
  year: "Same period last year",
  none: "No comparison",
};

export const GRANULARITIES = ["day", "week", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** Longest range one view may cover, in days (about ten years). */
export const MAX_RANGE_DAYS = 3660;

const isoDaySchema = z.iso.date();

/** The view as the URL and the server action carry it. */
export const viewSchema = z.object({
  range: z._default(z.enum([...RANGE_PRESETS, "custom"]), "28"),
  from: z.optional(isoDaySchema),
  to: z.optional(isoDaySchema),
  comparison: z._default(z.enum(COMPARISONS), "previous"),
  granularity: z._default(z.enum(GRANULARITIES), "day"),
  /** Metrics whose charts are shown; empty means all. */
  metrics: z._default(
    z.array(z.enum(METRIC_NAMES)).check(z.maxLength(METRIC_NAMES.length)),
    [],
  ),
  /** Connection ids to include; empty means all of the workspace. */
  connections: z._default(z.array(z.uuid()).check(z.maxLength(200)), []),
});
export type DashboardView = z.infer<typeof viewSchema>;

export const DEFAULT_VIEW: DashboardView = viewSchema.parse({});

/** The last complete UTC day: yesterday. Every range ends on or before it. */
export function lastCompleteDay(now: Date): IsoDay {
  return addDays(todayUtc(now), -1);
}

function firstOfMonth(day: IsoDay): IsoDay {
  return `${day.slice(0, 8)}01`;
}

/**
 * Resolves the view's days. `earliestDay` is the first stored day, which
 * "all time" starts at. A custom range is clipped to the last complete day
 * and to MAX_RANGE_DAYS; `null` means the custom range is invalid.
 */
export function resolveRange(
  view: Pick<DashboardView, "range" | "from" | "to">,
  now: Date,
  earliestDay: IsoDay | null = null,
): DayRange | null {
  const end = lastCompleteDay(now);
  const days = Number(view.range);
  if (Number.isInteger(days)) {
    return { from: addDays(end, -(days - 1)), to: end };
  }

  switch (view.range) {
    case "mtd":
      return { from: firstOfMonth(end), to: end };
    case "last_month": {
      const from = addMonths(firstOfMonth(todayUtc(now)), -1);
      return { from, to: addDays(firstOfMonth(todayUtc(now)), -1) };
    }
    case "ytd":
      return { from: `${end.slice(0, 4)}-01-01`, to: end };
    case "all": {
      const from = earliestDay && earliestDay < end ? earliestDay : end;
      return clipToMaximum({ from, to: end });
    }
    default:
      return resolveCustomRange(view.from, view.to, end);
  }
}

function resolveCustomRange(
  from: IsoDay | undefined,
  to: IsoDay | undefined,
  end: IsoDay,
): DayRange | null {
  if (!from || !to || from > to || from > end) return null;
  return clipToMaximum({ from, to: to > end ? end : to });
}

function clipToMaximum(range: DayRange): DayRange {
  if (countDays(range) <= MAX_RANGE_DAYS) return range;
  return { from: addDays(range.to, -(MAX_RANGE_DAYS - 1)), to: range.to };
}

/**
 * Returns the days to compare with: the period of equal length just before,
 * or the same calendar days a year earlier (Feb 29 maps to Feb 28).
 */
export function comparisonRange(
  range: DayRange,
  comparison: Comparison,
): DayRange | null {
  if (comparison === "none") return null;
  if (comparison === "year") {
    return { from: addMonths(range.from, -12), to: addMonths(range.to, -12) };
  }
  const length = countDays(range);
  const to = addDays(range.from, -1);
  return { from: addDays(to, -(length - 1)), to };
}

/**
 * Pairs each bucket of the range with the days of the comparison period it
 * is compared with. Daily buckets pair by position. A weekly or monthly
 * bucket gets the days from the comparison day of its start up to the day
 * before the next bucket's. So the windows tile the comparison period and
 * add up to its total, however its weeks or months fall. Null marks a
 * bucket without comparison days.
 */
export function comparisonWindows(
  buckets: DayRange[],
  range: DayRange,
  previousRange: DayRange,
  comparison: Comparison,
  granularity: Granularity,
): (DayRange | null)[] {
  if (granularity === "day") {
    const days = listBuckets(previousRange, "day");
    return buckets.map((_, index) => days[index] ?? null);
  }
  const offset = countDays({ from: previousRange.from, to: range.from }) - 1;
  const shift = (day: IsoDay) =>
    comparison === "year" ? addMonths(day, -12) : addDays(day, -offset);
  const starts = buckets.map((bucket, index) =>
    index === 0 ? previousRange.from : shift(bucket.from),
  );
  return starts.map((from, index) => {
    const next = starts[index + 1];
    const to = next === undefined ? previousRange.to : addDays(next, -1);
    return to < from ? null : { from, to };
  });
}

/** The Monday that starts the ISO week of the UTC day. */
export function isoWeekStart(day: IsoDay): IsoDay {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** The start of the bucket that contains the day. */
export function bucketStart(day: IsoDay, granularity: Granularity): IsoDay {
  if (granularity === "week") return isoWeekStart(day);
  if (granularity === "month") return firstOfMonth(day);
  return day;
}

/**
 * Lists the buckets of a range, each clipped to the range, so the first and
 * last week or month may be partial.
 */
export function listBuckets(
  range: DayRange,
  granularity: Granularity,
): DayRange[] {
  const buckets: DayRange[] = [];
  if (granularity === "month") {
    let start = bucketStart(range.from, granularity);
    while (start <= range.to) {
      const next = addMonths(start, 1);
      const last = addDays(next, -1);
      buckets.push({
        from: start < range.from ? range.from : start,
        to: last > range.to ? range.to : last,
      });
      start = next;
    }
    return buckets;
  }
  // Days and weeks have a fixed length, so their bounds are stepped as
  // epoch milliseconds and formatted once each. A 365-day range with its
  // comparison lists 730 buckets on every dashboard load.
  const length = granularity === "day" ? DAY_MS : 7 * DAY_MS;
  const first = dayToEpochMs(range.from);
  const end = dayToEpochMs(range.to);
  for (
    let start = dayToEpochMs(bucketStart(range.from, granularity));
    start <= end;
    start += length
  ) {
    const from = epochMsToDay(Math.max(start, first));
    const last = Math.min(start + length - DAY_MS, end);
    buckets.push({
      from,
      to: last === start ? from : epochMsToDay(last),
    });
  }
  return buckets;
}

/** Reads a view from URL search parameters; invalid values fall back to defaults. */
export function parseViewParams(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): DashboardView {
  const read = (key: string): string | undefined => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const list = (key: string) =>
    (read(key) ?? "").split(",").filter((item) => item !== "");

  const candidate = {
    range: read("range"),
    from: read("from"),
    to: read("to"),
    comparison: read("compare"),
    granularity: read("by"),
    metrics: list("metrics"),
    connections: list("connections"),
  };
  const view: DashboardView = { ...DEFAULT_VIEW };
  // Each field is checked on its own, so one bad parameter in a shared
  // link does not reset the others.
  for (const key of Object.keys(candidate) as (keyof typeof candidate)[]) {
    const field = viewSchema.shape[key].safeParse(candidate[key]);
    if (field.success) Object.assign(view, { [key]: field.data });
  }
  if (view.range !== "custom") {
    delete view.from;
    delete view.to;
  }
  return view;
}

/** Writes a view as URL search parameters, leaving out defaults. */
export function viewToParams(view: DashboardView): URLSearchParams {
  const params = new URLSearchParams();
  params.set("range", view.range);
  if (view.range === "custom" && view.from && view.to) {
    params.set("from", view.from);
    params.set("to", view.to);
  }
  if (view.comparison !== DEFAULT_VIEW.comparison) {
    params.set("compare", view.comparison);
  }
  if (view.granularity !== DEFAULT_VIEW.granularity) {
    params.set("by", view.granularity);
  }
  if (view.metrics.length) params.set("metrics", view.metrics.join(","));
  if (view.connections.length) {
    params.set("connections", view.connections.join(","));
  }
  return params;
}

/**
 * Returns the view the dashboard loads for a URL's view: a custom range
 * without a complete day on or before `lastCompleteDay` (reversed, in the
 * future or missing an end) becomes the last 28 days, as on the server.
 */
export function usableView(
  view: DashboardView,
  lastCompleteDay: IsoDay,
): DashboardView {
  if (view.range !== "custom") return view;
  if (resolveRange(view, dayAfter(lastCompleteDay)) !== null) return view;
  return { ...view, range: "28", from: undefined, to: undefined };
}

/**
 * Switches the view to a custom range over the days the view shows, so
 * choosing "Custom range" keeps them until one end is edited.
 * `firstStoredDay` is where "all time" starts.
 */
export function startCustomRange(
  view: DashboardView,
  lastCompleteDay: IsoDay,
  firstStoredDay: IsoDay | null,
): DashboardView {
  const range = resolveRange(
    usableView(view, lastCompleteDay),
    dayAfter(lastCompleteDay),
    firstStoredDay,
  ) ?? { from: lastCompleteDay, to: lastCompleteDay };
  return { ...view, range: "custom", from: range.from, to: range.to };
}

/** Returns the UTC midnight after `day`, the `now` at which `day` is yesterday. */
function dayAfter(day: IsoDay): Date {
  return new Date(`${addDays(day, 1)}T00:00:00Z`);
}

/**
 * Splits the view's connection ids into those among `knownIds` and a count
 * of the others (unknown, removed or not visible to the caller). When none
 * is known, `ids` is empty, which a view reads as all connections.
 */
export function knownConnections(
  ids: readonly string[],
  knownIds: readonly string[],
): { ids: string[]; unknown: number } {
  const known = ids.filter((id) => knownIds.includes(id));
  return { ids: known, unknown: ids.length - known.length };
}

/** A change of the view, applied to the latest view the person requested. */
export type ViewChange = (current: DashboardView) => DashboardView;

/** True when the metric's chart is shown in the view. */
export function showsMetric(view: DashboardView, metric: MetricName): boolean {
  return view.metrics.length === 0 || view.metrics.includes(metric);
}

const PARAMETER_NAMES: Record<string, string> = {
  range: "range",
  from: "from",
  to: "to",
  comparison: "compare",
  granularity: "by",
  metrics: "metrics",
  connections: "connections",
};

/**
 * Lists, in words for the page, what a link requested that the dashboard
 * does not show as requested. These are ignored parameters, the
 * `unknownConnections` connection ids not found, and a custom range that
 * could not be used or was shortened.
 */
export function describeViewProblems(
  params: Record<string, string | string[] | undefined>,
  view: DashboardView,
  now: Date,
  unknownConnections = 0,
): string[] {
  const problems: string[] = [];
  const given = (name: string): string | undefined => {
    const value = params[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const used = viewToParams(view);
  for (const [key, name] of Object.entries(PARAMETER_NAMES)) {
    const value = given(name);
    if (value === undefined || value === "") continue;
    if (key === "from" || key === "to") {
      if (isoDaySchema.safeParse(value).success) continue;
    } else if (key === "metrics" || key === "connections") {
      if (used.get(name) === value) continue;
    } else if (viewSchema.shape[key as "range"].safeParse(value).success) {
      continue;
    }
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    problems.push(
      `The link's ${name}=${shown} is not valid, so the default is shown instead.`,
    );
  }
  if (unknownConnections > 0) {
    problems.push(describeUnknownConnections(view, unknownConnections));
  }
  if (view.range !== "custom") return problems;

  const end = lastCompleteDay(now);
  const range = resolveRange(view, now);
  if (range === null) {
    problems.push(describeUnusableRange(view, end));
  } else if (range.from !== view.from || range.to !== view.to) {
    problems.push(
      `The custom range was shortened to ${range.from} to ${range.to}: ranges end at the last complete UTC day and span at most ${MAX_RANGE_DAYS} days.`,
    );
  }
  return problems;
}

/**
 * Describes, in words for the page, the `unknown` connection ids of the
 * view that are not among the caller's connections, and which connections
 * are shown instead.
 */
export function describeUnknownConnections(
  view: Pick<DashboardView, "connections">,
  unknown: number,
): string {
  const ids = unknown === 1 ? "1 connection id" : `${unknown} connection ids`;
  const verb = unknown === 1 ? "is" : "are";
  if (unknown >= view.connections.length) {
    return `The link's ${ids} ${verb} not found in this workspace (removed, or not visible to you), so all connections are shown.`;
  }
  return `The link's ${ids} ${verb} not found in this workspace (removed, or not visible to you), so only the other connections it names are shown.`;
}

function describeUnusableRange(view: DashboardView, end: IsoDay): string {
  if (!view.from || !view.to) {
    return "A custom range needs both from and to as YYYY-MM-DD, so the last 28 days are shown.";
  }
  if (view.from > view.to) {
    return `The custom range starts after it ends (from=${view.from} is after to=${view.to}), so the last 28 days are shown.`;
  }
  return `The custom range ${view.from} to ${view.to} has no complete day (the last complete UTC day is ${end}), so the last 28 days are shown.`;
}
