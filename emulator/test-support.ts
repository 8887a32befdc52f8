// Helpers for the emulator's tests: start a server, sign a demo member in
// through the real authorize page, and call the REST API.

import { startEmulator, type RunningEmulator } from "./server";
import type { EmulatorOptions } from "./config";

export const REDIRECT_URI = "http://localhost:3000/api/auth/callback/linkedin";
export const CLIENT_ID = "inview-local";
export const CLIENT_SECRET = "inview-local-secret";
/** A fixed virtual "now", so the served days never depend on the real date. */
export const TEST_NOW = "2026-11-15T12:00:00.000Z";
export const CURRENT_VERSION = "202611";

export const ALL_SCOPES =
  "openid profile email r_member_postAnalytics r_member_profileAnalytics " +
  "rw_organization_admin";

export async function startTestEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  await control(emulator, "/clock", { now: TEST_NOW });
  return emulator;
}

export async function control(
  emulator: RunningEmulator,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${emulator.url}/__emulator${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export function authorizeUrl(
  emulator: RunningEmulator,
  params: Record<string, string> = {},
): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: "test-state",
    scope: ALL_SCOPES,
    ...params,
  });
  return `${emulator.url}/oauth/v2/authorization?${query}`;
}

/** Opens the consent page and chooses Allow or Cancel; returns the redirect. */
export async function consent(
  emulator: RunningEmulator,
  memberId: string,
  params: Record<string, string> = {},
  decision: "allow" | "cancel" = "allow",
): Promise<URL> {
  const page = await fetch(authorizeUrl(emulator, params));
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId) throw new Error(`no consent form in: ${html.slice(0, 300)}`);
  const decisionResponse = await fetch(
    `${emulator.url}/oauth/v2/authorization`,
    {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        request_id: requestId,
        member: memberId,
        decision,
      }),
    },
  );
  return new URL(decisionResponse.headers.get("location") ?? "");
}

export async function authorizationCode(
  emulator: RunningEmulator,
  memberId: string,
  scope = ALL_SCOPES,
): Promise<string> {
  const location = await consent(emulator, memberId, { scope });
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location.toString()}`);
  return code;
}

export function exchangeCode(
  emulator: RunningEmulator,
  code: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${emulator.url}/oauth/v2/accessToken`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      ...extra,
    }),
  });
}

export type TokenBody = {
  access_token: string;
  expires_in: number;
  scope: string;
  token_type: string;
  id_token?: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
};

/** Signs the member in and returns the token response. */
export async function signIn(
  emulator: RunningEmulator,
  memberId: string,
  scope = ALL_SCOPES,
): Promise<TokenBody> {
  const code = await authorizationCode(emulator, memberId, scope);
  const response = await exchangeCode(emulator, code);
  if (response.status !== 200) {
    throw new Error(`token exchange failed: ${await response.text()}`);
  }
  return (await response.json()) as TokenBody;
}

export function postForm(
  emulator: RunningEmulator,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

/** Calls GET /rest/{pathAndQuery} with LinkedIn's required headers. */
export function restGet(
  emulator: RunningEmulator,
  pathAndQuery: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${emulator.url}/rest/${pathAndQuery}`, {
    headers: {
      authorization: `Bearer ${token}`,
      "linkedin-version": CURRENT_VERSION,
      "x-restli-protocol-version": "2.0.0",
      ...headers,
    },
  });
}

/** Encodes a URN for a Rest.li 2.0 query value or path segment. */
export function encodeUrn(urn: string): string {
  return encodeURIComponent(urn);
}

/** Formats a Rest.li dateRange; `end` is exclusive. */
export function dateRange(start: string, end: string): string {
  const date = (text: string) => {
    const [year, month, day] = text.split("-").map(Number);
    return `(year:${year},month:${month},day:${day})`;
  };
  return `(start:${date(start)},end:${date(end)})`;
}

/** Formats a Rest.li timeIntervals of DAY buckets; `end` is exclusive. */
export function dayIntervals(start: string, end: string): string {
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const endMs = Date.parse(`${end}T00:00:00Z`);
  return `(timeRange:(start:${startMs},end:${endMs}),timeGranularityType:DAY)`;
}
