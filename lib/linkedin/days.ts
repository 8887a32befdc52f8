// UTC calendar-day arithmetic on `YYYY-MM-DD` strings.

import type { DayRange, IsoDay } from "@/lib/metrics/types";

export const DAY_MS = 86_400_000;
const ISO_DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Returns 00:00 UTC of the day in epoch milliseconds, or throws. */
export function dayToEpochMs(day: IsoDay): number {
  const match = ISO_DAY_PATTERN.exec(day);
  const ms = match
    ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : NaN;
  if (Number.isNaN(ms) || epochMsToDay(ms) !== day) {
    throw new Error(`Invalid day "${day}": expected a real YYYY-MM-DD date`);
  }
  return ms;
}

/** Returns the UTC day that contains the instant. */
export function epochMsToDay(ms: number): IsoDay {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: IsoDay, days: number): IsoDay {
  return epochMsToDay(dayToEpochMs(day) + days * DAY_MS);
}

export function todayUtc(now: Date): IsoDay {
  return epochMsToDay(now.getTime());
}

/** Returns the UTC day with the same date `months` months away. */
export function addMonths(day: IsoDay, months: number): IsoDay {
  const date = new Date(dayToEpochMs(day));
  const target = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1),
  );
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return epochMsToDay(target.getTime());
}

/** Throws unless both ends are valid days and `from` is not after `to`. */
export function validateRange(range: DayRange): void {
  if (dayToEpochMs(range.from) > dayToEpochMs(range.to)) {
    throw new Error(
      `Invalid day range ${range.from}..${range.to}: from is after to`,
    );
  }
}

export function countDays(range: DayRange): number {
  validateRange(range);
  return (dayToEpochMs(range.to) - dayToEpochMs(range.from)) / DAY_MS + 1;
}

/** Lists every day of the inclusive range in order. */
export function listDays(range: DayRange): IsoDay[] {
  const days: IsoDay[] = [];
  const total = countDays(range);
  for (let offset = 0; offset < total; offset++) {
    days.push(addDays(range.from, offset));
  }
  return days;
}
