import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LinkedInClient } from "./client";
import {
  BadRequest,
  LinkedInError,
  MissingPermission,
  NotFound,
  RateLimited,
  TokenInvalid,
  TokenRevoked,
  Transient,
  VersionSunset,
  classifyResponse,
  parsePermissionMessage,
  parseRateLimitReset,
  parseRetryAfter,
} from "./errors";
import { startTestServer, type Reply, type TestServer } from "./test-server";

const NOW = new Date("2026-11-10T12:00:00Z");

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

type ErrorCase = {
  name: string;
  reply: Reply;
  errorClass: new (...args: never[]) => LinkedInError;
  fields: Record<string, unknown>;
};

const ERROR_CASES: ErrorCase[] = [
  {
    name: "401 invalid token",
    reply: {
      status: 401,
      body: {
        status: 401,
        serviceErrorCode: 65600,
        code: "INVALID_ACCESS_TOKEN",
        message: "Invalid access token",
      },
    },
    errorClass: TokenInvalid,
    fields: {
      status: 401,
      serviceErrorCode: 65600,
      code: "INVALID_ACCESS_TOKEN",
      message: "Invalid access token",
    },
  },
  {
    name: "401 invalid token, old body",
    reply: {
      status: 401,
      body: {
        status: 401,
        serviceErrorCode: 65600,
        message: "Invalid access token",
      },
    },
    errorClass: TokenInvalid,
    fields: { serviceErrorCode: 65600, code: null },
  },
  {
    name: "401 revoked token",
    reply: {
      status: 401,
      body: {
        status: 401,
        serviceErrorCode: 65601,
        code: "REVOKED_ACCESS_TOKEN",
        message: "The token used in the request has been revoked by the user",
      },
    },
    errorClass: TokenRevoked,
    fields: {
      status: 401,
      serviceErrorCode: 65601,
      code: "REVOKED_ACCESS_TOKEN",
    },
  },
  {
    name: "401 revoked by code only",
    reply: {
      status: 401,
      body: { status: 401, code: "REVOKED_ACCESS_TOKEN", message: "revoked" },
    },
    errorClass: TokenRevoked,
    fields: { serviceErrorCode: null },
  },
  {
    name: "403 access denied",
    reply: {
      status: 403,
      body: {
        status: 403,
        serviceErrorCode: 100,
        code: "ACCESS_DENIED",
        message: "Not enough permissions to access: me.GET.NO_VERSION",
      },
    },
    errorClass: MissingPermission,
    fields: {
      status: 403,
      serviceErrorCode: 100,
      code: "ACCESS_DENIED",
      resource: "me",
      method: "GET",
      version: "NO_VERSION",
    },
  },
  {
    name: "426 version sunset",
    reply: {
      status: 426,
      body: {
        status: 426,
        code: "NONEXISTENT_VERSION",
        message: "Requested version 20240401 is not active",
      },
    },
    errorClass: VersionSunset,
    fields: {
      status: 426,
      code: "NONEXISTENT_VERSION",
      message: "Requested version 20240401 is not active",
    },
  },
  {
    name: "429 without Retry-After",
    reply: {
      status: 429,
      body: {
        status: 429,
        serviceErrorCode: 101,
        message:
          "Resource level throttle limit for calls to this resource is reached.",
      },
    },
    errorClass: RateLimited,
    fields: {
      status: 429,
      serviceErrorCode: 101,
      retryAfterMs: null,
      quota: true,
    },
  },
  {
    name: "429 with Retry-After",
    reply: {
      status: 429,
      headers: { "Retry-After": "120" },
      body: {
        status: 429,
        serviceErrorCode: 101,
        message:
          "Resource level throttle limit for calls to this resource is reached.",
      },
    },
    errorClass: RateLimited,
    fields: { retryAfterMs: 120_000, quota: false },
  },
  {
    name: "429 with X-RateLimit-Reset",
    reply: {
      status: 429,
      headers: { "X-RateLimit-Reset": "30" },
      body: { status: 429 },
    },
    errorClass: RateLimited,
    fields: { retryAfterMs: 30_000, quota: false },
  },
  {
    name: "400 PARAM_INVALID",
    reply: {
      status: 400,
      body: {
        status: 400,
        code: "PARAM_INVALID",
        message: "Invalid param. Please see errorDetails for more information.",
      },
    },
    errorClass: BadRequest,
    fields: { status: 400, code: "PARAM_INVALID" },
  },
  {
    name: "404 not found",
    reply: { status: 404, body: { status: 404, message: "Not Found" } },
    errorClass: NotFound,
    fields: { status: 404, message: "Not Found" },
  },
  {
    name: "500 with text body",
    reply: { status: 500, body: "Internal Server Error" },
    errorClass: Transient,
    fields: {
      status: 500,
      message: "LinkedIn returned HTTP 500",
      reason: "server",
    },
  },
  {
    name: "503 unavailable",
    reply: {
      status: 503,
      body: { status: 503, message: "Service Unavailable" },
    },
    errorClass: Transient,
    fields: { status: 503, reason: "server" },
  },
];

