import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pairwiseSub } from "./members";
import type { RunningEmulator } from "./server";
import {
  authorizationCode,
  authorizeUrl,
  CLIENT_ID,
  CLIENT_SECRET,
  consent,
  control,
  exchangeCode,
  postForm,
  restGet,
  signIn,
  startTestEmulator,
  TEST_NOW,
} from "./test-support";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await control(emulator, "/reset", {});
  await control(emulator, "/clock", { now: TEST_NOW });
});

describe("discovery", () => {
  it("names the emulator's own endpoints", async () => {
    const response = await fetch(
      `${emulator.url}/oauth/.well-known/openid-configuration`,
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.issuer).toBe(`${emulator.url}/oauth`);
    expect(body.authorization_endpoint).toBe(
      `${emulator.url}/oauth/v2/authorization`,
    );
    expect(body.token_endpoint).toBe(`${emulator.url}/oauth/v2/accessToken`);
    expect(body.userinfo_endpoint).toBe(`${emulator.url}/v2/userinfo`);
    expect(body.jwks_uri).toBe(`${emulator.url}/oauth/openid/jwks`);
    expect(body.id_token_signing_alg_values_supported).toEqual(["RS256"]);
    expect(body.token_endpoint_auth_methods_supported).toEqual([
      "client_secret_post",
    ]);
  });
});

describe("authorize page", () => {
  it("lists members and scopes in words", async () => {
    const html = await (await fetch(authorizeUrl(emulator))).text();
    expect(html).toContain('type="radio" name="member" value="ada"');
    expect(html).toContain("Ada Lovelace (ada@example.com)");
    expect(html).toContain("Read the analytics of your posts");
    expect(html).toContain('value="allow">Allow</button>');
    expect(html).toContain('value="cancel" formnovalidate>Cancel</button>');
  });

  it("cancel redirects with user_cancelled_authorize", async () => {
    const location = await consent(emulator, "ada", {}, "cancel");
    expect(location.searchParams.get("error")).toBe("user_cancelled_authorize");
    expect(location.searchParams.get("state")).toBe("test-state");
  });

  it("unauthorized scope quotes the name as an entity", async () => {
    const response = await fetch(
      authorizeUrl(emulator, { scope: "openid r_emailaddress" }),
      { redirect: "manual" },
    );
    const location = response.headers.get("location") ?? "";
    expect(response.status).toBe(302);
    expect(location).toContain("error=unauthorized_scope_error");
    expect(location).toContain(
      "error_description=Scope+%26quot%3Br_emailaddress%26quot%3B+is+not+authorized+for+your+application",
    );
  });

  it("rejects r_liteprofile", async () => {
    const response = await fetch(
      authorizeUrl(emulator, { scope: "r_liteprofile" }),
      { redirect: "manual" },
    );
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe("unauthorized_scope_error");
  });

  it("rejects a redirect URI that is not exact", async () => {
    const response = await fetch(
      authorizeUrl(emulator, {
        redirect_uri: "http://localhost:3000/api/auth/callback/linkedin/",
      }),
      { redirect: "manual" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("rejects an unknown client_id", async () => {
    const response = await fetch(
      authorizeUrl(emulator, { client_id: "other" }),
    );
    expect(response.status).toBe(400);
  });

  it("rejects response_type token", async () => {
    const response = await fetch(
      authorizeUrl(emulator, { response_type: "token" }),
      { redirect: "manual" },
    );
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.searchParams.get("error")).toBe(
      "unsupported_response_type",
    );
  });
});

describe("remembered consent", () => {
  it("skips the screen for the same scopes", async () => {
    await control(emulator, "/config", { rememberConsent: true });
    const code = await authorizationCode(emulator, "ada");
    await exchangeCode(emulator, code);
    const page = await fetch(authorizeUrl(emulator));
    const requestId =
      /name="request_id" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    const allowed = await fetch(`${emulator.url}/oauth/v2/authorization`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        request_id: requestId,
        member: "ada",
        decision: "allow",
      }),
    });
    const cookie = allowed.headers.get("set-cookie")?.split(";")[0] ?? "";

    const again = await fetch(authorizeUrl(emulator), {
      redirect: "manual",
      headers: { cookie },
    });
    const location = new URL(again.headers.get("location") ?? "");
    expect(cookie).toBe("li_emulator_member=ada");
    expect(again.status).toBe(302);
    expect(location.searchParams.get("code")).toBeTypeOf("string");
  });
});

