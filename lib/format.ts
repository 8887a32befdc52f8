import type { DayRange, IsoDay } from "@/lib/metrics/types";

/** Text shown where a value or a change cannot be computed. */
export const NO_VALUE = "—";

/**
 * The locale used when rendering on the server. The browser's own locale
 * replaces it after hydration, so both renders produce the same markup.
 */
export const DEFAULT_LOCALE = "en-US";

export type Change = {
  absolute: number;
  /** Change as a fraction of the previous value: 0.25 is +25 %. */
  ratio: number;
};

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Formats a count with the locale's grouping, for example `12,345`. */
export function formatNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(
    value,
  );
}

/** Formats a count in short form for axes, for example `12K` or `1.2M`. */
export function formatCompactNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(value);
}

/** Formats a difference with an explicit sign, for example `+120` or `-4`. */
export function formatSignedNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: 0,
    signDisplay: "exceptZero",
  }).format(value);
}

/** Formats a ratio as a signed percentage, for example `+12.5%`. */
export function formatPercentChange(ratio: number, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    style: "percent",
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  }).format(ratio);
}

/**
 * Computes the change from the previous period. Returns null when either
 * value is missing or the previous value is 0, because no percentage of 0
 * exists.
 */
export function computeChange(
  value: number | null,
  previous: number | null,
): Change | null {
  if (value === null || previous === null || previous === 0) {
    return null;
  }

  const absolute = value - previous;
  return { absolute, ratio: absolute / previous };
}

/**
 * Parses a `YYYY-MM-DD` UTC day into the Date at its UTC midnight.
 * Throws a RangeError for any other string or for a day that does not
 * exist, such as `2025-02-30`.
 */
export function parseIsoDay(day: IsoDay): Date {
  const match = ISO_DAY.exec(day);
  if (!match) {
    throw new RangeError(`Invalid day "${day}": expected YYYY-MM-DD`);
  }

  const [, year, month, date] = match.map(Number);
  const parsed = new Date(Date.UTC(year!, month! - 1, date));
  if (parsed.toISOString().slice(0, 10) !== day) {
    throw new RangeError(`Invalid day "${day}": no such calendar date`);
  }
  return parsed;
}

/** Returns the UTC day `count` days after `day` (before it when negative). */
export function addDays(day: IsoDay, count: number): IsoDay {
  const date = parseIsoDay(day);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

const DAY_STYLES = {
  short: { month: "short", day: "numeric" },
  long: { year: "numeric", month: "short", day: "numeric" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * Formats a UTC day as a date label, for example `Mar 1` or `Mar 1, 2025`.
 * The formatter uses the UTC time zone, so the label is the same date in
 * every browser time zone.
 */
export function formatDay(
  day: IsoDay,
  locale?: string,
  style: keyof typeof DAY_STYLES = "short",
): string {
  return new Intl.DateTimeFormat(locale, {
    ...DAY_STYLES[style],
    timeZone: "UTC",
  }).format(parseIsoDay(day));
}

/** Formats an inclusive UTC day range, for example `Mar 1 – 28, 2025`. */
export function formatDayRange(range: DayRange, locale?: string): string {
  return new Intl.DateTimeFormat(locale, {
    ...DAY_STYLES.long,
    timeZone: "UTC",
  }).formatRange(parseIsoDay(range.from), parseIsoDay(range.to));
}
