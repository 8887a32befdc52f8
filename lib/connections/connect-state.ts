import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// The "connect analytics" OAuth state travels in an HttpOnly cookie, signed
// with the auth secret, so the callback can tell which workspace and consent
// the flow belongs to and a forged or replayed state is rejected.

export const CONNECT_COOKIE = "inview_connect";
export const CONNECT_STATE_MAX_AGE_SECONDS = 10 * 60;

export type ConnectState = {
  state: string;
  workspaceId: string;
  consentId: string;
  userId: string;
  issuedAt: number;
};

function sign(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function createConnectState(
  input: Omit<ConnectState, "state" | "issuedAt">,
  secret: string,
  now = Date.now(),
): { state: string; cookie: string } {
  const value: ConnectState = {
    ...input,
    state: randomBytes(24).toString("base64url"),
    issuedAt: now,
  };
  const payload = Buffer.from(JSON.stringify(value)).toString("base64url");
  return { state: value.state, cookie: `${payload}.${sign(payload, secret)}` };
}

/** Returns the signed state when the cookie is authentic, fresh and matches `state`, else null. */
export function readConnectState(
  cookie: string | undefined,
  state: string | null,
  secret: string,
  now = Date.now(),
): ConnectState | null {
  if (!cookie || !state) return null;
  const [payload = "", signature = ""] = cookie.split(".");
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return null;
  let value: ConnectState;
  try {
    value = JSON.parse(
      Buffer.from(payload, "base64url").toString("utf8"),
    ) as ConnectState;
  } catch {
    return null;
  }
  if (value.state !== state) return null;
  if (now - value.issuedAt > CONNECT_STATE_MAX_AGE_SECONDS * 1000) return null;
  return value;
}