describe("token endpoint", () => {
  it("full flow gives a verifiable id_token", async () => {
    const body = await signIn(emulator, "ada", "openid profile email");
    expect(body.expires_in).toBe(5184000);
    expect(body.scope).toBe("email,openid,profile");
    expect(body.token_type).toBe("Bearer");
    expect(body.refresh_token).toBeUndefined();

    const jwks = createRemoteJWKSet(
      new URL(`${emulator.url}/oauth/openid/jwks`),
    );
    const { payload, protectedHeader } = await jwtVerify(
      body.id_token ?? "",
      jwks,
      {
        issuer: `${emulator.url}/oauth`,
        audience: CLIENT_ID,
        currentDate: new Date(TEST_NOW),
      },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(protectedHeader.kid).toBeTypeOf("string");
    expect(payload.sub).toBe(pairwiseSub(CLIENT_ID, "ada"));
    expect(payload.name).toBe("Ada Lovelace");
    expect(payload.email).toBe("ada@example.com");
    expect(payload.email_verified).toBe("true");
    expect(payload.locale).toBe("en_US");
    expect(payload.nonce).toBeUndefined();
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it("omits id_token without openid", async () => {
    const body = await signIn(emulator, "ada", "r_member_postAnalytics");
    expect(body.id_token).toBeUndefined();
  });

  it("code works once", async () => {
    const code = await authorizationCode(emulator, "grace");
    const first = await exchangeCode(emulator, code);
    const second = await exchangeCode(emulator, code);
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe(
      "invalid_request",
    );
  });

  it("code expires after 30 minutes", async () => {
    const code = await authorizationCode(emulator, "grace");
    await control(emulator, "/clock", { advanceMs: 30 * 60 * 1000 + 1000 });
    const response = await exchangeCode(emulator, code);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_redirect_uri",
    );
  });

  it("redirect URI must match the code", async () => {
    const code = await authorizationCode(emulator, "grace");
    const response = await exchangeCode(emulator, code, {
      redirect_uri: "http://localhost:3000/api/connections/linkedin/callback",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_redirect_uri",
    );
  });

  it("rejects PKCE code_verifier", async () => {
    const code = await authorizationCode(emulator, "grace");
    const response = await exchangeCode(emulator, code, {
      code_verifier: "x".repeat(43),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_client",
    );
  });

  it("rejects a wrong client secret", async () => {
    const code = await authorizationCode(emulator, "grace");
    const response = await exchangeCode(emulator, code, {
      client_secret: "wrong",
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_client",
    );
  });

  it("rejects a missing code", async () => {
    const response = await postForm(emulator, "/oauth/v2/accessToken", {
      grant_type: "authorization_code",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_request",
    );
  });
});

describe("refresh tokens", () => {
  it("are issued only when switched on", async () => {
    await control(emulator, "/config", { refreshTokens: true });
    const body = await signIn(emulator, "ada");
    expect(body.refresh_token).toBeTypeOf("string");
    expect(body.refresh_token_expires_in).toBeLessThanOrEqual(365 * 86400);
    expect(body.refresh_token_expires_in).toBeGreaterThan(365 * 86400 - 5);
  });

  it("refresh keeps the first grant's year", async () => {
    await control(emulator, "/config", { refreshTokens: true });
    const first = await signIn(emulator, "ada");
    await control(emulator, "/clock", { advanceMs: 10 * 86_400_000 });
    const response = await postForm(emulator, "/oauth/v2/accessToken", {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const body = (await response.json()) as {
      access_token: string;
      refresh_token_expires_in: number;
    };
    expect(response.status).toBe(200);
    expect(body.access_token).not.toBe(first.access_token);
    // The virtual clock runs on in real time, so allow a few seconds.
    expect(body.refresh_token_expires_in).toBeLessThanOrEqual(355 * 86400);
    expect(body.refresh_token_expires_in).toBeGreaterThan(355 * 86400 - 5);
  });

  it("dead refresh token gives invalid_grant", async () => {
    await control(emulator, "/config", { refreshTokens: true });
    const first = await signIn(emulator, "ada");
    await control(emulator, "/clock", { advanceMs: 366 * 86_400_000 });
    const response = await postForm(emulator, "/oauth/v2/accessToken", {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token ?? "",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      "invalid_grant",
    );
  });
});

describe("userinfo and me", () => {
  it("userinfo uses boolean and object quirks", async () => {
    const { access_token } = await signIn(
      emulator,
      "grace",
      "openid profile email",
    );
    const response = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.sub).toBe(pairwiseSub(CLIENT_ID, "grace"));
    expect(body.email_verified).toBe(true);
    expect(body.locale).toEqual({ country: "US", language: "en" });
    expect(body.email).toBe("grace@example.com");
  });

  it("userinfo omits email without the scope", async () => {
    const { access_token } = await signIn(emulator, "grace", "openid profile");
    const response = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.email).toBeUndefined();
    expect(body.email_verified).toBeUndefined();
  });

  it("picture URL is served", async () => {
    const { access_token } = await signIn(emulator, "grace", "openid profile");
    const info = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const { picture } = (await info.json()) as { picture: string };
    const image = await fetch(picture);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
  });

  it("me rejects an OIDC-only token", async () => {
    const { access_token } = await signIn(
      emulator,
      "grace",
      "openid profile email",
    );
    const response = await fetch(`${emulator.url}/v2/me`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(403);
    expect(body.code).toBe("ACCESS_DENIED");
    expect(body.message).toBe(
      "Not enough permissions to access: me.GET.NO_VERSION",
    );
  });
});

describe("introspect and revoke", () => {
  it("introspect reports an active token", async () => {
    const { access_token } = await signIn(emulator, "ada");
    const response = await postForm(emulator, "/oauth/v2/introspectToken", {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      token: access_token,
    });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.active).toBe(true);
    expect(body.status).toBe("active");
    expect(body.client_id).toBe(CLIENT_ID);
  });

  it("revoked token answers 65601", async () => {
    const { access_token } = await signIn(emulator, "ada");
    const revoke = await postForm(emulator, "/oauth/v2/revoke", {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      token: access_token,
    });
    expect(revoke.status).toBe(200);
    expect(await revoke.text()).toBe("");

    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      access_token,
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(401);
    expect(body.serviceErrorCode).toBe(65601);
    expect(body.code).toBe("REVOKED_ACCESS_TOKEN");
  });

  it("revokedMembers switch answers 65601", async () => {
    const { access_token } = await signIn(emulator, "ada");
    await control(emulator, "/config", { revokedMembers: ["ada"] });
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      access_token,
    );
    expect(response.status).toBe(401);
    expect(
      ((await response.json()) as { serviceErrorCode: number })
        .serviceErrorCode,
    ).toBe(65601);
  });

  it("expiredMembers switch answers 65600", async () => {
    const { access_token } = await signIn(emulator, "ada");
    await control(emulator, "/config", { expiredMembers: ["ada"] });
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      access_token,
    );
    expect(response.status).toBe(401);
    expect(
      ((await response.json()) as { serviceErrorCode: number })
        .serviceErrorCode,
    ).toBe(65600);
  });

  it("token expires after 60 days", async () => {
    const { access_token } = await signIn(emulator, "ada");
    await control(emulator, "/clock", { advanceMs: 5_184_000_000 });
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      access_token,
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe(
      "INVALID_ACCESS_TOKEN",
    );
  });

  it("new scope set invalidates older tokens", async () => {
    const first = await signIn(emulator, "ada");
    await signIn(emulator, "ada", "openid profile");
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      first.access_token,
    );
    expect(response.status).toBe(401);
  });

  it("same scope set keeps older tokens", async () => {
    const first = await signIn(emulator, "ada");
    await signIn(emulator, "ada");
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      first.access_token,
    );
    expect(response.status).toBe(200);
  });
});
