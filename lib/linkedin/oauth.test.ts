import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWK,
} from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  OAuthError,
  buildAuthorizeUrl,
  decodeScopeError,
  exchangeCode,
  refreshAccessToken,
  revokeToken,
  verifyIdToken,
} from "./oauth";
import {
  startTestServer,
  type RecordedRequest,
  type Reply,
  type TestServer,
} from "./test-server";

const NOW = new Date("2026-12-04T10:00:00Z");
const CLIENT = { clientId: "client-1", clientSecret: "shh" };

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  handler: (request: RecordedRequest) => Reply,
): Promise<TestServer> {
  server = await startTestServer(handler);
  return server;
}

function form(request: RecordedRequest | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request?.body ?? ""));
}

describe("buildAuthorizeUrl", () => {
  it("encodes every parameter", () => {
    const url = buildAuthorizeUrl({
      oauthBase: "http://127.0.0.1:9/",
      clientId: "client-1",
      redirectUri: "http://127.0.0.1:3000/api/connect/callback",
      state: "s t",
      scopes: ["r_member_postAnalytics", "rw_organization_admin"],
    });
    expect(url).toBe(
      "http://127.0.0.1:9/oauth/v2/authorization?response_type=code&client_id=client-1" +
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fapi%2Fconnect%2Fcallback" +
        "&state=s%20t&scope=r_member_postAnalytics%20rw_organization_admin",
    );
  });
});

describe("exchangeCode", () => {
  it("posts the form and parses tokens", async () => {
    const target = await serve(() => ({
      body: {
        access_token: "AT",
        expires_in: 5183999,
        scope: "email,openid,profile",
        token_type: "Bearer",
        id_token: "ID",
        refresh_token: "RT",
        refresh_token_expires_in: 31536000,
      },
    }));
    const tokens = await exchangeCode({
      oauthBase: target.url,
      ...CLIENT,
      code: "c0de",
      redirectUri: "http://127.0.0.1:3000/cb",
      now: NOW,
    });

    const request = target.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/oauth/v2/accessToken");
    expect(request?.headers["content-type"]).toBe(
      "application/x-www-form-urlencoded",
    );
    expect(form(request)).toEqual({
      grant_type: "authorization_code",
      code: "c0de",
      redirect_uri: "http://127.0.0.1:3000/cb",
      client_id: "client-1",
      client_secret: "shh",
    });
    expect(tokens.accessToken).toBe("AT");
    expect(tokens.scopes).toEqual(["email", "openid", "profile"]);
    expect(tokens.expiresAt.toISOString()).toBe("2027-02-02T09:59:59.000Z");
    expect(tokens.refreshToken).toBe("RT");
    expect(tokens.refreshTokenExpiresAt?.toISOString()).toBe(
      "2027-12-04T10:00:00.000Z",
    );
    expect(tokens.idToken).toBe("ID");
  });

  it("defaults missing refresh fields to null", async () => {
    const target = await serve(() => ({
      body: { access_token: "AT", expires_in: 60, scope: "openid" },
    }));
    const tokens = await exchangeCode({
      oauthBase: target.url,
      ...CLIENT,
      code: "c",
      redirectUri: "r",
    });
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.refreshTokenExpiresAt).toBeNull();
    expect(tokens.idToken).toBeNull();
  });

  it("maps an OAuth error body", async () => {
    const target = await serve(() => ({
      status: 400,
      body: {
        error: "invalid_redirect_uri",
        error_description: "Unable to retrieve access token",
      },
    }));
    const error: unknown = await exchangeCode({
      oauthBase: target.url,
      ...CLIENT,
      code: "c",
      redirectUri: "r",
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).code).toBe("invalid_redirect_uri");
    expect((error as OAuthError).description).toBe(
      "Unable to retrieve access token",
    );
    expect((error as OAuthError).status).toBe(400);
  });

  it("rejects a body without a token", async () => {
    const target = await serve(() => ({ body: { expires_in: 60 } }));
    const call = exchangeCode({
      oauthBase: target.url,
      ...CLIENT,
      code: "c",
      redirectUri: "r",
    });
    await expect(call).rejects.toMatchObject({ code: "invalid_response" });
  });

  it("maps a non-JSON error", async () => {
    const target = await serve(() => ({ status: 502, body: "Bad Gateway" }));
    const call = exchangeCode({
      oauthBase: target.url,
      ...CLIENT,
      code: "c",
      redirectUri: "r",
    });
    await expect(call).rejects.toMatchObject({
      code: "invalid_response",
      status: 502,
    });
  });
});

