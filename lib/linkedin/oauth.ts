// LinkedIn OAuth 2.0 for the "connect analytics" flow. Sign-in itself goes
// through Auth.js, and this module covers the extra grant for analytics.

import { createRemoteJWKSet, jwtVerify } from "jose";
import { z } from "zod";
import { DEFAULT_TIMEOUT_MS } from "./config";
import { parseGrantedScopes } from "./scopes";

/** An OAuth error body `{error, error_description}` or a failed request. */
export class OAuthError extends Error {
  /** OAuth error code such as `invalid_grant`, or `request_failed`. */
  readonly code: string;
  readonly description: string | null;
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;

  constructor(
    details: {
      code: string;
      description: string | null;
      status: number | null;
    },
    options?: ErrorOptions,
  ) {
    super(
      details.description
        ? `${details.code}: ${details.description}`
        : details.code,
      options,
    );
    this.name = "OAuthError";
    this.code = details.code;
    this.description = details.description;
    this.status = details.status;
  }
}

export type TokenSet = {
  accessToken: string;
  expiresAt: Date;
  scopes: string[];
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
  /** Present when `openid` was granted. */
  idToken: string | null;
};

type ClientCredentials = {
  /** Origin of LinkedIn's OAuth host, such as `https://www.linkedin.com`. */
  oauthBase: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Current time for the expiry dates; defaults to the clock. */
  now?: Date;
};

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  refresh_token_expires_in: z.number().positive().optional(),
  id_token: z.string().optional(),
});

const errorBodySchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

function trimBase(base: string): string {
  return base.replace(/\/+$/, "");
}

/** Builds the authorization URL, joining the scopes with spaces sent as %20. */
export function buildAuthorizeUrl(options: {
  oauthBase: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: readonly string[];
}): string {
  const params = {
    response_type: "code",
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    state: options.state,
    scope: options.scopes.join(" "),
  };
  const query = Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join("&");
  return `${trimBase(options.oauthBase)}/oauth/v2/authorization?${query}`;
}

/** POSTs a form to an OAuth endpoint and returns the body of a 2xx response. */
async function postForm(
  credentials: ClientCredentials,
  path: string,
  form: Record<string, string>,
): Promise<string> {
  const fetchImpl = credentials.fetch ?? globalThis.fetch;
  const body = new URLSearchParams({
    ...form,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(`${trimBase(credentials.oauthBase)}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body,
      signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OAuthError(
      {
        code: "request_failed",
        description: `POST ${path} failed: ${reason}`,
        status: null,
      },
      { cause: error },
    );
  }
  if (!response.ok) {
    throw toOAuthError(response.status, text);
  }
  return text;
}

function toOAuthError(status: number, text: string): OAuthError {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: fall through to the generic error below.
  }
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) {
    return new OAuthError({
      code: parsed.data.error,
      description: parsed.data.error_description ?? null,
      status,
    });
  }
  return new OAuthError({
    code: "invalid_response",
    description: `LinkedIn returned HTTP ${status} without an OAuth error body`,
    status,
  });
}

function parseTokenResponse(text: string, now: Date): TokenSet {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Reported by the schema check below.
  }
  const parsed = tokenResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new OAuthError({
      code: "invalid_response",
      description: `Unexpected token response: ${z.prettifyError(parsed.error)}`,
      status: 200,
    });
  }
  const token = parsed.data;
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  return {
    accessToken: token.access_token,
    expiresAt: at(token.expires_in),
    scopes: parseGrantedScopes(token.scope),
    refreshToken: token.refresh_token ?? null,
    refreshTokenExpiresAt:
      token.refresh_token_expires_in === undefined
        ? null
        : at(token.refresh_token_expires_in),
    idToken: token.id_token ?? null,
  };
}

/**
 * Exchanges an authorization code (client_secret_post). No PKCE: LinkedIn
 * has rejected web apps that send a code_verifier with invalid_client.
 */
export async function exchangeCode(
  options: ClientCredentials & { code: string; redirectUri: string },
): Promise<TokenSet> {
  const text = await postForm(options, "/oauth/v2/accessToken", {
    grant_type: "authorization_code",
    code: options.code,
    redirect_uri: options.redirectUri,
  });
  return parseTokenResponse(text, options.now ?? new Date());
}

/**
 * Exchanges a refresh token for a new access token. Refreshing does not
 * extend the refresh token's own expiry, and an expired one fails with
 * invalid_grant.
 */
export async function refreshAccessToken(
  options: ClientCredentials & { refreshToken: string },
): Promise<TokenSet> {
  const text = await postForm(options, "/oauth/v2/accessToken", {
    grant_type: "refresh_token",
    refresh_token: options.refreshToken,
  });
  return parseTokenResponse(text, options.now ?? new Date());
}

/** Revokes an access token. LinkedIn returns 200 with an empty body. */
export async function revokeToken(
  options: ClientCredentials & { token: string },
): Promise<void> {
  await postForm(options, "/oauth/v2/revoke", { token: options.token });
}

const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(url: string): ReturnType<typeof createRemoteJWKSet> {
  let jwks = jwksCache.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url));
    jwksCache.set(url, jwks);
  }
  return jwks;
}

/**
 * Verifies an id_token's RS256 signature against LinkedIn's JWKS, its issuer
 * `<oauthBase>/oauth`, audience and expiry, and returns its `sub`.
 * LinkedIn's id_token carries no nonce, so none is checked.
 */
export async function verifyIdToken(
  idToken: string,
  options: { oauthBase: string; clientId: string; now?: Date },
): Promise<string> {
  const base = trimBase(options.oauthBase);
  try {
    const { payload } = await jwtVerify(
      idToken,
      jwksFor(`${base}/oauth/openid/jwks`),
      {
        issuer: `${base}/oauth`,
        audience: options.clientId,
        algorithms: ["RS256"],
        currentDate: options.now,
        requiredClaims: ["sub", "exp"],
      },
    );
    if (!payload.sub) {
      throw new Error("the sub claim is empty");
    }
    return payload.sub;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OAuthError(
      {
        code: "invalid_id_token",
        description: `id_token rejected: ${reason}`,
        status: null,
      },
      { cause: error },
    );
  }
}

const HTML_ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&#34;": '"',
  "&apos;": "'",
  "&#39;": "'",
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
};

/**
 * Decodes an error_description such as
 * `Scope+%26quot%3Br_emailaddress%26quot%3B+is+not+authorized...` or
 * `Scope &quot;r_emailaddress&quot; is not authorized...` into plain text:
 * `Scope "r_emailaddress" is not authorized...`.
 */
export function decodeScopeError(description: string): string {
  let text = description;
  if (/%[0-9A-Fa-f]{2}/.test(text)) {
    try {
      text = decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      // A malformed escape: keep the text as it came.
    }
  }
  return text.replace(/&(quot|apos|lt|gt|amp|#34|#39);/g, (entity) => {
    return HTML_ENTITIES[entity] ?? entity;
  });
}
