// Rest.li 2.0 query parsing. Structure characters `(`, `)`, `,` and `:` must
// be literal, and only the primitive values inside (URNs) are percent-encoded.
// The raw query string is parsed by hand because URLSearchParams would decode
// `%28` into `(` and hide a wrongly encoded structure.

import { dayOfDate, dayIndexOf, DAY_MS, type RestliDate } from "./clock";

export type RestliValue =
  string | RestliValue[] | { [field: string]: RestliValue };

export class RestliSyntaxError extends Error {}

const RESERVED = new Set(["(", ")", ",", ":"]);

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  parseAll(): RestliValue {
    const value = this.parseValue();
    if (this.position !== this.text.length) {
      throw new RestliSyntaxError(`unexpected character at ${this.position}`);
    }
    return value;
  }

  private parseValue(): RestliValue {
    if (this.text.startsWith("List(", this.position)) {
      this.position += "List(".length;
      return this.parseList();
    }
    if (this.text[this.position] === "(") {
      this.position += 1;
      return this.parseRecord();
    }
    return this.parsePrimitive();
  }

  private parseList(): RestliValue[] {
    const items: RestliValue[] = [];
    if (this.consume(")")) return items;
    do {
      items.push(this.parseValue());
    } while (this.consume(","));
    this.expect(")");
    return items;
  }

  private parseRecord(): { [field: string]: RestliValue } {
    const record: { [field: string]: RestliValue } = {};
    if (this.consume(")")) return record;
    do {
      const field = this.parsePrimitive();
      this.expect(":");
      record[field] = this.parseValue();
    } while (this.consume(","));
    this.expect(")");
    return record;
  }

  private parsePrimitive(): string {
    const start = this.position;
    while (
      this.position < this.text.length &&
      !RESERVED.has(this.text[this.position] ?? "")
    ) {
      this.position += 1;
    }
    const raw = this.text.slice(start, this.position);
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new RestliSyntaxError(`invalid percent-encoding in "${raw}"`);
    }
  }

  private consume(character: string): boolean {
    if (this.text[this.position] !== character) return false;
    this.position += 1;
    return true;
  }

  private expect(character: string): void {
    if (!this.consume(character)) {
      throw new RestliSyntaxError(
        `expected "${character}" at ${this.position}`,
      );
    }
  }
}

/** Parses one raw (still percent-encoded) Rest.li 2.0 query value. */
export function parseRestliValue(raw: string): RestliValue {
  return new Parser(raw).parseAll();
}

/** A query parameter whose value is missing or malformed. */
export class ParamError extends Error {
  constructor(
    readonly param: string,
    detail: string,
  ) {
    super(`${param}: ${detail}`);
  }
}

/** The parsed query of one request, keyed by decoded parameter name. */
export class RestliQuery {
  private readonly values = new Map<string, RestliValue>();

  /** Parses a raw query string; throws ParamError on the first bad value. */
  constructor(rawQuery: string) {
    for (const part of rawQuery.split("&")) {
      if (part === "") continue;
      const equals = part.indexOf("=");
      const rawName = equals === -1 ? part : part.slice(0, equals);
      const rawValue = equals === -1 ? "" : part.slice(equals + 1);
      const name = safeDecode(rawName);
      try {
        this.values.set(name, parseRestliValue(rawValue));
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new ParamError(name, detail);
      }
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Returns a primitive parameter, or undefined when it is absent. */
  string(name: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      throw new ParamError(name, "expected a primitive value");
    }
    return value;
  }

  requireString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw new ParamError(name, "missing");
    return value;
  }

  record(name: string): { [field: string]: RestliValue } | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (typeof value === "string" || Array.isArray(value)) {
      throw new ParamError(name, "expected a record such as (field:value)");
    }
    return value;
  }

  list(name: string): RestliValue[] | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      throw new ParamError(name, "expected a list such as List(a,b)");
    }
    return value;
  }

  /** Returns a non-negative integer parameter such as `start` or `count`. */
  integer(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      throw new ParamError(name, "expected a non-negative integer");
    }
    return Number(value);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function field(
  param: string,
  record: { [field: string]: RestliValue },
  name: string,
): RestliValue {
  const value = record[name];
  if (value === undefined) throw new ParamError(param, `missing field ${name}`);
  return value;
}

