// Rest.li 2.0 query encoding, built by hand.
//
// Rest.li 2.0 keeps the structure characters `( ) , :` literal and
// percent-encodes them inside values, so `urn:li:organization:1` is sent as
// `urn%3Ali%3Aorganization%3A1`. URLSearchParams would encode the parentheses
// too, and LinkedIn rejects that with 400 PARAM_INVALID.

import type { DayRange } from "@/lib/metrics/types";
import { addDays, dayToEpochMs, validateRange } from "./days";

/**
 * Encodes a string leaf value (a URN, a name). encodeURIComponent leaves
 * `( ) ' ! *` alone, and Rest.li reads the first three as syntax, so those
 * are encoded as well.
 */
export function encodeRestliString(value: string): string {
  return encodeURIComponent(value).replace(
    /[()'!*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Builds `List(a,b)` from values that are already encoded. */
export function restliList(encodedItems: readonly string[]): string {
  return `List(${encodedItems.join(",")})`;
}

/** Builds `(key:value,...)` from values that are already encoded. */
export function restliObject(
  encodedFields: Readonly<Record<string, string | number>>,
): string {
  const pairs = Object.entries(encodedFields).map(
    ([key, value]) => `${encodeRestliString(key)}:${value}`,
  );
  return `(${pairs.join(",")})`;
}

/** Builds `(share:urn%3Ali%3Ashare%3A1)` or another one-key entity union. */
export function restliEntity(kind: string, urn: string): string {
  return restliObject({ [kind]: encodeRestliString(urn) });
}

/**
 * Joins query parameters into `a=b&c=d`. Keys are percent-encoded. Values
 * must already be Rest.li encoded, though plain tokens such as `me` need no
 * encoding.
 */
export function buildQuery(
  encodedParams: Readonly<Record<string, string | number>>,
): string {
  return Object.entries(encodedParams)
    .map(([key, value]) => `${encodeURIComponent(key)}=${value}`)
    .join("&");
}

/**
 * Converts inclusive days into epoch milliseconds with the end exclusive:
 * `end` is 00:00 UTC of the day after `to`, as LinkedIn's time ranges expect.
 */
export function dayRangeToEpochRange(range: DayRange): {
  start: number;
  end: number;
} {
  validateRange(range);
  return {
    start: dayToEpochMs(range.from),
    end: dayToEpochMs(addDays(range.to, 1)),
  };
}

/**
 * Builds `(timeRange:(start:MS,end:MS),timeGranularityType:DAY)` for the
 * statistics finders, with the end exclusive.
 */
export function timeIntervals(range: DayRange): string {
  const { start, end } = dayRangeToEpochRange(range);
  return restliObject({
    timeRange: restliObject({ start, end }),
    timeGranularityType: "DAY",
  });
}

function dateParts(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return restliObject({
    year: year ?? NaN,
    month: month ?? NaN,
    day: date ?? NaN,
  });
}

/**
 * Builds `(start:(year:Y,month:M,day:D),end:(...))` for the member finders.
 *
 * NOTE: LinkedIn's docs do not say whether a dateRange end is inclusive.
 * This sends the day after `to` (end exclusive, like timeRange). If LinkedIn
 * turns out to treat the end as inclusive, change `endDay` here only.
 */
export function dateRange(range: DayRange): string {
  validateRange(range);
  const endDay = addDays(range.to, 1);
  return restliObject({ start: dateParts(range.from), end: dateParts(endDay) });
}
