// Splitting and clamping day ranges to what an endpoint serves.

import type { DayRange, IsoDay } from "@/lib/metrics/types";
import { addDays, addMonths, countDays, todayUtc, validateRange } from "./days";

/** Inclusive bounds of the days an endpoint serves, null meaning unbounded. */
export type DayLimits = { earliest: IsoDay | null; latest: IsoDay | null };

export type ClampedRange = {
  /** The part of the request the endpoint serves, or null if none. */
  range: DayRange | null;
  /** Requested days the endpoint cannot serve, in order. */
  gaps: DayRange[];
};

/** Splits a range into consecutive windows of at most `maxDays` days. */
export function splitRange(range: DayRange, maxDays: number): DayRange[] {
  if (!Number.isInteger(maxDays) || maxDays < 1) {
    throw new Error(
      `Invalid window size ${maxDays}: expected a whole number >= 1`,
    );
  }
  const windows: DayRange[] = [];
  const total = countDays(range);
  for (let offset = 0; offset < total; offset += maxDays) {
    const from = addDays(range.from, offset);
    const length = Math.min(maxDays, total - offset);
    windows.push({ from, to: addDays(from, length - 1) });
  }
  return windows;
}

/** Cuts a range to the limits and returns what was cut away as gaps. */
export function clampRange(range: DayRange, limits: DayLimits): ClampedRange {
  validateRange(range);
  const from =
    limits.earliest && limits.earliest > range.from
      ? limits.earliest
      : range.from;
  const to =
    limits.latest && limits.latest < range.to ? limits.latest : range.to;

  if (from > to) {
    return { range: null, gaps: [range] };
  }
  const gaps: DayRange[] = [];
  if (from > range.from) {
    gaps.push({ from: range.from, to: addDays(from, -1) });
  }
  if (to < range.to) {
    gaps.push({ from: addDays(to, 1), to: range.to });
  }
  return { range: { from, to }, gaps };
}

/**
 * Days the organization statistics finders serve: a rolling 12 months up to
 * today (UTC), and for follower statistics only up to two days before today.
 *
 * NOTE: LinkedIn does not say whether the day exactly 12 months ago is still
 * served, so the window starts the day after it.
 */
export function organizationStatisticsLimits(
  kind: "share" | "page" | "follower",
  now: Date,
): DayLimits {
  const today = todayUtc(now);
  return {
    earliest: addDays(addMonths(today, -12), 1),
    latest: kind === "follower" ? addDays(today, -2) : today,
  };
}
