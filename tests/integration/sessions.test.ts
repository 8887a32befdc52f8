import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviewAdapter } from "@/lib/auth/adapter";
import {
  findSession,
  hashSessionToken,
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
} from "@/lib/auth/session-lookup";
import type { DatabaseHandle } from "@/lib/db/client";
import { sessions } from "@/lib/db/schema";
import { testEngines } from "../helpers/databases";
import { createOwner } from "../helpers/fixtures";

const HOUR_MS = 60 * 60 * 1000;

describe.each(testEngines())("session lookup on $name", (engine) => {
  let handle: DatabaseHandle;
  let userId: string;

  beforeAll(async () => {
    handle = await engine.open();
    ({ userId } = await createOwner(handle.db));
  });

  afterAll(async () => {
    await handle.close();
  });

  /** Creates a session the way Auth.js does at sign-in, through the adapter. */
  async function signIn(expires: Date): Promise<string> {
    const token = randomBytes(32).toString("hex");
    await inviewAdapter(handle.db).createSession!({
      sessionToken: token,
      userId,
      expires,
    });
    return token;
  }

  async function storedExpiry(token: string): Promise<Date | null> {
    const [row] = await handle.db
      .select({ expires: sessions.expires })
      .from(sessions)
      .where(eq(sessions.sessionToken, hashSessionToken(token)));
    return row?.expires ?? null;
  }

  it("finds an adapter-stored session by token", async () => {
    const now = new Date();
    const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
    const token = await signIn(expires);

    const found = await findSession(handle.db, token, now);

    expect(found?.user.id).toBe(userId);
    expect(found?.user.name).toMatch(/^Tester /);
    expect(found?.expires.getTime()).toBe(expires.getTime());
    expect(found?.createdAt).toBeInstanceOf(Date);
    // The row contains the token's hash, not the token.
    expect(await storedExpiry(token)).not.toBeNull();
    const [raw] = await handle.db
      .select({ hash: sessions.sessionToken })
      .from(sessions)
      .where(eq(sessions.sessionToken, token));
    expect(raw).toBeUndefined();
  });

  it("rejects unknown tokens and stored hashes", async () => {
    const token = await signIn(new Date(Date.now() + HOUR_MS));

    expect(await findSession(handle.db, "not-a-session")).toBeNull();
    expect(await findSession(handle.db, hashSessionToken(token))).toBeNull();
  });

  it("deletes an expired session", async () => {
    const now = new Date();
    const token = await signIn(new Date(now.getTime() - 1000));

    expect(await findSession(handle.db, token, now)).toBeNull();
    expect(await storedExpiry(token)).toBeNull();
  });

  it("renews expiry only after update age", async () => {
    const now = new Date();
    const maxAgeMs = SESSION_MAX_AGE_SECONDS * 1000;
    const updateAgeMs = SESSION_UPDATE_AGE_SECONDS * 1000;
    // Last renewed an hour less than the update age ago: left alone.
    const recent = new Date(now.getTime() + maxAgeMs - updateAgeMs + HOUR_MS);
    const recentToken = await signIn(recent);
    // Last renewed an hour more than the update age ago: renewed.
    const due = new Date(now.getTime() + maxAgeMs - updateAgeMs - HOUR_MS);
    const dueToken = await signIn(due);

    const unchanged = await findSession(handle.db, recentToken, now);
    const renewed = await findSession(handle.db, dueToken, now);

    expect(unchanged?.expires.getTime()).toBe(recent.getTime());
    expect((await storedExpiry(recentToken))?.getTime()).toBe(recent.getTime());
    expect(renewed?.expires.getTime()).toBe(now.getTime() + maxAgeMs);
    expect((await storedExpiry(dueToken))?.getTime()).toBe(
      now.getTime() + maxAgeMs,
    );
  });
});
