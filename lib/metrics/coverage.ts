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
    const from = span.from > range.from ? span.from : range.from;
    const to = span.to < range.to ? span.to : range.to;
    if (from > to) continue;
    storedDays += countDays({ from, to });
    clipped.push({ from, to });
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
