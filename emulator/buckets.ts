// Time buckets of a `timeIntervals` request, in whole UTC days.

import { dateOfDay, dayOfDate, dayStartMs } from "./clock";
import type { TimeIntervals } from "./restli";

export type Bucket = { fromDay: number; toDayExclusive: number };

/**
 * Splits the interval into DAY buckets, or into MONTH buckets that start on
 * the start's day of the month. The last bucket ends at the interval's end.
 */
export function splitIntervals(intervals: TimeIntervals): Bucket[] {
  const buckets: Bucket[] = [];
  let fromDay = intervals.fromDay;
  while (fromDay < intervals.toDayExclusive) {
    const next =
      intervals.granularity === "DAY" ? fromDay + 1 : nextMonth(fromDay);
    const toDayExclusive = Math.min(next, intervals.toDayExclusive);
    buckets.push({ fromDay, toDayExclusive });
    fromDay = toDayExclusive;
  }
  return buckets;
}

function nextMonth(day: number): number {
  const date = dateOfDay(day);
  const month = date.month === 12 ? 1 : date.month + 1;
  const year = date.month === 12 ? date.year + 1 : date.year;
  // A start on the 31st moves to the last day of a shorter month.
  for (let dayOfMonth = date.day; dayOfMonth > 27; dayOfMonth--) {
    const candidate = dayOfDate({ year, month, day: dayOfMonth });
    if (candidate !== null) return candidate;
  }
  return dayOfDate({ year, month, day: date.day }) ?? day + 28;
}

/** Formats a bucket as LinkedIn's `timeRange` in epoch milliseconds. */
export function timeRangeOf(bucket: Bucket): { start: number; end: number } {
  return {
    start: dayStartMs(bucket.fromDay),
    end: dayStartMs(bucket.toDayExclusive),
  };
}

/**
 * Sums the served days of a bucket with `add`, or returns null when the API
 * serves none of them.
 */
export function sumBucket<T>(
  bucket: Bucket,
  readDay: (day: number) => T | null,
  add: (total: T, value: T) => T,
): T | null {
  let total: T | null = null;
  for (let day = bucket.fromDay; day < bucket.toDayExclusive; day++) {
    const value = readDay(day);
    if (value === null) continue;
    total = total === null ? value : add(total, value);
  }
  return total;
}
