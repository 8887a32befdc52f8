// Typed LinkedIn API errors and the mapping from an HTTP response to them.

import { z } from "zod";

const DAY_MS = 86_400_000;

export type LinkedInErrorDetails = {
  /** HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  serviceErrorCode: number | null;
  /** LinkedIn's symbolic code such as ACCESS_DENIED; older bodies lack it. */
  code: string | null;
  message: string;
  /** Request path without the query string, so no query value leaks. */
  endpoint: string;
};

export class LinkedInError extends Error {
  readonly status: number | null;
  readonly serviceErrorCode: number | null;
  readonly code: string | null;
  readonly endpoint: string;

  constructor(details: LinkedInErrorDetails, options?: ErrorOptions) {
    super(details.message, options);
    this.name = new.target.name;
    this.status = details.status;
    this.serviceErrorCode = details.serviceErrorCode;
    this.code = details.code;
    this.endpoint = details.endpoint;
  }
}

/** 401: the token expired or is invalid, so the connection needs reconnecting. */
export class TokenInvalid extends LinkedInError {}

/** 401 65601 REVOKED_ACCESS_TOKEN: the member revoked access in LinkedIn. */
export class TokenRevoked extends LinkedInError {}

/** 403: a scope or a page role is missing. */
export class MissingPermission extends LinkedInError {
  /** Resource named by LinkedIn's message, such as `me` or `organizationAcls`. */
  readonly resource: string | null;
  readonly method: string | null;
  readonly version: string | null;

  constructor(details: LinkedInErrorDetails) {
    super(details);
    const parsed = parsePermissionMessage(details.message);
    this.resource = parsed?.resource ?? null;
    this.method = parsed?.method ?? null;
    this.version = parsed?.version ?? null;
  }
}

/** 426 NONEXISTENT_VERSION: the pinned LinkedIn-Version is sunset. */
export class VersionSunset extends LinkedInError {}

/** 429: a throttle or the daily quota was reached. */
export class RateLimited extends LinkedInError {
  /** Wait the server asked for, or null when it sent no usable header. */
  readonly retryAfterMs: number | null;
  /**
   * True when no wait was given. LinkedIn sends no rate headers and resets
   * quotas at midnight UTC, so such a 429 means the daily quota is used up.
   */
  readonly quota: boolean;

  constructor(details: LinkedInErrorDetails, retryAfterMs: number | null) {
    super(details);
    this.retryAfterMs = retryAfterMs;
    this.quota = retryAfterMs === null;
  }
}

/** 400, PARAM_INVALID included: the request is wrong, so it is never retried. */
export class BadRequest extends LinkedInError {}

/** 404: not found, also used for APIs the app may not use. */
export class NotFound extends LinkedInError {}

/** 5xx, 408, a network error or a timeout: worth retrying. */
export class Transient extends LinkedInError {
  readonly reason: "server" | "network" | "timeout";

  constructor(
    details: LinkedInErrorDetails,
    reason: Transient["reason"],
    options?: ErrorOptions,
  ) {
    super(details, options);
    this.reason = reason;
  }
}

/** A 2xx response whose body did not match the expected schema. */
export class InvalidResponse extends LinkedInError {}

const PERMISSION_PATTERN =
  /Not enough permissions to access:\s*(\S+)\.([^.\s]+)\.([^.\s]+?)\.?\s*$/;

/** Splits "Not enough permissions to access: me.GET.NO_VERSION". */
export function parsePermissionMessage(
  message: string,
): { resource: string; method: string; version: string } | null {
  const match = PERMISSION_PATTERN.exec(message);
  if (!match?.[1] || !match[2] || !match[3]) {
    return null;
  }
  return { resource: match[1], method: match[2], version: match[3] };
}

const errorBodySchema = z.object({
  status: z.number().optional().catch(undefined),
  serviceErrorCode: z.number().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  message: z.string().optional().catch(undefined),
});

type ErrorBody = z.infer<typeof errorBodySchema>;

function parseErrorBody(body: unknown): ErrorBody {
  let value = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return {};
    }
  }
  const parsed = errorBodySchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Accepts a delay in milliseconds if it is a number from 0 to one day. */
function boundDelay(ms: number): number | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > DAY_MS) {
    return null;
  }
  return Math.ceil(ms);
}

/**
 * Parses Retry-After as delay-seconds or an HTTP date into milliseconds.
 * Returns null for a missing, negative, unparsable or over-one-day value.
 * A date already in the past gives 0.
 */
export function parseRetryAfter(
  value: string | null,
  now: Date,
): number | null {
  const text = value?.trim();
  if (!text) {
    return null;
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    return boundDelay(Number(text) * 1000);
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    return null;
  }
  return boundDelay(Math.max(0, at - now.getTime()));
}

/**
 * Parses X-RateLimit-Reset into milliseconds from now. Gateways send either
 * seconds until the reset or the reset time in epoch seconds, so a value
 * above 1e9 (September 2001 as epoch seconds) is read as a timestamp.
 */
export function parseRateLimitReset(
  value: string | null,
  now: Date,
): number | null {
  const text = value?.trim();
  if (!text || !/^-?\d+(\.\d+)?$/.test(text)) {
    return null;
  }
  const seconds = Number(text);
  if (seconds > 1e9) {
    return boundDelay(Math.max(0, seconds * 1000 - now.getTime()));
  }
  return boundDelay(seconds * 1000);
}

function retryDelay(headers: Headers, now: Date): number | null {
  return (
    parseRetryAfter(headers.get("retry-after"), now) ??
    parseRateLimitReset(headers.get("x-ratelimit-reset"), now)
  );
}

function isRevoked(body: ErrorBody): boolean {
  return (
    body.serviceErrorCode === 65601 || body.code === "REVOKED_ACCESS_TOKEN"
  );
}

/**
 * Maps a response to its typed error, or returns null for a 2xx status.
 * `body` is the parsed JSON or the raw text; an unreadable body still gives
 * an error chosen by status alone.
 */
export function classifyResponse(
  status: number,
  headers: Headers,
  body: unknown,
  context: { endpoint?: string; now?: Date } = {},
): LinkedInError | null {
  if (status >= 200 && status < 300) {
    return null;
  }
  const parsed = parseErrorBody(body);
  const details: LinkedInErrorDetails = {
    status,
    serviceErrorCode: parsed.serviceErrorCode ?? null,
    code: parsed.code ?? null,
    message: parsed.message ?? `LinkedIn returned HTTP ${status}`,
    endpoint: context.endpoint ?? "",
  };
  const now = context.now ?? new Date();

  if (status === 401) {
    return isRevoked(parsed)
      ? new TokenRevoked(details)
      : new TokenInvalid(details);
  }
  if (status === 403) return new MissingPermission(details);
  if (status === 426) return new VersionSunset(details);
  if (status === 429) return new RateLimited(details, retryDelay(headers, now));
  if (status === 400) return new BadRequest(details);
  if (status === 404) return new NotFound(details);
  if (status >= 500 || status === 408) {
    return new Transient(details, "server");
  }
  return new LinkedInError(details);
}
