import { db } from "../db/client";
import { env } from "../env";
import { clientIp } from "../http/client-ip";
import { errorResponse } from "../http/responses";
import { logger } from "../log";
import { consumeRateLimit, SIGN_IN_LIMIT } from "../privacy/rate-limit";

// Limits sign-in starts and OAuth callbacks per client IP address, so one
// network cannot flood LinkedIn's authorization endpoint through Inview or
// replay callbacks at speed.

const LIMITED_PATH = /^\/api\/auth\/(signin|callback)\/[^/]+$/;

let warnedNoAddress = false;

/** True for the requests that start or finish a sign-in: POST signin/*, any callback/*. */
export function isSignInAttempt(request: Request): boolean {
  const { pathname } = new URL(request.url);
  const match = LIMITED_PATH.exec(pathname);
  if (!match) return false;
  return match[1] === "callback" || request.method === "POST";
}

/** Wraps an Auth.js handler so sign-in attempts over the limit get 429 with Retry-After. */
export function withSignInRateLimit<R extends Request>(
  handler: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request) => {
    if (!isSignInAttempt(request)) return handler(request);
    const ip = clientIp(request.headers, env().trustedProxyHops);
    if (!ip) {
      if (!warnedNoAddress) {
        warnedNoAddress = true;
        logger().warn(
          "sign-in attempts are not limited per IP: set TRUSTED_PROXY when a reverse proxy sets X-Forwarded-For",
        );
      }
      return handler(request);
    }
    try {
      await consumeRateLimit(db(), { ip }, SIGN_IN_LIMIT);
    } catch (error) {
      return errorResponse(error);
    }
    return handler(request);
  };
}
