// HTTP client for LinkedIn's versioned REST API, with retries and paging.

import pino, { type Logger } from "pino";
import { z } from "zod";
import {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  LINKEDIN_VERSION,
  MAX_PAGES,
  RESTLI_PROTOCOL_VERSION,
} from "./config";
import {
  InvalidResponse,
  LinkedInError,
  RateLimited,
  Transient,
  classifyResponse,
} from "./errors";
import { nextPageQuery } from "./paging";

export type CallRecord = {
  /** Request path without the query string. */
  endpoint: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  durationMs: number;
  /** 1 for the first try of a call, 2 for the first retry, and so on. */
  attempt: number;
};

export type LinkedInClientOptions = {
  /** Base URL of the REST API, such as `https://api.linkedin.com`. */
  apiBase: string;
  accessToken: string;
  /** LinkedIn-Version header (YYYYMM); defaults to LINKEDIN_VERSION. */
  version?: string;
  fetch?: typeof fetch;
  /** Time allowed for one try, headers and body, in milliseconds. */
  timeoutMs?: number;
  /** Tries per call, the first one included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1) for the backoff jitter. */
  random?: () => number;
  /** Runs before every try, retries included; throwing stops the call. */
  beforeCall?: (endpoint: string) => Promise<void>;
  /** Runs after every try that was sent, whatever its outcome. */
  afterCall?: (record: CallRecord) => Promise<void>;
  logger?: Logger;
};

type Settings = Required<
  Omit<LinkedInClientOptions, "beforeCall" | "afterCall" | "logger">