describe("error table", () => {
  for (const testCase of ERROR_CASES) {
    it(`maps ${testCase.name}`, async () => {
      const reply = testCase.reply;
      server = await startTestServer(() => reply);
      const client = new LinkedInClient({
        apiBase: server.url,
        accessToken: "t",
        maxAttempts: 1,
      });

      const error: unknown = await client
        .get("/rest/organizationAcls", "q=roleAssignee&secret=x", z.unknown())
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(testCase.errorClass);
      expect(error).toBeInstanceOf(LinkedInError);
      const fields = error as Record<string, unknown>;
      expect(fields.endpoint).toBe("/rest/organizationAcls");
      for (const [field, value] of Object.entries(testCase.fields)) {
        expect(fields[field], field).toEqual(value);
      }
    });
  }
});

describe("classifyResponse", () => {
  it("returns null for 200", () => {
    expect(classifyResponse(200, new Headers(), {})).toBeNull();
  });

  it("tolerates a malformed body", () => {
    const error = classifyResponse(401, new Headers(), {
      serviceErrorCode: "65600",
      code: 7,
    });
    expect(error).toBeInstanceOf(TokenInvalid);
    expect(error?.serviceErrorCode).toBeNull();
    expect(error?.code).toBeNull();
  });

  it("parses a JSON string body", () => {
    const error = classifyResponse(
      401,
      new Headers(),
      '{"serviceErrorCode":65601}',
    );
    expect(error).toBeInstanceOf(TokenRevoked);
  });

  it("keeps an unknown 4xx generic", () => {
    const error = classifyResponse(409, new Headers(), null);
    expect(error?.constructor).toBe(LinkedInError);
  });

  it("prefers Retry-After over reset", () => {
    const headers = new Headers({
      "Retry-After": "5",
      "X-RateLimit-Reset": "60",
    });
    const error = classifyResponse(429, headers, null, { now: NOW });
    expect(error).toBeInstanceOf(RateLimited);
    expect((error as RateLimited).retryAfterMs).toBe(5000);
  });

  it("treats an absurd Retry-After as quota", () => {
    const headers = new Headers({ "Retry-After": "999999" });
    const error = classifyResponse(429, headers, null, {
      now: NOW,
    }) as RateLimited;
    expect(error.retryAfterMs).toBeNull();
    expect(error.quota).toBe(true);
  });
});

describe("parsePermissionMessage", () => {
  it("splits a finder resource", () => {
    expect(
      parsePermissionMessage(
        "Not enough permissions to access: organizationalEntityShareStatistics.FINDER-organizationalEntity.20240401",
      ),
    ).toEqual({
      resource: "organizationalEntityShareStatistics",
      method: "FINDER-organizationalEntity",
      version: "20240401",
    });
  });

  it("returns null for other text", () => {
    expect(parsePermissionMessage("Forbidden")).toBeNull();
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds", () => {
    expect(parseRetryAfter("3", NOW)).toBe(3000);
  });

  it("reads an HTTP date", () => {
    expect(parseRetryAfter("Tue, 10 Nov 2026 12:01:30 GMT", NOW)).toBe(90_000);
  });

  it("gives zero for a past date", () => {
    expect(parseRetryAfter("Tue, 10 Nov 2026 11:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores negative seconds", () => {
    expect(parseRetryAfter("-5", NOW)).toBeNull();
  });

  it("ignores garbage", () => {
    expect(parseRetryAfter("soon", NOW)).toBeNull();
  });

  it("ignores an empty value", () => {
    expect(parseRetryAfter("", NOW)).toBeNull();
  });

  it("ignores a missing header", () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it("ignores more than a day", () => {
    expect(parseRetryAfter("86401", NOW)).toBeNull();
  });

  it("ignores a date beyond a day", () => {
    expect(parseRetryAfter("Thu, 12 Nov 2026 12:00:00 GMT", NOW)).toBeNull();
  });
});

describe("parseRateLimitReset", () => {
  it("reads delta seconds", () => {
    expect(parseRateLimitReset("60", NOW)).toBe(60_000);
  });

  it("reads epoch seconds", () => {
    const epochSeconds = NOW.getTime() / 1000 + 45;
    expect(parseRateLimitReset(String(epochSeconds), NOW)).toBe(45_000);
  });

  it("ignores negative", () => {
    expect(parseRateLimitReset("-1", NOW)).toBeNull();
  });

  it("ignores garbage", () => {
    expect(parseRateLimitReset("NaN", NOW)).toBeNull();
  });
});
