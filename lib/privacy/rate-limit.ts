import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { rateLimits } from "../db/schema";
import { TooManyRequestsError } from "../errors";

export type RateLimit = {
  action: string;
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
  /** What the person is told when the limit is reached. */
  message: string;
};

export const EXPORT_LIMIT: RateLimit = {
  action: "data.export",
  limit: 5,
  windowSeconds: 3600,
  message: "You can download your data 5 times per hour.",
};

export const ERASURE_LIMIT: RateLimit = {
  action: "data.erase",
  limit: 3,
  windowSeconds: 3600,
  message: "You can try to delete your account 3 times per hour.",
};

/**
 * Counts one request in the current fixed window and throws
 * TooManyRequestsError (429 with Retry-After) when it is over the limit.
 * The counter lives in the database, so every web replica shares it.
 */
export async function consumeRateLimit(
  database: Database,
  userId: string,
  rule: RateLimit,
  now: Date = new Date(),
): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await database
    .insert(rateLimits)
    .values({ userId, action: rule.action, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.userId, rateLimits.action, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  if ((row?.count ?? 0) <= rule.limit) return;
  const retryAfter = Math.ceil(
    (windowStart.getTime() + windowMs - now.getTime()) / 1000,
  );
  throw new TooManyRequestsError(
    `${rule.message} Try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    Math.max(1, retryAfter),
  );
}
