import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

// Auth.js (@auth/core 0.41) redirects every OAuth failure that it does not
// consider safe to show to `?error=Configuration`: a bad state, a rejected
// code, a bad id_token and an unreachable LinkedIn read the same. Inview
// classifies the error Auth.js logs and adds the cause to the sign-in page's
// URL as `reason`, next to Auth.js's own `error`.

export const SIGN_IN_PATH = "/sign-in";

export const SIGN_IN_FAILURE_REASONS = [
  "user_cancelled_login",
  "user_cancelled_authorize",
  "unauthorized_scope_error",
  "state_invalid",
  "code_rejected",
  "id_token_invalid",
  "linkedin_unavailable",
] as const;

export type SignInFailureReason = (typeof SIGN_IN_FAILURE_REASONS)[number];

/** LinkedIn's redirect errors that Inview explains by name. */
const LINKEDIN_REDIRECT_ERRORS: ReadonlySet<string> = new Set([
  "user_cancelled_login",
  "user_cancelled_authorize",
  "unauthorized_scope_error",
]);

/** Token endpoint errors that LinkedIn returns for an expired or used code. */
const CODE_ERRORS: ReadonlySet<string> = new Set([
  "invalid_request",
  "invalid_redirect_uri",
  "invalid_grant",
]);

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown): Fields | null {
  return typeof value === "object" && value !== null ? (value as Fields) : null;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Returns the Auth.js error type, such as `CallbackRouteError`, or undefined. */
function authErrorType(error: Error): string | undefined {
  return text(fieldsOf(error)?.type);
}

/** Returns the error Auth.js wrapped, which it keeps as `cause.err`, or the error itself. */
function rootCause(error: Error): Error {
  const wrapped = fieldsOf(error.cause)?.err;
  return wrapped instanceof Error ? wrapped : error;
}

/** Returns the HTTP status of an oauth4webapi error: its own, or that of the Response it keeps. */
function httpStatus(error: Error): number | undefined {
  const fields = fieldsOf(error);
  if (typeof fields?.status === "number") return fields.status;
  return error.cause instanceof Response ? error.cause.status : undefined;
}

function isNetworkFailure(error: Error): boolean {
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  // undici's fetch rejects with this TypeError on a refused or closed socket.
  return error instanceof TypeError && error.message === "fetch failed";
}

function classifyRoot(root: Error): SignInFailureReason | null {
  if (isNetworkFailure(root)) return "linkedin_unavailable";

  const code = text(fieldsOf(root)?.code);
  const status = httpStatus(root) ?? 0;
  switch (code) {
    case "OAUTH_RESPONSE_BODY_ERROR": {
      if (status >= 500) return "linkedin_unavailable";
      const oauthError = text(fieldsOf(root)?.error) ?? "";
      return CODE_ERRORS.has(oauthError) ? "code_rejected" : null;
    }
    case "OAUTH_RESPONSE_IS_NOT_CONFORM":
    case "OAUTH_RESPONSE_IS_NOT_JSON":
      return status >= 500 ? "linkedin_unavailable" : null;
    case "OAUTH_JWT_CLAIM_COMPARISON_FAILED":
    case "OAUTH_JWT_TIMESTAMP_CHECK_FAILED":
      return "id_token_invalid";
    case "OAUTH_INVALID_RESPONSE":
      // A missing or unexpected `state` parameter on the callback.
      return root.message.includes('"state"') ? "state_invalid" : null;
    case "invalid_id_token":
      return "id_token_invalid";
    default:
      return null;
  }
}

/**
 * Returns the cause of a failed sign-in, or null when it has no specific
 * explanation. `query` is the callback's query string, which names LinkedIn's
 * redirect error: Auth.js's OAuthCallbackError drops it.
 */
export function classifySignInError(
  error: Error,
  query?: URLSearchParams,
): SignInFailureReason | null {
  const type = authErrorType(error);
  if (type === "OAuthCallbackError") {
    const linkedinError = query?.get("error") ?? "";
    return LINKEDIN_REDIRECT_ERRORS.has(linkedinError)
      ? (linkedinError as SignInFailureReason)
      : null;
  }
  // The provider checks only the state (LinkedIn rejects PKCE and sends no
  // nonce), so a failed check is a missing, tampered or spent state cookie.
  if (type === "InvalidCheck") return "state_invalid";
  return classifyRoot(rootCause(error));
}

/**
 * Log fields of an Auth.js error: types, codes and messages, never tokens or
 * claims. Class names are left out because the production build minifies
 * them.
 */
function describeError(error: Error, query?: URLSearchParams): Fields {
  const root = rootCause(error);
  const rootFields = fieldsOf(root);
  const fromCallback = authErrorType(error) === "OAuthCallbackError";
  return {
    authError: authErrorType(error),
    cause: {
      // A network failure keeps the socket error (ECONNREFUSED) in its cause.
      code: text(rootFields?.code) ?? text(fieldsOf(root.cause)?.code),
      status: httpStatus(root),
      message: root.message,
    },
    linkedinError:
      text(rootFields?.error) ??
      (fromCallback ? query?.get("error") : undefined),
    linkedinErrorDescription:
      text(rootFields?.error_description) ??
      (fromCallback ? query?.get("error_description") : undefined),
  };
}

function levelOf(
  reason: SignInFailureReason | null,
): "info" | "warn" | "error" {
  if (reason === "user_cancelled_login") return "info";
  if (reason === "user_cancelled_authorize") return "info";
  if (reason === null || reason === "linkedin_unavailable") return "error";
  return "warn";
}

type FailureSlot = {
  query: URLSearchParams | undefined;
  reason: SignInFailureReason | null;
};

const currentRequest = new AsyncLocalStorage<FailureSlot>();

/**
 * Logs an error that Auth.js reports, once, and records its reason for the
 * request being handled. Auth.js calls its logger's `error` once per failed
 * request, before it builds the redirect to the sign-in page.
 */
export function reportAuthError(error: Error, log: Logger): void {
  const slot = currentRequest.getStore();
  const reason = classifySignInError(error, slot?.query);
  if (slot) slot.reason = reason;
  const fields = describeError(error, slot?.query);
  log[levelOf(reason)]({ reason, ...fields }, "sign-in failed");
}

/**
 * Runs the work and returns its result with the reason of the sign-in
 * failure it reported, if any. `query` is the query string of the request.
 */
export async function captureSignInFailure<T>(
  work: () => Promise<T>,
  query?: URLSearchParams,
): Promise<{ result: T; reason: SignInFailureReason | null }> {
  const slot: FailureSlot = { query, reason: null };
  const result = await currentRequest.run(slot, work);
  return { result, reason: slot.reason };
}

/** Adds `reason` to a URL of the sign-in page that carries Auth.js's `error`; returns other URLs unchanged. */
export function withReason(
  url: string,
  reason: SignInFailureReason | null,
): string {
  if (!reason) return url;
  const parsed = new URL(url, "http://relative.invalid");
  if (parsed.pathname !== SIGN_IN_PATH || !parsed.searchParams.has("error")) {
    return url;
  }
  parsed.searchParams.set("reason", reason);
  return parsed.origin === "http://relative.invalid"
    ? `${parsed.pathname}${parsed.search}`
    : parsed.toString();
}

/**
 * Wraps an Auth.js route handler so that its redirects to the sign-in page
 * name the reason of the failure.
 */
export function withSignInFailureReason<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request) => {
    const { result: response, reason } = await captureSignInFailure(
      () => handler(request),
      new URL(request.url).searchParams,
    );
    const location = response.headers.get("location");
    if (!location) return response;
    const updated = withReason(location, reason);
    if (updated === location) return response;

    // Response.redirect() returns immutable headers, so copy them.
    const headers = new Headers(response.headers);
    headers.set("location", updated);
    return new Response(response.body, { status: response.status, headers });
  };
}
