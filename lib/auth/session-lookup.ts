import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { preparedQuery } from "../db/prepared";
import { sessions, users } from "../db/schema";

/** Lifetime of a session after its last renewal, in seconds. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * Interval, in seconds, after which a request moves a session's expiry
 * forward. Requests within it only read the session row.
 */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** Returns Auth.js's session cookie name, with the Secure prefix on HTTPS. */
export function sessionCookieName(secure: boolean): string {
  return `${secure ? "__Secure-" : ""}authjs.session-token`;
}

/** Returns the value stored for a session token: its SHA-256, in hex. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

const sessionByHash = preparedQuery((database) =>
  database
    .select({
      expires: sessions.expires,
      createdAt: sessions.createdAt,
      id: users.id,
      name: users.name,
      email: users.email,
      image: users.image,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.sessionToken, sql.placeholder("hash")))
    .limit(1)
    .prepare("inview_session_by_hash"),
);

export type FoundSession = {
  user: {
    id: string;
    name: string | null;
    email: string | null;
    image: string | null;
  };
  /** When this session was created, which is when its device signed in. */
  createdAt: Date;
  expires: Date;
};

/**
 * Finds the session for a cookie's token, with the rules of Auth.js's
 * database sessions. An expired session is deleted and counts as none. A
 * session whose expiry last moved more than SESSION_UPDATE_AGE_SECONDS ago
 * gets a new expiry, SESSION_MAX_AGE_SECONDS from now.
 *
 * Pages, actions and route handlers read the session through this one query
 * instead of Auth.js's `auth()`, which builds a request, runs its whole
 * session endpoint and parses the JSON response on every call. Sign-in and
 * sign-out stay with Auth.js.
 */
export async function findSession(
  database: Database,
  token: string,
  now: Date = new Date(),
): Promise<FoundSession | null> {
  const hash = hashSessionToken(token);
  const [row] = await sessionByHash(database).execute({ hash });
  if (!row) return null;

  if (row.expires.getTime() < now.getTime()) {
    await database.delete(sessions).where(eq(sessions.sessionToken, hash));
    return null;
  }

  let expires = row.expires;
  const renewDueAt =
    row.expires.getTime() -
    SESSION_MAX_AGE_SECONDS * 1000 +
    SESSION_UPDATE_AGE_SECONDS * 1000;
  if (renewDueAt <= now.getTime()) {
    expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
    await database
      .update(sessions)
      .set({ expires })
      .where(eq(sessions.sessionToken, hash));
  }

  return {
    user: { id: row.id, name: row.name, email: row.email, image: row.image },
    createdAt: row.createdAt,
    expires,
  };
}
