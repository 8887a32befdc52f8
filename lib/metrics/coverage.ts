import { addDays, countDays } from "../linkedin/days";
import type { MetricName } from "./registry";
import type { DayRange, IsoDay, RangeCoverage } from "./types";

/**
 * Per metric, the days the selected connections have stored, as sorted
 * spans that neither overlap nor touch. A metric without stored rows is
 * absent.
 */
export type StoredSpans = Map<MetricName, DayRange[]>;

/**
 * A connection's first and last stored day of a metric, and the days
 * between them that no sync wrote (sorted, not overlapping).
 */
export type StoredBound = DayRange & { notSynced?: DayRange[] };

/**
 * Per connection and metric, the first and the last stored day. A
 * connection or metric without stored rows is absent.
 */
export type StoredBounds = Map<string, Map<MetricName, StoredBound>>;

/** An imported file's day range and the metrics it contains. */
export type FileDays = { days: DayRange; metrics: readonly MetricName[] };

/**
 * Returns each connection's stored spans per metric. An API connection
 * has stored every day from its first to its last but its not-synced days.
 * A sync resumes where the last one ended and stores each day of its
 * window, days without activity as 0. It records as not synced the days it
 * could not reach back to. An import connection has stored
 * only the days its files list, and only for the metrics each file
 * contains. So its spans for a metric are the day ranges of the files with
 * that metric, clipped to the metric's bounds, and the days between two
 * such files are not stored. `files` maps an import connection to its
 * files.
 */
export function connectionSpans(
  bounds: StoredBounds,
  files: Map<string, FileDays[]>,
): Map<string, StoredSpans> {
  const spans = new Map<string, StoredSpans>();
  for (const [connectionId, metrics] of bounds) {
    const connectionFiles = files.get(connectionId);
    const byMetric: StoredSpans = new Map();
    for (const [metric, bound] of metrics) {
      const list = connectionFiles
        ? mergeSpans(
            connectionFiles
              .filter((file) => file.metrics.includes(metric))
              .flatMap((file) => clip(file.days, bound) ?? []),
          )
        : withoutSpans(
            { from: bound.from, to: bound.to },
            bound.notSynced ?? [],
          );
      if (list.length) byMetric.set(metric, list);
    }
    spans.set(connectionId, byMetric);
  }
  return spans;
}

/** Merges the spans of the given connections per metric. */
export function combineSpans(
  spans: Map<string, StoredSpans>,
  connectionIds: string[],
): StoredSpans {
  const lists = new Map<MetricName, DayRange[]>();
  for (const id of connectionIds) {
    for (const [metric, list] of spans.get(id) ?? []) {
      lists.set(metric, [...(lists.get(metric) ?? []), ...list]);
    }
  }
  const combined: StoredSpans = new Map();
  for (const [metric, list] of lists) combined.set(metric, mergeSpans(list));
  return combined;
}

/** Returns the parts of `span` outside the sorted, non-overlapping `holes`. */
export function withoutSpans(span: DayRange, holes: DayRange[]): DayRange[] {
  const parts: DayRange[] = [];
  let from = span.from;
  for (const hole of holes) {
    if (hole.to < from) continue;
    if (hole.from > span.to) break;
    if (hole.from > from) parts.push({ from, to: addDays(hole.from, -1) });
    from = addDays(hole.to, 1);
    if (from > span.to) return parts;
  }
  parts.push({ from, to: span.to });
  return parts;
}

function clip(span: DayRange, range: DayRange): DayRange | null {
  const from = span.from > range.from ? span.from : range.from;
  const to = span.to < range.to ? span.to : range.to;
  return from <= to ? { from, to } : null;
}

/**
 * Merges day spans into sorted spans that neither overlap nor touch, so
 * 1–5 and 6–9 become 1–9.
 */
export function mergeSpans(spans: DayRange[]): DayRange[] {
  const sorted = [...spans].sort((a, b) => a.from.localeCompare(b.from));
  const merged: DayRange[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.from <= addDays(last.to, 1)) {
      if (span.to > last.to) last.to = span.to;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Returns whether any day of `range` lies in one of the spans. */
export function touchesSpans(spans: DayRange[], range: DayRange): boolean {
  return spans.some((span) => span.from <= range.to && span.to >= range.from);
}

/**
 * Counts the days of `range` that the merged spans cover, and names the
 * day from which the rest of the range is covered when only its start is
 * missing.
 */
export function coverageOf(spans: DayRange[], range: DayRange): RangeCoverage {
  let storedDays = 0;
  const clipped: DayRange[] = [];
  for (const span of spans) {
    const part = clip(span, range);
    if (part === null) continue;
    storedDays += countDays(part);
    clipped.push(part);
  }
  const only = clipped.length === 1 ? clipped[0]! : null;
  const storedFrom =
    only && only.to === range.to && only.from > range.from ? only.from : null;
  return { storedDays, days: countDays(range), storedFrom };
}

/** Returns the earliest stored day of any metric, or null without data. */
export function earliestStoredDay(spans: StoredSpans): IsoDay | null {
  let earliest: IsoDay | null = null;
  for (const metricSpans of spans.values()) {
    const first = metricSpans[0]?.from;
    if (first !== undefined && (earliest === null || first < earliest))
      earliest = first;
  }
  return earliest;
}
