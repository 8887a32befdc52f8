import { startEmulator, type RunningEmulator } from "@/emulator/server";
import {
  exchangeCode,
  verifyIdToken,
  type TokenSet,
} from "@/lib/linkedin/oauth";

export const TEST_CLIENT = {
  clientId: "inview-test",
  clientSecret: "inview-test-secret",
};
export const TEST_REDIRECT_URI = "http://localhost:9/callback";

export async function startTestEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    ...TEST_CLIENT,
    redirectUris: [TEST_REDIRECT_URI],
  });
}

/**
 * Runs LinkedIn's authorization code flow over HTTP the way a browser would:
 * opens the authorize page, picks the member, allows, and exchanges the code.
 */
export async function authorizeMember(
  emulator: RunningEmulator,
  memberId: string,
  scopes: string[],
): Promise<TokenSet & { sub: string }> {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: TEST_CLIENT.clientId,
    redirect_uri: TEST_REDIRECT_URI,
    state: "test-state",
    scope: scopes.join(" "),
  });
  const page = await fetch(
    `${emulator.url}/oauth/v2/authorization?${query.toString()}`,
  );
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!requestId)
    throw new Error(
      `No request_id on the authorize page (status ${page.status})`,
    );

  const decision = await fetch(`${emulator.url}/oauth/v2/authorization`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      request_id: requestId,
      member: memberId,
      decision: "allow",
    }),
  });
  const location = decision.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code)
    throw new Error(
      `No code in the redirect (status ${decision.status}, location ${location})`,
    );

  const credentials = { oauthBase: emulator.url, ...TEST_CLIENT };
  const tokens = await exchangeCode({
    ...credentials,
    code,
    redirectUri: TEST_REDIRECT_URI,
  });
  const sub = tokens.idToken
    ? await verifyIdToken(tokens.idToken, credentials)
    : "";
  return { ...tokens, sub };
}

export type TruthPoint = { day: string; value: number };

export async function fetchTruth(
  emulator: RunningEmulator,
  subject: string,
  metric: string,
  range: { from: string; to: string },
): Promise<TruthPoint[]> {
  const query = new URLSearchParams({ subject, metric, ...range });
  const response = await fetch(
    `${emulator.url}/__emulator/truth?${query.toString()}`,
  );
  if (!response.ok)
    throw new Error(`truth ${subject} ${metric}: ${response.status}`);
  return (await response.json()) as TruthPoint[];
}
