import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./server";
import {
  authorizeUrl,
  CLIENT_ID,
  control,
  signIn,
  startTestEmulator,
  TEST_NOW,
} from "./test-support";

const SIGN_IN = "openid profile email";

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

async function verify(idToken: string) {
  const jwks = createRemoteJWKSet(new URL(`${emulator.url}/oauth/openid/jwks`));
  return jwtVerify(idToken, jwks, {
    issuer: `${emulator.url}/oauth`,
    audience: CLIENT_ID,
    currentDate: new Date(TEST_NOW),
  });
}

async function faultyIdToken(fault: string): Promise<string> {
  await control(emulator, "/config", { idTokenFault: fault });
  const body = await signIn(emulator, "ada", SIGN_IN);
  return body.id_token ?? "";
}

describe("idTokenFault switch", () => {
  it("is off by default", async () => {
    const config = (await (await control(emulator, "/config")).json()) as {
      idTokenFault: unknown;
    };
    expect(config.idTokenFault).toBeNull();
    const body = await signIn(emulator, "ada", SIGN_IN);
    await expect(verify(body.id_token ?? "")).resolves.toBeDefined();
  });

  it("issuer uses the pre-2024 bare origin", async () => {
    const idToken = await faultyIdToken("issuer");
    expect(decodeJwt(idToken).iss).toBe(emulator.url);
    await expect(verify(idToken)).rejects.toThrow(/"iss" claim/);
  });

  it("audience names another client", async () => {
    const idToken = await faultyIdToken("audience");
    expect(decodeJwt(idToken).aud).toBe(`${CLIENT_ID}-other`);
    await expect(verify(idToken)).rejects.toThrow(/"aud" claim/);
  });

  it("signature fails against the JWKS", async () => {
    const idToken = await faultyIdToken("signature");
    expect(decodeJwt(idToken).iss).toBe(`${emulator.url}/oauth`);
    await expect(verify(idToken)).rejects.toThrow(/signature/);
  });

  it("expired token ended an hour ago", async () => {
    const idToken = await faultyIdToken("expired");
    const claims = decodeJwt(idToken);
    expect(claims.exp).toBe(Date.parse(TEST_NOW) / 1000 - 3600);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    await expect(verify(idToken)).rejects.toThrow(/"exp" claim/);
  });

  it("rejects an unknown fault name", async () => {
    const response = await control(emulator, "/config", {
      idTokenFault: "nonce",
    });
    expect(response.status).toBe(400);
  });
});

describe("unauthorizedScopes switch", () => {
  it("rejects a listed scope on authorize", async () => {
    await control(emulator, "/config", { unauthorizedScopes: ["email"] });
    const response = await fetch(authorizeUrl(emulator, { scope: SIGN_IN }), {
      redirect: "manual",
    });
    const location = new URL(response.headers.get("location") ?? "");
    expect(response.status).toBe(302);
    expect(location.searchParams.get("error")).toBe("unauthorized_scope_error");
    expect(location.searchParams.get("error_description")).toBe(
      "Scope &quot;email&quot; is not authorized for your application",
    );
    expect(location.searchParams.get("state")).toBe("test-state");
  });
});

describe("oauthUnavailable switch", () => {
  it("answers 503 on every OAuth route", async () => {
    await control(emulator, "/config", { oauthUnavailable: true });
    const discovery = await fetch(
      `${emulator.url}/oauth/.well-known/openid-configuration`,
    );
    const authorize = await fetch(authorizeUrl(emulator));
    const token = await fetch(`${emulator.url}/oauth/v2/accessToken`, {
      method: "POST",
    });
    expect(discovery.status).toBe(503);
    expect(authorize.status).toBe(503);
    expect(token.status).toBe(503);
  });

  it("leaves the control API answering", async () => {
    await control(emulator, "/config", { oauthUnavailable: true });
    const response = await control(emulator, "/config");
    expect(response.status).toBe(200);
  });
});
