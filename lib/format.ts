import { countDays } from "@/lib/linkedin/days";
import type { DayRange, IsoDay, RangeCoverage } from "@/lib/metrics/types";

/** Text shown where a value or a change cannot be computed. */
export const NO_VALUE = "—";

/** Text shown for a chart bucket without a stored day. */
export const NO_DATA = "No data";

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

const NUMBER_STYLES = {
  count: { maximumFractionDigits: 0 },
  compact: { notation: "compact", maximumFractionDigits: 1 },
  signed: { maximumFractionDigits: 0, signDisplay: "exceptZero" },
  percentChange: {
    style: "percent",
    maximumFractionDigits: 1,
    signDisplay: "exceptZero",
  },
} satisfies Record<string, Intl.NumberFormatOptions>;

const DAY_STYLES = {
  short: { month: "short", day: "numeric", timeZone: "UTC" },
  long: { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

// Formatters are reused per locale and style, because constructing one
// costs far more than formatting with it, and a dashboard formats thousands
// of numbers and days per render. Locales come from a short list (the
// server's default and the browser's), so the maps stay small.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(
  style: keyof typeof NUMBER_STYLES,
  locale: string | undefined,
): Intl.NumberFormat {
  const key = `${style} ${locale ?? ""}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, NUMBER_STYLES[style]);
    numberFormats.set(key, format);
  }
  return format;
}

function dayFormat(
  style: keyof typeof DAY_STYLES,
  locale: string | undefined,
): Intl.DateTimeFormat {
  const key = `${style} ${locale ?? ""}`;
  let format = dayFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, DAY_STYLES[style]);
    dayFormats.set(key, format);
  }
  return format;
}

/** Formats a count with the locale's grouping, for example `12,345`. */
export function formatNumber(value: number, locale?: string): string {
  return numberFormat("count", locale).format(value);
}

/** Formats a bucket's stored sum, or `NO_DATA` when nothing is stored. */
export function formatStoredValue(value: number | null, locale?: string) {
  return value === null ? NO_DATA : formatNumber(value, locale);
}

/** Names how many of a chart bucket's days are stored, as "3 of 7 days stored". */
export function describeStoredDays(
  storedDays: number,
  bucket: DayRange,
  locale?: string,
): string {
  return `${formatNumber(storedDays, locale)} of ${formatNumber(countDays(bucket), locale)} days stored`;
}

/**
 * Formats a comparison value, or the reason it is missing: no stored day
 * at all, or only part of the comparison days stored.
 */
export function formatComparisonValue(
  point: {
    previous: number | null;
    previousStoredDays: number | null;
    previousDay: IsoDay | null;
    previousTo: IsoDay | null;
  },
  locale?: string,
): string {
  if (point.previous !== null) return formatNumber(point.previous, locale);
  if (
    point.previousStoredDays !== null &&
    point.previousDay !== null &&
    point.previousTo !== null
  )
    return `Only ${describeStoredDays(point.previousStoredDays, { from: point.previousDay, to: point.previousTo }, locale)}`;
  return NO_DATA;
}

/** Formats an instant as `2026-12-06 00:00 UTC`, the same in every locale. */
export function formatUtcTime(date: Date | string): string {
  return `${new Date(date).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Formats a count in short form for axes, for example `12K` or `1.2M`. */
export function formatCompactNumber(value: number, locale?: string): string {
  return numberFormat("compact", locale).format(value);
}

/** Formats a difference with an explicit sign, for example `+120` or `-4`. */
export function formatSignedNumber(value: number, locale?: string): string {
  return numberFormat("signed", locale).format(value);
}

/** Formats a ratio as a signed percentage, for example `+12.5%`. */
export function formatPercentChange(ratio: number, locale?: string): string {
  return numberFormat("percentChange", locale).format(ratio);
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

/**
 * Replaces every kind of space with U+0020, because ICU versions differ in
 * the spaces they put in dates. Node.js 20.20 (ICU 78) writes thin spaces
 * (U+2009) around the en dash of a range where Chromium 156 writes plain
 * ones. A difference between the server's and the browser's render is a
 * React hydration error.
 */
function plainSpaces(text: string): string {
  return text.replace(/\s/gu, " ");
}

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
  return plainSpaces(dayFormat(style, locale).format(parseIsoDay(day)));
}

/** Formats an inclusive UTC day range, for example `Mar 1 – 28, 2025`. */
export function formatDayRange(range: DayRange, locale?: string): string {
  return plainSpaces(
    dayFormat("long", locale).formatRange(
      parseIsoDay(range.from),
      parseIsoDay(range.to),
    ),
  );
}

/**
 * Describes the stored part of a series: its total, or "no data" when no
 * bucket has a value. When only the first buckets have none, it names the
 * first bucket with one, and otherwise it counts the buckets without.
 */
export function describeStoredTotal(
  buckets: { day: string; value: number | null }[],
  locale: string,
): string {
  const firstStored = buckets.findIndex((bucket) => bucket.value !== null);
  if (firstStored === -1) return "no data";
  const total = buckets.reduce((sum, bucket) => sum + (bucket.value ?? 0), 0);
  const text = `total ${formatNumber(total, locale)}`;
  const missing = buckets.filter((bucket) => bucket.value === null).length;
  if (missing === 0) return text;
  if (missing === firstStored) {
    const firstDay = formatDay(buckets[firstStored]!.day, locale, "long");
    return `${text}, no data before ${firstDay}`;
  }
  return `${text}, no data for ${missing} of the ${buckets.length} points`;
}

/**
 * Describes which days of a period have stored data, for the KPI's own
 * range ("the") or for the comparison period ("its").
 */
export function describeCoverage(
  coverage: RangeCoverage,
  determiner: "the" | "its",
  locale: string,
): string {
  if (coverage.storedDays === 0)
    return determiner === "its"
      ? "No data is stored for the comparison period."
      : "No data is stored for these days.";
  if (coverage.storedFrom !== null)
    return `No data is stored before ${formatDay(coverage.storedFrom, locale, "long")}.`;
  return `Only ${formatNumber(coverage.storedDays, locale)} of ${determiner} ${formatNumber(coverage.days, locale)} days are stored.`;
}
