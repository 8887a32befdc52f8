// POST /oauth/v2/accessToken, /introspectToken and /revoke. Errors are the
// OAuth form `{error, error_description}`.

import type { IncomingMessage, ServerResponse } from "node:http";
import { readForm, sendEmpty, sendJson } from "./http";
import { findMember } from "./members";
import { signIdToken } from "./oidc";
import type { EmulatorState } from "./state";
import {
  ACCESS_TOKEN_LIFETIME_S,
  type Grant,
  type RefreshToken,
} from "./tokens";

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const NO_STORE = { "cache-control": "no-store" };

function authenticateClient(state: EmulatorState, form: URLSearchParams) {
  const { clientId, clientSecret } = state.options;
  if (
    form.get("client_id") !== clientId ||
    form.get("client_secret") !== clientSecret
  ) {
    throw new OAuthError(401, "invalid_client", "Client authentication failed");
  }
}

function requireParam(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) {
    throw new OAuthError(
      400,
      "invalid_request",
      `A required parameter "${name}" is missing`,
    );
  }
  return value;
}

/**
 * Builds a token response for the grant. A refresh passes its own refresh
 * token, which is returned unchanged, and gets no new id_token.
 */
async function tokenResponse(
  state: EmulatorState,
  grant: Grant,
  existingRefresh?: RefreshToken,
) {
  const now = state.clock.now();
  const access = state.tokens.issueAccessToken(grant, now);
  const body: Record<string, unknown> = {
    access_token: access.value,
    expires_in: ACCESS_TOKEN_LIFETIME_S,
  };
  const refresh =
    existingRefresh ??
    (state.switches.refreshTokens
      ? state.tokens.issueRefreshToken(grant)
      : undefined);
  if (refresh) {
    body.refresh_token = refresh.value;
    body.refresh_token_expires_in = Math.floor(
      (refresh.expiresAt - now) / 1000,
    );
  }
  // LinkedIn separates the granted scopes with commas, not spaces.
  body.scope = grant.scopes.join(",");
  body.token_type = "Bearer";
  const member = findMember(grant.memberId);
  if (member && !existingRefresh && grant.scopes.includes("openid")) {
    body.id_token = await signIdToken(state, member, grant.scopes);
  }
  return body;
}

async function exchangeCode(state: EmulatorState, form: URLSearchParams) {
  const codeValue = requireParam(form, "code");
  const redirectUri = requireParam(form, "redirect_uri");
  authenticateClient(state, form);
  // LinkedIn allows PKCE only for native apps and rejects a web app that
  // sends a verifier with invalid_client.
  if (form.has("code_verifier")) {
    throw new OAuthError(401, "invalid_client", "Client authentication failed");
  }

  const code = state.tokens.codes.get(codeValue);
  if (!code || code.used) {
    throw new OAuthError(
      400,
      "invalid_request",
      "Unable to retrieve access token: authorization code not found",
    );
  }
  if (code.expiresAt <= state.clock.now() || code.redirectUri !== redirectUri) {
    throw new OAuthError(
      400,
      "invalid_redirect_uri",
      "Unable to retrieve access token: appid/redirect uri/code verifier does " +
        "not match authorization code. Or authorization code expired.",
    );
  }

  code.used = true;
  const grant = state.tokens.recordGrant(
    code.memberId,
    code.scopes,
    state.clock.now(),
    state.switches.invalidateOnScopeChange,
  );
  return tokenResponse(state, grant);
}

async function refresh(state: EmulatorState, form: URLSearchParams) {
  const value = requireParam(form, "refresh_token");
  authenticateClient(state, form);

  const token = state.tokens.refreshTokens.get(value);
  const grant = token ? state.tokens.grants.get(token.memberId) : undefined;
  const alive =
    token !== undefined &&
    grant !== undefined &&
    !token.revoked &&
    token.expiresAt > state.clock.now() &&
    !state.tokens.isSuperseded(token);
  if (!token || !grant || !alive) {
    throw new OAuthError(
      400,
      "invalid_grant",
      "The provided authorization grant or refresh token is invalid, expired or revoked",
    );
  }

  return tokenResponse(state, grant, token);
}

async function withOAuthErrors(
  res: ServerResponse,
  work: () => void | Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendJson(
      res,
      error.status,
      { error: error.error, error_description: error.description },
      NO_STORE,
    );
  }
}

// POST /oauth/v2/accessToken: exchange a code or a refresh token
export async function handleToken(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  await withOAuthErrors(res, async () => {
    const grantType = requireParam(form, "grant_type");
    let body: Record<string, unknown>;
    if (grantType === "authorization_code") {
      body = await exchangeCode(state, form);
    } else if (grantType === "refresh_token" && state.switches.refreshTokens) {
      body = await refresh(state, form);
    } else {
      throw new OAuthError(
        400,
        "invalid_request",
        `Unsupported grant_type: ${grantType}`,
      );
    }
    sendJson(res, 200, body, NO_STORE);
  });
}

// POST /oauth/v2/introspectToken: the state of an access token
export async function handleIntrospect(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  await withOAuthErrors(res, () => {
    const value = requireParam(form, "token");
    authenticateClient(state, form);

    const token = state.tokens.accessTokens.get(value);
    if (!token || state.tokens.isSuperseded(token)) {
      sendJson(res, 200, { active: false });
      return;
    }
    const now = state.clock.now();
    const revoked =
      token.revoked || state.switches.revokedMembers.includes(token.memberId);
    const expired =
      token.expiresAt <= now ||
      state.switches.expiredMembers.includes(token.memberId);
    let status = "active";
    if (expired) status = "expired";
    if (revoked) status = "revoked";
    sendJson(res, 200, {
      active: status === "active",
      client_id: state.options.clientId,
      authorized_at: Math.floor(token.issuedAt / 1000),
      created_at: Math.floor(token.issuedAt / 1000),
      status,
      expires_at: Math.floor(token.expiresAt / 1000),
      scope: token.scopes.join(","),
      auth_type: "3L",
    });
  });
}

// POST /oauth/v2/revoke: revoke an access or refresh token
export async function handleRevoke(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const form = await readForm(req);
  await withOAuthErrors(res, () => {
    const value = requireParam(form, "token");
    authenticateClient(state, form);

    const access = state.tokens.accessTokens.get(value);
    if (access) access.revoked = true;
    const refreshToken = state.tokens.refreshTokens.get(value);
    if (refreshToken) refreshToken.revoked = true;
    // LinkedIn returns 200 with an empty body, also for an unknown token.
    sendEmpty(res, 200);
  });
}