describe("refreshAccessToken", () => {
  it("sends the refresh grant", async () => {
    const target = await serve(() => ({
      body: { access_token: "AT2", expires_in: 60 },
    }));
    const tokens = await refreshAccessToken({
      oauthBase: target.url,
      ...CLIENT,
      refreshToken: "RT",
    });
    expect(form(target.requests[0])).toEqual({
      grant_type: "refresh_token",
      refresh_token: "RT",
      client_id: "client-1",
      client_secret: "shh",
    });
    expect(tokens.accessToken).toBe("AT2");
  });

  it("maps invalid_grant", async () => {
    const target = await serve(() => ({
      status: 400,
      body: { error: "invalid_grant" },
    }));
    const call = refreshAccessToken({
      oauthBase: target.url,
      ...CLIENT,
      refreshToken: "dead",
    });
    await expect(call).rejects.toMatchObject({
      code: "invalid_grant",
      description: null,
    });
  });
});

describe("revokeToken", () => {
  it("accepts an empty 200", async () => {
    const target = await serve(() => ({ status: 200 }));
    await revokeToken({ oauthBase: target.url, ...CLIENT, token: "AT" });
    expect(target.requests[0]?.url).toBe("/oauth/v2/revoke");
    expect(form(target.requests[0])).toEqual({
      token: "AT",
      client_id: "client-1",
      client_secret: "shh",
    });
  });

  it("maps a failed revoke", async () => {
    const target = await serve(() => ({
      status: 401,
      body: { error: "invalid_client" },
    }));
    const call = revokeToken({ oauthBase: target.url, ...CLIENT, token: "AT" });
    await expect(call).rejects.toMatchObject({ code: "invalid_client" });
  });
});

describe("verifyIdToken", () => {
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let publicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    privateKey = pair.privateKey;
    publicJwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: "k1",
      alg: "RS256",
      use: "sig",
    };
    otherKey = (await generateKeyPair("RS256")).privateKey;
  });

  async function serveJwks(): Promise<TestServer> {
    return serve((request) =>
      request.url === "/oauth/openid/jwks"
        ? { body: { keys: [publicJwk] } }
        : { status: 404 },
    );
  }

  function sign(
    target: TestServer,
    overrides: {
      issuer?: string;
      audience?: string;
      expiresAt?: number;
      key?: CryptoKey;
    } = {},
  ): Promise<string> {
    const issuedAt = Math.floor(NOW.getTime() / 1000);
    return new SignJWT({ name: "Ada", email_verified: "true", locale: "en_US" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setSubject("782bbtaQ")
      .setIssuer(overrides.issuer ?? `${target.url}/oauth`)
      .setAudience(overrides.audience ?? CLIENT.clientId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(overrides.expiresAt ?? issuedAt + 3600)
      .sign(overrides.key ?? privateKey);
  }

  it("returns the sub", async () => {
    const target = await serveJwks();
    const token = await sign(target);
    const sub = await verifyIdToken(token, {
      oauthBase: target.url,
      clientId: CLIENT.clientId,
      now: NOW,
    });
    expect(sub).toBe("782bbtaQ");
  });

  it("rejects a wrong issuer", async () => {
    const target = await serveJwks();
    const token = await sign(target, { issuer: "https://www.linkedin.com" });
    const call = verifyIdToken(token, {
      oauthBase: target.url,
      clientId: CLIENT.clientId,
      now: NOW,
    });
    await expect(call).rejects.toMatchObject({ code: "invalid_id_token" });
  });

  it("rejects a wrong audience", async () => {
    const target = await serveJwks();
    const token = await sign(target, { audience: "another-app" });
    const call = verifyIdToken(token, {
      oauthBase: target.url,
      clientId: CLIENT.clientId,
      now: NOW,
    });
    await expect(call).rejects.toThrow(/aud/);
  });

  it("rejects an expired token", async () => {
    const target = await serveJwks();
    const token = await sign(target, {
      expiresAt: Math.floor(NOW.getTime() / 1000) - 60,
    });
    const call = verifyIdToken(token, {
      oauthBase: target.url,
      clientId: CLIENT.clientId,
      now: NOW,
    });
    await expect(call).rejects.toThrow(/exp/);
  });

  it("rejects a bad signature", async () => {
    const target = await serveJwks();
    const token = await sign(target, { key: otherKey });
    const call = verifyIdToken(token, {
      oauthBase: target.url,
      clientId: CLIENT.clientId,
      now: NOW,
    });
    await expect(call).rejects.toThrow(/signature verification failed/);
  });
});

describe("decodeScopeError", () => {
  it("decodes a form-encoded description", () => {
    expect(
      decodeScopeError(
        "Scope+%26quot%3Br_emailaddress%26quot%3B+is+not+authorized+for+your+application",
      ),
    ).toBe('Scope "r_emailaddress" is not authorized for your application');
  });

  it("decodes HTML entities", () => {
    expect(
      decodeScopeError(
        "Scope &quot;r_emailaddress&quot; is not authorized for your application",
      ),
    ).toBe('Scope "r_emailaddress" is not authorized for your application');
  });

  it("keeps a malformed escape", () => {
    expect(decodeScopeError("100%ZZ &amp; more %2")).toBe("100%ZZ & more %2");
  });
});
