import { AppError, TooManyRequestsError } from "../errors";
import { logger } from "../log";

/** Turns a thrown error into a JSON error response; unexpected ones become a logged 500. */
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
