// Recognises errors that mean the database cannot be reached at the moment,
// as opposed to a query that the database rejected, and the rejections that
// callers handle.

/** Node socket error codes seen when the server is down, restarting or cut off. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is shutting down or not yet accepting
 * connections: admin_shutdown, crash_shutdown and cannot_connect_now.
 */
const SHUTDOWN_STATES = new Set(["57P01", "57P02", "57P03"]);

/** Messages node-postgres (pg 8) throws without a code when a connection drops or cannot be made. */
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "connection timeout",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Connection ended",
];

function matchesOne(error: object): boolean {
  const code = "code" in error ? String(error.code) : "";
  // SQLSTATE class 08 is "connection exception".
  if (NETWORK_CODES.has(code) || SHUTDOWN_STATES.has(code)) return true;
  if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  const message = "message" in error ? String(error.message) : "";
  return CONNECTION_MESSAGES.some((text) => message.includes(text));
}

/**
 * Tells whether an error, or any error in its `cause` chain or inside an
 * AggregateError, matches. Drizzle wraps driver errors in a
 * DrizzleQueryError whose `cause` is the pg or PGlite error.
 */
export function someErrorInChain(
  error: unknown,
  matches: (error: object) => boolean,
): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    if (matches(current)) return true;
    if ("cause" in current) pending.push(current.cause);
    if (current instanceof AggregateError)
      pending.push(...(current.errors as unknown[]));
  }
  return false;
}

/** Tells whether an error means the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someErrorInChain(error, matchesOne);
}

/** Tells whether an error is a unique violation (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return someErrorInChain(
    error,
    (current) => "code" in current && current.code === "23505",
  );
}
