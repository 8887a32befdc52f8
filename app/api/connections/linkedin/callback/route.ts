// GET /api/connections/linkedin/callback: LinkedIn's redirect after the analytics authorization.
import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { requireMember } from "@/lib/auth/guard";
import { getSessionUser } from "@/lib/auth/session";
import {
  CONNECT_CALLBACK_PATH,
  signInSubject,
  storeGrant,
} from "@/lib/connections/connect";
import {
  CONNECT_COOKIE,
  readConnectState,
} from "@/lib/connections/connect-state";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { exchangeCode, OAuthError, verifyIdToken } from "@/lib/linkedin/oauth";
import { logger } from "@/lib/log";
import { enqueueDiscover, enqueueSync } from "@/lib/sync/queue";

export const dynamic = "force-dynamic";

function backToConnections(params: Record<string, string>): NextResponse {
  const url = new URL("/connections", env().appUrl);
  for (const [key, value] of Object.entries(params))
    url.searchParams.set(key, value);
  const response = NextResponse.redirect(url, 303);
  response.cookies.delete(CONNECT_COOKIE);
  return response;
}

export async function GET(request: Request): Promise<Response> {
  const config = env();
  const user = await getSessionUser();
  if (!user)
    return NextResponse.redirect(new URL("/sign-in", config.appUrl), 303);

  const params = new URL(request.url).searchParams;
  const cookie = (await cookies()).get(CONNECT_COOKIE)?.value;
  const state = readConnectState(
    cookie,
    params.get("state"),
    config.authSecret,
  );
  const linkedinError = params.get("error");
  if (linkedinError) return backToConnections({ error: linkedinError });
  if (!state || state.userId !== user.id)
    return backToConnections({ error: "invalid_state" });
  const code = params.get("code");
  if (!code) return backToConnections({ error: "missing_code" });

  const log = logger().child({
    userId: user.id,
    workspaceId: state.workspaceId,
  });
  try {
    const context = await requireMember(
      state.workspaceId,
      "connections.connect",
    );
    const credentials = {
      oauthBase: config.linkedin.oauthBase,
      clientId: config.linkedin.clientId,
      clientSecret: config.linkedin.clientSecret,
    };
    const tokens = await exchangeCode({
      ...credentials,
      code,
      redirectUri: `${config.appUrl}${CONNECT_CALLBACK_PATH}`,
    });
    if (!tokens.idToken)
      return backToConnections({ error: "missing_id_token" });
    const sub = await verifyIdToken(tokens.idToken, credentials);
    if (sub !== (await signInSubject(db(), user.id))) {
      return backToConnections({ error: "different_account" });
    }

    const stored = await storeGrant(db(), context, {
      sub,
      name: user.name ?? "LinkedIn member",
      consentId: state.consentId,
      tokens,
      keyRing: {
        keys: config.encryptionKeys,
        currentKeyId: config.currentKeyId,
      },
    });
    await enqueueSync(stored.connectionId, "backfill");
    await enqueueDiscover(stored.grantId);
    log.info(
      { connectionId: stored.connectionId, scopes: tokens.scopes },
      "linkedin analytics connected",
    );
    return backToConnections({ connected: "1" });
  } catch (error) {
    if (error instanceof OAuthError) {
      log.warn({ code: error.code }, "linkedin token exchange failed");
      return backToConnections({ error: error.code });
    }
    if (error instanceof AppError)
      return backToConnections({ error: error.code });
    log.error({ err: error }, "connecting linkedin analytics failed");
    return backToConnections({ error: "connect_failed" });
  }
}
