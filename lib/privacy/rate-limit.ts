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

/** The party a limit counts for; a plain string is a user id. */
export type RateLimitSubject =
  string | { userId: string } | { ip: string } | { workspaceId: string };

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

/** Sign-in starts and OAuth callbacks, per client IP address. */
export const SIGN_IN_LIMIT: RateLimit = {
  action: "auth.sign_in",
  limit: 20,
  windowSeconds: 600,
  message: "Too many sign-in attempts from your network.",
};

export const INVITATIONS_PER_USER_LIMIT: RateLimit = {
  action: "member.invite",
  limit: 30,
  windowSeconds: 3600,
  message: "You can send 30 invitations per hour.",
};

export const INVITATIONS_PER_WORKSPACE_LIMIT: RateLimit = {
  action: "member.invite",
  limit: 100,
  windowSeconds: 86_400,
  message: "This workspace can send 100 invitations per day.",
};

export const UPLOAD_LIMIT: RateLimit = {
  action: "data.import",
  limit: 30,
  windowSeconds: 3600,
  message: "You can upload 30 files per hour.",
};

function keyOf(subject: RateLimitSubject): {
  key: string;
  userId: string | null;
} {
  if (typeof subject === "string")
    return { key: `user:${subject}`, userId: subject };
  if ("userId" in subject)
    return { key: `user:${subject.userId}`, userId: subject.userId };
  if ("ip" in subject) return { key: `ip:${subject.ip}`, userId: null };
  return { key: `workspace:${subject.workspaceId}`, userId: null };
}

function describeWait(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

/**
 * Counts one request in the current fixed window and throws
 * TooManyRequestsError (429 with Retry-After) when it is over the limit.
 * The counter lives in the database, so every web replica shares it.
 */
export async function consumeRateLimit(
  database: Database,
  subject: RateLimitSubject,
  rule: RateLimit,
  now: Date = new Date(),
): Promise<void> {
  const { key, userId } = keyOf(subject);
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await database
    .insert(rateLimits)
    .values({ key, userId, action: rule.action, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.action, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  if ((row?.count ?? 0) <= rule.limit) return;
  const retryAfter = Math.max(
    1,
    Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000),
  );
  throw new TooManyRequestsError(
    `${rule.message} Try again in ${describeWait(retryAfter)}.`,
    retryAfter,
  );
}
