import { isDatabaseUnavailable } from "../db/availability";
import { AppError, TooManyRequestsError } from "../errors";
import { logger } from "../log";

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The 503 response sent while the database cannot be reached. */
export function databaseUnavailableResponse(): Response {
  return Response.json(
    {
      error: {
        code: "database_unavailable",
        message:
          "Inview cannot reach its database right now. Try again in a few seconds.",
      },
    },
    {
      status: 503,
      headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
    },
  );
}

/**
 * Turns a thrown error into a JSON error response: an unreachable database
 * becomes a 503 and other unexpected errors a logged 500.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> =
      error instanceof TooManyRequestsError
        ? { "Retry-After": String(error.retryAfterSeconds) }
        : {};
    return Response.json(
      { error: { code: error.code, message: error.message } },
      { status: error.status, headers },
    );
  }
  if (isDatabaseUnavailable(error)) {
    logger().warn({ err: error }, "database unreachable; sent 503");
    return databaseUnavailableResponse();
  }
  logger().error({ err: error }, "unhandled route error");
  return Response.json(
    {
      error: {
        code: "internal",
        message: "Something went wrong on our side. Try again.",
      },
    },
    { status: 500 },
  );
}
