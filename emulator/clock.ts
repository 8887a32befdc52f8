// UTC day arithmetic and the virtual clock that every time-based rule of the
// emulator reads (code and token expiry, quotas, which days are served).

export const DAY_MS = 86_400_000;

/** A UTC calendar date as LinkedIn's Rest.li `Date` record. */
export type RestliDate = { year: number; month: number; day: number };

/** Returns the number of whole UTC days from 1970-01-01 to `ms`. */
export function dayIndexOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function dayStartMs(day: number): number {
  return day * DAY_MS;
}

export function dateOfDay(day: number): RestliDate {
  const date = new Date(dayStartMs(day));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
}

/** Returns the day index of a date, or null when the date does not exist. */
export function dayOfDate({ year, month, day }: RestliDate): number | null {
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  const exists =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day;
  return exists ? dayIndexOf(ms) : null;
}

/** Formats a day index as `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  return new Date(dayStartMs(day)).toISOString().slice(0, 10);
}

/** Parses `YYYY-MM-DD` into a day index, or null when it is not a real date. */
export function parseDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  return dayOfDate({
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  });
}

/** Returns 0 for Sunday through 6 for Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (day + 4) % 7;
}

/**
 * A clock that runs at real speed from a settable offset, so tests can jump
 * to any instant or advance past an expiry without waiting.
 */
export class VirtualClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Returns the index of the current UTC day of the virtual clock. */
  today(): number {
    return dayIndexOf(this.now());
  }

  set(ms: number): void {
    this.offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
