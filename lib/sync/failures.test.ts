import { describe, expect, it } from "vitest";
import {
  BadRequest,
  MissingPermission,
  RateLimited,
  TokenInvalid,
  TokenRevoked,
  Transient,
  VersionSunset,
  classifyResponse,
  type LinkedInError,
} from "../linkedin/errors";
import { BudgetExhausted } from "../linkedin/budget";
import { classifyFailure, type FailureContext } from "./failures";

const NOW = new Date("2026-12-04T15:30:00Z");
const MIDNIGHT = new Date("2026-12-05T00:00:00Z");
const ENDPOINT = "/rest/memberCreatorPostAnalytics";

const person: FailureContext = {
  kind: "person",
  metrics: ["impressions"],
  scopes: ["r_member_postAnalytics"],
  version: "202611",
  now: NOW,
};

type Case = {
  name: string;
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
  context?: Partial<FailureContext>;
  error: new (...args: never[]) => LinkedInError;
  outcome: Record<string, unknown>;
};

// One row per error body of LinkedIn's API error table.
const CASES: Case[] = [
  {
    name: "401 65600 expired token",
    status: 401,
    body: {
      status: 401,
      serviceErrorCode: 65600,
      code: "INVALID_ACCESS_TOKEN",
      message: "Invalid access token",
    },
    error: TokenInvalid,
    outcome: { kind: "status", status: "needs_reauth", dropToken: false },
  },
  {
    name: "401 65601 revoked token",
    status: 401,
    body: {
      status: 401,
      serviceErrorCode: 65601,
      code: "REVOKED_ACCESS_TOKEN",
      message: "The token used in the request has been revoked by the user",
    },
    error: TokenRevoked,
    outcome: { kind: "status", status: "revoked", dropToken: true },
  },
  {
    name: "403 ACCESS_DENIED without the scope",
    status: 403,
    body: {
      status: 403,
      serviceErrorCode: 100,
      code: "ACCESS_DENIED",
      message:
        "Not enough permissions to access: memberFollowersCount.GET.20261101",
    },
    context: { metrics: ["follower_gains"] },
    error: MissingPermission,
    outcome: {
      kind: "metric_unavailable",
      missingScope: "r_member_profileAnalytics",
      missingRole: null,
    },
  },
  {
    name: "403 ACCESS_DENIED without the page role",
    status: 403,
    body: {
      status: 403,
      serviceErrorCode: 100,
      code: "ACCESS_DENIED",
      message:
        "Not enough permissions to access: organizationalEntityShareStatistics.GET.20261101",
    },
    context: {
      kind: "organization",
      metrics: ["impressions"],
      scopes: ["rw_organization_admin"],
    },
    error: MissingPermission,
    outcome: {
      kind: "metric_unavailable",
      missingScope: null,
      missingRole: "ADMINISTRATOR",
    },
  },
  {
    name: "426 NONEXISTENT_VERSION",
    status: 426,
    body: {
      status: 426,
      code: "NONEXISTENT_VERSION",
      message: "Requested version 20261101 is not active",
    },
    error: VersionSunset,
    outcome: { kind: "version_sunset", version: "202611" },
  },
  {
    name: "429 quota without headers",
    status: 429,
    body: {
      status: 429,
      serviceErrorCode: 101,
      message:
        "Resource level throttle limit for calls to this resource is reached.",
    },
    error: RateLimited,
    outcome: { kind: "defer", until: MIDNIGHT },
  },
  {
    name: "429 with a short Retry-After",
    status: 429,
    body: { status: 429, serviceErrorCode: 101, message: "Throttled" },
    headers: { "retry-after": "5" },
    error: RateLimited,
    outcome: { kind: "retry" },
  },
  {
    name: "429 with a reset hours away",
    status: 429,
    body: { status: 429, serviceErrorCode: 101, message: "Throttled" },
    headers: { "retry-after": "7200" },
    error: RateLimited,
    outcome: {
      kind: "defer",
      until: new Date(NOW.getTime() + 7_200_000),
    },
  },
  {
    name: "500 server error",
    status: 500,
    body: { status: 500, message: "Internal Server Error" },
    error: Transient,
    outcome: { kind: "retry" },
  },
  {
    name: "503 unavailable",
    status: 503,
    body: { status: 503, message: "Service Unavailable" },
    error: Transient,
    outcome: { kind: "retry" },
  },
  {
    name: "400 PARAM_INVALID",
    status: 400,
    body: {
      status: 400,
      code: "PARAM_INVALID",
      message: "Invalid param. Please see errorDetails for more information.",
    },
    error: BadRequest,
    outcome: { kind: "bug", endpoint: ENDPOINT },
  },
];

describe("classifyFailure", () => {
  it.each(CASES)("$name", (row) => {
    const error = classifyResponse(
      row.status,
      new Headers(row.headers),
      row.body,
      { endpoint: ENDPOINT, now: NOW },
    );

    expect(error).toBeInstanceOf(row.error);
    const outcome = classifyFailure(error, { ...person, ...row.context });
    expect(outcome).toMatchObject(row.outcome);
    expect(outcome.reason.length).toBeGreaterThan(20);
  });

  it("names the missing scope in the reason", () => {
    const error = classifyResponse(
      403,
      new Headers(),
      { status: 403, code: "ACCESS_DENIED", message: "Not enough permissions" },
      { endpoint: ENDPOINT },
    );

    const outcome = classifyFailure(error, {
      ...person,
      scopes: [],
      metrics: ["reactions"],
    });

    expect(outcome.reason).toContain("r_member_postAnalytics");
  });

  it("defers an exhausted local budget to midnight", () => {
    const outcome = classifyFailure(
      new BudgetExhausted("member", MIDNIGHT),
      person,
    );

    expect(outcome).toMatchObject({ kind: "defer", until: MIDNIGHT });
    expect(outcome.reason).toContain("member budget");
  });

  it("retries an unknown error", () => {
    expect(classifyFailure(new Error("socket hang up"), person)).toEqual({
      kind: "retry",
      reason: "socket hang up",
    });
  });
});
