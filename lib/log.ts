import pino from "pino";
import { env } from "./env";

// Paths pino blanks out wherever they appear in a log record, so a token or
// an email passed by mistake never reaches the output.
const REDACTED_PATHS = [
  "accessToken",
  "refreshToken",
  "idToken",
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "authorization",
  "email",
  "*.accessToken",
  "*.refreshToken",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.token",
  "*.authorization",
  "*.email",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
];

const globalForLog = globalThis as unknown as { inviewLogger?: pino.Logger };

/** Creates a logger with the app's redaction; tests pass a destination to read the output. */
export function createLogger(
  destination?: pino.DestinationStream,
  level = env().logLevel,
): pino.Logger {
  const options = {
    level,
    base: { service: "inview" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function logger(): pino.Logger {
  globalForLog.inviewLogger ??= createLogger();
  return globalForLog.inviewLogger;
}