>;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class LinkedInClient {
  private readonly settings: Settings;
  private readonly beforeCall: LinkedInClientOptions["beforeCall"];
  private readonly afterCall: LinkedInClientOptions["afterCall"];
  private readonly logger: Logger;

  constructor(options: LinkedInClientOptions) {
    this.settings = {
      apiBase: options.apiBase.replace(/\/+$/, ""),
      accessToken: options.accessToken,
      version: options.version ?? LINKEDIN_VERSION,
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
    };
    this.beforeCall = options.beforeCall;
    this.afterCall = options.afterCall;
    // The token never reaches the logger; the redaction guards against a
    // caller who logs request options through this child.
    this.logger = (options.logger ?? pino({ level: "silent" })).child(
      { module: "linkedin" },
      { redact: ["accessToken", "authorization", "headers.authorization"] },
    );
  }

  /**
   * Sends a GET and validates the JSON body. `query` must already be Rest.li
   * encoded (see restli.ts) and is sent unchanged.
   */
  async get<T>(path: string, query: string, schema: z.ZodType<T>): Promise<T> {
    const body = await this.call(path, query);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new InvalidResponse({
        status: 200,
        serviceErrorCode: null,
        code: null,
        message: `Unexpected response from ${path}: ${z.prettifyError(parsed.error)}`,
        endpoint: path,
      });
    }
    return parsed.data;
  }

  /**
   * Reads every page of a collection and validates each element. Follows a
   * `paging.links` rel=next href, else `metadata.nextPageToken`, else
   * start/count while pages come back full. A short page does not end the
   * collection when a next link or token is present.
   */
  async getAll<T>(
    path: string,
    query: string,
    elementSchema: z.ZodType<T>,
  ): Promise<T[]> {
    const pageSchema = collectionSchema(elementSchema);
    const elements: T[] = [];
    let request: { path: string; query: string } | null = { path, query };

    for (let page = 0; request; page++) {
      if (page >= MAX_PAGES) {
        throw new Error(
          `Paging through ${path} exceeded ${MAX_PAGES} pages; the next links likely loop`,
        );
      }
      const body = await this.get(request.path, request.query, pageSchema);
      elements.push(...body.elements);
      request = nextPageQuery(request, query, body, this.settings.apiBase);
    }
    return elements;
  }

  private async call(path: string, query: string): Promise<unknown> {
    const { maxAttempts } = this.settings;
    for (let attempt = 1; ; attempt++) {
      await this.beforeCall?.(path);
      try {
        return await this.send(path, query, attempt);
      } catch (error) {
        const delayMs = this.retryDelay(error, attempt, maxAttempts);
        if (delayMs === null) {
          throw error;
        }
        this.logger.warn(
          { endpoint: path, attempt, delayMs, err: describe(error) },
          "LinkedIn call failed, retrying",
        );
        await this.settings.sleep(delayMs);
      }
    }
  }

  /** Returns the wait before the next try, or null to throw at once. */
  private retryDelay(
    error: unknown,
    attempt: number,
    maxAttempts: number,
  ): number | null {
    if (attempt >= maxAttempts) {
      return null;
    }
    if (error instanceof RateLimited && error.retryAfterMs !== null) {
      // A longer wait than one backoff step is left to the caller's scheduler.
      return error.retryAfterMs <= this.settings.maxDelayMs
        ? Math.max(0, error.retryAfterMs)
        : null;
    }
    if (!(error instanceof Transient)) {
      return null;
    }
    // Full jitter: a uniform wait up to base * 2^n, where n counts the
    // retries before this one, so the first retry waits up to baseDelayMs.
    const { baseDelayMs, maxDelayMs, random } = this.settings;
    const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const fraction = Math.min(1, Math.max(0, random()));
    return Number.isFinite(fraction) ? fraction * cap : cap;
  }

  private async send(
    path: string,
    query: string,
    attempt: number,
  ): Promise<unknown> {
    const url = `${this.settings.apiBase}${path}${query ? `?${query}` : ""}`;
    const started = performance.now();
    let status: number | null = null;
    try {
      const response = await this.fetchWithTimeout(url, path);
      status = response.status;
      const error = classifyResponse(status, response.headers, response.body, {
        endpoint: path,
      });
      if (error) {
        throw error;
      }
      return response.body;
    } finally {
      const durationMs = Math.round(performance.now() - started);
      const record = { endpoint: path, status, durationMs, attempt };
      this.logger.debug(record, "LinkedIn call");
      await this.afterCall?.(record);
    }
  }

  private async fetchWithTimeout(
    url: string,
    path: string,
  ): Promise<{ status: number; headers: Headers; body: unknown }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      const response = await this.settings.fetch(url, {
        method: "GET",
        headers: this.headers(),
        signal: controller.signal,
        redirect: "error",
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: parseJson(text),
      };
    } catch (error) {
      throw toTransient(error, path, controller.signal.aborted, this.settings);
    } finally {
      clearTimeout(timer);
    }
  }

  private headers(): Record<string, string> {
    return {
      Authorization: `Bearer ${this.settings.accessToken}`,
      "LinkedIn-Version": this.settings.version,
      "X-Restli-Protocol-Version": RESTLI_PROTOCOL_VERSION,
      Accept: "application/json",
    };
  }
}

function collectionSchema<T>(elementSchema: z.ZodType<T>) {
  const link = z.object({ rel: z.string(), href: z.string() });
  return z.object({
    elements: z.array(elementSchema),
    paging: z
      .object({
        start: z.number().optional(),
        count: z.number().optional(),
        total: z.number().optional(),
        links: z.array(link).optional(),
      })
      .optional(),
    metadata: z.object({ nextPageToken: z.string().nullish() }).optional(),
  });
}

/** Returns parsed JSON, the raw text when it is not JSON, or null if empty. */
function parseJson(text: string): unknown {
  if (text === "") {
    return null;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toTransient(
  error: unknown,
  path: string,
  timedOut: boolean,
  settings: Settings,
): Transient {
  const message = timedOut
    ? `LinkedIn request timed out after ${settings.timeoutMs} ms`
    : `LinkedIn request failed: ${error instanceof Error ? error.message : String(error)}`;
  return new Transient(
    {
      status: null,
      serviceErrorCode: null,
      code: null,
      message,
      endpoint: path,
    },
    timedOut ? "timeout" : "network",
    { cause: error },
  );
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof LinkedInError) {
    return { name: error.name, status: error.status, code: error.code };
  }
  return { name: error instanceof Error ? error.name : typeof error };
}
