import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { authConfig } from "@/lib/auth/config";
import { withSignInFailureReason } from "@/lib/auth/sign-in-failure";
import type { DatabaseHandle } from "@/lib/db/client";
import { accounts, sessions, users } from "@/lib/db/schema";
import { loadEnv } from "@/lib/env";
import { testEngines } from "../helpers/databases";

// Drives every OAuth error path of sign-in through Auth.js's real route
// handlers, the emulator and a real database. Each path must redirect to the
// sign-in page with a specific reason and log once without secrets. It must
// also write no user, account or session.

const APP_URL = "http://localhost:3999";
const CALLBACK_URL = `${APP_URL}/api/auth/callback/linkedin`;
const CLIENT = { clientId: "inview-auth-test", clientSecret: "auth-secret-x" };

type Handler = (request: NextRequest) => Promise<Response>;
type LogLine = { level: number; msg: string; reason?: string | null };

/** A browser's cookie store for one origin, enough for Auth.js's cookies. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) =>
        /^\s*max-age=0\s*$/i.test(attribute),
      );
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join("; ");
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  copy(): CookieJar {
    const jar = new CookieJar();
    for (const [name, value] of this.cookies) jar.cookies.set(name, value);
    return jar;
  }
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function testEnv(oauthBase: string) {
  return loadEnv({
    NODE_ENV: "test",
    DATA_DIR: path.join(os.tmpdir(), "inview-sign-in-errors"),
    APP_URL,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    TOKEN_ENCRYPTION_KEYS: `test:${randomBytes(32).toString("base64")}`,
    LINKEDIN_CLIENT_ID: CLIENT.clientId,
    LINKEDIN_CLIENT_SECRET: CLIENT.clientSecret,
    LINKEDIN_OAUTH_BASE: oauthBase,
    LINKEDIN_API_BASE: oauthBase,
  });
}

describe.each(testEngines())("sign-in errors on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let GET: Handler;
  let POST: Handler;
  let logLines: LogLine[];
  let logText: string;

  function buildHandlers(oauthBase: string) {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logText += chunk.toString();
        for (const line of chunk.toString().split("\n")) {
          if (line.trim() !== "") logLines.push(JSON.parse(line) as LogLine);
        }
        done();
      },
    });
    const log = pino({ level: "info" }, stream);
    const { handlers } = NextAuth(
      authConfig(handle.db, testEnv(oauthBase), log),
    );
    return {
      GET: withSignInFailureReason(handlers.GET),
      POST: withSignInFailureReason(handlers.POST),
    };
  }

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startEmulator({
      port: 0,
      ...CLIENT,
      redirectUris: [CALLBACK_URL],
    });
    ({ GET, POST } = buildHandlers(emulator.url));
  });

  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  beforeEach(async () => {
    await control("/reset", {});
    logLines = [];
    logText = "";
  });

  async function control(route: string, body: unknown): Promise<void> {
    const response = await fetch(`${emulator.url}/__emulator${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, `control ${route}`).toBe(200);
  }

  async function rowCounts() {
    return {
      users: await handle.db.$count(users),
      accounts: await handle.db.$count(accounts),
      sessions: await handle.db.$count(sessions),
    };
  }

  function appRequest(
    url: string,
    jar: CookieJar,
    init: {
      method?: string;
      body?: URLSearchParams;
      headers?: HeadersInit;
    } = {},
  ) {
    const headers = new Headers(init.headers);
    headers.set("cookie", jar.header());
    return new NextRequest(new URL(url, APP_URL), {
      method: init.method,
      body: init.body,
      headers,
    });
  }

  /** Clicks "Sign in with LinkedIn": returns where Auth.js redirects the browser. */
  async function startSignIn(
    jar: CookieJar,
    routes = { GET, POST },
  ): Promise<URL> {
    const csrf = await routes.GET(appRequest("/api/auth/csrf", jar));
    jar.store(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const response = await routes.POST(
      appRequest("/api/auth/signin/linkedin", jar, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken, callbackUrl: "/dashboard" }),
      }),
    );
    jar.store(response);
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location") ?? "");
  }

  /** Picks Ada on the emulator's authorize page; returns LinkedIn's redirect to the app. */
  async function decide(
    authorizeUrl: URL,
    decision: "allow" | "cancel",
  ): Promise<URL> {
    const page = await fetch(authorizeUrl, { redirect: "manual" });
    if (page.status === 302) return new URL(page.headers.get("location") ?? "");
    const html = await page.text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    if (!requestId) throw new Error(`No consent form (HTTP ${page.status})`);
    const answer = await fetch(`${emulator.url}/oauth/v2/authorization`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        request_id: requestId,
        member: "ada",
        decision,
      }),
    });
    return new URL(answer.headers.get("location") ?? "");
  }

  /** Lands on the app's callback; returns where the app redirects the browser. */
  async function callback(url: URL, jar: CookieJar): Promise<URL> {
    const response = await GET(appRequest(url.toString(), jar));
    jar.store(response);
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location") ?? "");
  }

  async function callbackUrlFor(jar: CookieJar): Promise<URL> {
    const redirect = await decide(await startSignIn(jar), "allow");
    expect(redirect.toString()).toMatch(`${CALLBACK_URL}?code=`);
    return redirect;
  }

  function expectSignInError(landing: URL, error: string, reason: string) {
    expect(landing.origin + landing.pathname).toBe(`${APP_URL}/sign-in`);
    expect(landing.searchParams.get("error")).toBe(error);
    expect(landing.searchParams.get("reason")).toBe(reason);
  }

  /** Exactly one failure line with the reason, and no secret in any line. */
  function expectLoggedOnce(reason: string, secrets: string[]) {
    const failures = logLines.filter((line) => line.msg === "sign-in failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toBe(reason);
    for (const secret of secrets) expect(logText).not.toContain(secret);
    expect(logText).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  }

  it("control: a valid sign-in creates the user", async () => {
    const before = await rowCounts();
    const jar = new CookieJar();
    const landing = await callback(await callbackUrlFor(jar), jar);
    expect(landing.toString()).toBe(`${APP_URL}/dashboard`);
    expect(await rowCounts()).toEqual({
      users: before.users + 1,
      accounts: before.accounts + 1,
      sessions: before.sessions + 1,
    });
    expect(logLines.filter((line) => line.msg === "sign-in failed")).toEqual(
      [],
    );
  });

  describe("on LinkedIn's authorize page", () => {
    it("cancel explains the cancellation", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const redirect = await decide(await startSignIn(jar), "cancel");
      const landing = await callback(redirect, jar);
      expectSignInError(
        landing,
        "OAuthCallbackError",
        "user_cancelled_authorize",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("user_cancelled_authorize", []);
      expect(logLines[0]?.level).toBe(30);
    });

    it("unauthorized scope names LinkedIn's refusal", async () => {
      await control("/config", { unauthorizedScopes: ["email"] });
      const before = await rowCounts();
      const jar = new CookieJar();
      const redirect = await decide(await startSignIn(jar), "allow");
      expect(redirect.searchParams.get("error")).toBe(
        "unauthorized_scope_error",
      );
      const landing = await callback(redirect, jar);
      expectSignInError(
        landing,
        "OAuthCallbackError",
        "unauthorized_scope_error",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("unauthorized_scope_error", []);
    });
  });

  describe("state", () => {
    it("missing state parameter is rejected", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      const code = url.searchParams.get("code") ?? "";
      url.searchParams.delete("state");
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "state_invalid",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("state_invalid", [code]);
    });

    it("tampered state parameter is rejected", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      const state = url.searchParams.get("state") ?? "";
      url.searchParams.set("state", `${state.slice(0, -4)}AAAA`);
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "state_invalid",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("state_invalid", [state]);
    });

    it("state cookie missing is rejected", async () => {
      const before = await rowCounts();
      const url = await callbackUrlFor(new CookieJar());
      expectSignInError(
        await callback(url, new CookieJar()),
        "Configuration",
        "state_invalid",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("state_invalid", []);
    });

    it("replayed callback is rejected", async () => {
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      const stolenJar = jar.copy();
      await callback(url, jar);
      expect(jar.names()).not.toContain("authjs.state");
      const afterFirst = await rowCounts();
      logLines = [];

      // The same browser: Auth.js deleted its state cookie on success.
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "state_invalid",
      );
      expectLoggedOnce("state_invalid", [url.searchParams.get("code") ?? ""]);

      // A copy of the cookies taken before the callback: LinkedIn rejects the spent code.
      logLines = [];
      expectSignInError(
        await callback(url, stolenJar),
        "Configuration",
        "code_rejected",
      );
      expectLoggedOnce("code_rejected", [url.searchParams.get("code") ?? ""]);
      expect(await rowCounts()).toEqual(afterFirst);
    });
  });

  describe("authorization code", () => {
    it("expired code is rejected", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      // LinkedIn's codes live 30 minutes.
      await control("/clock", { advanceMs: 31 * 60 * 1000 });
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "code_rejected",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("code_rejected", [url.searchParams.get("code") ?? ""]);
    });

    it("code already redeemed is rejected", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      const code = url.searchParams.get("code") ?? "";
      const redeemed = await fetch(`${emulator.url}/oauth/v2/accessToken`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: CALLBACK_URL,
          client_id: CLIENT.clientId,
          client_secret: CLIENT.clientSecret,
        }),
      });
      expect(redeemed.status).toBe(200);
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "code_rejected",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("code_rejected", [code]);
    });
  });

  describe("id_token", () => {
    // Auth.js checks issuer, audience and expiry itself; the signature is
    // checked by Inview's signIn callback, which Auth.js reports as AccessDenied.
    const faults = [
      { fault: "issuer", error: "Configuration" },
      { fault: "audience", error: "Configuration" },
      { fault: "expired", error: "Configuration" },
      { fault: "signature", error: "AccessDenied" },
    ];

    it.each(faults)("wrong $fault is rejected", async ({ fault, error }) => {
      await control("/config", { idTokenFault: fault });
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      expectSignInError(await callback(url, jar), error, "id_token_invalid");
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("id_token_invalid", [
        url.searchParams.get("code") ?? "",
      ]);
    });
  });

  describe("LinkedIn unavailable", () => {
    it("503 before the authorize page", async () => {
      await control("/config", { oauthUnavailable: true });
      const before = await rowCounts();
      const landing = await startSignIn(new CookieJar());
      expectSignInError(landing, "Configuration", "linkedin_unavailable");
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("linkedin_unavailable", []);
    });

    it("503 on the callback", async () => {
      const before = await rowCounts();
      const jar = new CookieJar();
      const url = await callbackUrlFor(jar);
      await control("/config", { oauthUnavailable: true });
      expectSignInError(
        await callback(url, jar),
        "Configuration",
        "linkedin_unavailable",
      );
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("linkedin_unavailable", [
        url.searchParams.get("code") ?? "",
      ]);
    });

    it("closed port before the authorize page", async () => {
      const unreachable = buildHandlers(await closedPortUrl());
      const before = await rowCounts();
      const landing = await startSignIn(new CookieJar(), unreachable);
      expectSignInError(landing, "Configuration", "linkedin_unavailable");
      expect(await rowCounts()).toEqual(before);
      expectLoggedOnce("linkedin_unavailable", []);
    });
  });
});
