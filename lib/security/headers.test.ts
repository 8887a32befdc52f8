import { describe, expect, it } from "vitest";
import {
  contentSecurityPolicy,
  isCrossOriginWrite,
  staticSecurityHeaders,
} from "./headers";

const base = {
  scripts: { nonce: "abc123" },
  oauthOrigin: "https://www.linkedin.com",
  https: true,
  development: false,
};

describe("content security policy", () => {
  it("allows scripts only with the nonce", () => {
    const policy = contentSecurityPolicy(base);
    expect(policy).toContain(
      "script-src 'self' 'nonce-abc123' 'strict-dynamic'",
    );
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(policy).not.toContain("'unsafe-eval'");
  });

  it("allows a prerendered page's scripts by hash and origin", () => {
    const policy = contentSecurityPolicy({
      ...base,
      scripts: { hashes: ["sha256-AAAA", "sha256-BBBB"] },
    });
    expect(policy).toContain("script-src 'self' 'sha256-AAAA' 'sha256-BBBB';");
    expect(policy).not.toContain("'nonce-");
    expect(policy).not.toContain("'strict-dynamic'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  it("forbids framing and foreign form targets", () => {
    const policy = contentSecurityPolicy(base);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self' https://www.linkedin.com");
    expect(policy).toContain("object-src 'none'");
  });

  it("upgrades requests only over https", () => {
    expect(contentSecurityPolicy(base)).toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy({ ...base, https: false })).not.toContain(
      "upgrade-insecure-requests",
    );
  });

  it("allows eval only in development", () => {
    expect(contentSecurityPolicy({ ...base, development: true })).toContain(
      "'unsafe-eval'",
    );
  });
});

describe("static security headers", () => {
  it("sends HSTS only over https", () => {
    expect(staticSecurityHeaders(true)["Strict-Transport-Security"]).toMatch(
      /max-age=\d+/,
    );
    expect(
      staticSecurityHeaders(false)["Strict-Transport-Security"],
    ).toBeUndefined();
  });

  it("sets nosniff and a referrer policy", () => {
    const headers = staticSecurityHeaders(false);
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["Permissions-Policy"]).toContain("camera=()");
  });
});

describe("cross-origin write check", () => {
  const app = "http://localhost:3000";
  it.each([
    ["POST", "/api/me/data", "https://evil.example", true],
    ["DELETE", "/api/me/data", null, true],
    ["DELETE", "/api/me/data", app, false],
    ["GET", "/api/metrics.csv", "https://evil.example", false],
    ["POST", "/api/auth/signin/linkedin", "https://evil.example", false],
    ["POST", "/dashboard", "https://evil.example", false],
  ])("%s %s from %s is rejected: %s", (method, path, origin, rejected) => {
    expect(isCrossOriginWrite(method, path, origin, app)).toBe(rejected);
  });
});
