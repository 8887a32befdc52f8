// Domain errors. They carry an HTTP status and a code, and are translated to
// a response or an action result only at the edges (route handlers, actions).

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Sign in to continue.") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "Your role in this workspace does not allow this.") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = "The requested item") {
    super(404, "not_found", `${what} was not found.`);
  }
}

export class ValidationError extends AppError {
  constructor(message: string) {
    super(422, "invalid_input", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    /** Seconds until a new attempt is allowed, sent as Retry-After. */
    readonly retryAfterSeconds: number,
  ) {
    super(429, "rate_limited", message);
  }
}
