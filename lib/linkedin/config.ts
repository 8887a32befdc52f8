// Constants shared by every LinkedIn call.

/**
 * The LinkedIn-Version header value (YYYYMM). LinkedIn keeps a version about
 * one year and then rejects calls with 426 NONEXISTENT_VERSION, so
 * config.test.ts fails once this value is more than 11 months old.
 */
export const LINKEDIN_VERSION = "202611";

/** The X-Restli-Protocol-Version header value for Rest.li 2.0 encoding. */
export const RESTLI_PROTOCOL_VERSION = "2.0.0";

/** Time allowed for one HTTP request, headers and body, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Tries per call, the first one included. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** Backoff before the first retry, in milliseconds, before jitter. */
export const DEFAULT_BASE_DELAY_MS = 500;

/** Upper bound of one backoff delay, in milliseconds, before jitter. */
export const DEFAULT_MAX_DELAY_MS = 30_000;

/** Pages a collection may span before getAll stops it as a paging loop. */
export const MAX_PAGES = 1000;

const VERSION_PATTERN = /^(\d{4})(0[1-9]|1[0-2])$/;

/**
 * Returns the whole months between a YYYYMM version and `now` (UTC), counting
 * only the calendar months, so "202611" is 0 months old in November 2026 and
 * 1 month old in December 2026. Throws on a malformed version.
 */
export function versionAgeMonths(version: string, now: Date): number {
  const match = VERSION_PATTERN.exec(version);
  if (!match) {
    throw new Error(`Invalid LinkedIn version "${version}": expected YYYYMM`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  return (now.getUTCFullYear() - year) * 12 + (now.getUTCMonth() + 1 - month);
}