function integerField(
  param: string,
  record: { [field: string]: RestliValue },
  name: string,
): number {
  const value = field(param, record, name);
  if (typeof value !== "string" || !/^\d+$/.test(value)) {
    throw new ParamError(param, `field ${name} must be an integer`);
  }
  return Number(value);
}

function recordField(
  param: string,
  record: { [field: string]: RestliValue },
  name: string,
): { [field: string]: RestliValue } {
  const value = field(param, record, name);
  if (typeof value === "string" || Array.isArray(value)) {
    throw new ParamError(param, `field ${name} must be a record`);
  }
  return value;
}

export type Granularity = "DAY" | "MONTH";

/** Maximum span of a timeIntervals or dateRange, in days (about ten years). */
const MAX_RANGE_DAYS = 3660;

function checkSpan(param: string, fromDay: number, toDayExclusive: number) {
  if (toDayExclusive <= fromDay) {
    throw new ParamError(param, "end must follow start");
  }
  if (toDayExclusive - fromDay > MAX_RANGE_DAYS) {
    throw new ParamError(
      param,
      `the range must span at most ${MAX_RANGE_DAYS} days`,
    );
  }
}

/** A `timeIntervals` value as UTC days: start inclusive, end exclusive. */
export type TimeIntervals = {
  fromDay: number;
  toDayExclusive: number;
  granularity: Granularity;
};

/**
 * Reads `timeIntervals=(timeRange:(start:ms,end:ms),timeGranularityType:DAY)`.
 * Times are epoch milliseconds; a start inside a day counts from that day's
 * midnight and an end inside a day includes that day.
 */
export function readTimeIntervals(
  query: RestliQuery,
): TimeIntervals | undefined {
  const param = "timeIntervals";
  const value = query.record(param);
  if (!value) return undefined;
  const range = recordField(param, value, "timeRange");
  const startMs = integerField(param, range, "start");
  const endMs = integerField(param, range, "end");
  const granularity = field(param, value, "timeGranularityType");
  if (granularity !== "DAY" && granularity !== "MONTH") {
    throw new ParamError(param, "timeGranularityType must be DAY or MONTH");
  }
  if (endMs <= startMs) throw new ParamError(param, "end must follow start");
  const fromDay = dayIndexOf(startMs);
  const toDayExclusive = Math.ceil(endMs / DAY_MS);
  checkSpan(param, fromDay, toDayExclusive);
  return { fromDay, toDayExclusive, granularity };
}

/** A `dateRange` as UTC days: start inclusive, end exclusive. */
export type DateRange = { fromDay: number; toDayExclusive: number };

function readDate(
  param: string,
  range: { [field: string]: RestliValue },
  name: string,
): number {
  const record = recordField(param, range, name);
  const date: RestliDate = {
    year: integerField(param, record, "year"),
    month: integerField(param, record, "month"),
    day: integerField(param, record, "day"),
  };
  const day = dayOfDate(date);
  if (day === null) throw new ParamError(param, `${name} is not a real date`);
  return day;
}

/**
 * Reads `dateRange=(start:(year:Y,month:M,day:D),end:(...))`.
 * NOTE: LinkedIn's documentation does not say whether `end` is inclusive.
 * The emulator treats it as exclusive, like the epoch ranges of
 * `timeIntervals`, so clients must send the day after the last one wanted.
 */
export function readDateRange(query: RestliQuery): DateRange | undefined {
  const param = "dateRange";
  const value = query.record(param);
  if (!value) return undefined;
  const fromDay = readDate(param, value, "start");
  const toDayExclusive = readDate(param, value, "end");
  checkSpan(param, fromDay, toDayExclusive);
  return { fromDay, toDayExclusive };
}
