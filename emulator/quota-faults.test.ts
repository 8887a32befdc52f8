import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./server";
import {
  control,
  restGet,
  signIn,
  startTestEmulator,
  TEST_NOW,
} from "./test-support";

let emulator: RunningEmulator;
let adaToken: string;
let graceToken: string;
const FOLLOWERS = "memberFollowersCount?q=me";

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(async () => {
  await control(emulator, "/reset", {});
  await control(emulator, "/clock", { now: TEST_NOW });
  adaToken = (await signIn(emulator, "ada")).access_token;
  graceToken = (await signIn(emulator, "grace")).access_token;
});

async function callTimes(token: string, times: number): Promise<Response[]> {
  const responses = [];
  for (let i = 0; i < times; i++) {
    responses.push(await restGet(emulator, FOLLOWERS, token));
  }
  return responses;
}

describe("quota", () => {
  it("member quota gives 429 without headers", async () => {
    await control(emulator, "/config", { memberDailyQuota: 3 });
    const responses = await callTimes(adaToken, 4);
    const last = responses[3];
    expect(responses[2]?.status).toBe(200);
    expect(last?.status).toBe(429);
    expect(await last?.json()).toEqual({
      status: 429,
      serviceErrorCode: 101,
      message:
        "Resource level throttle limit for calls to this resource is reached.",
    });
    expect(last?.headers.get("retry-after")).toBeNull();
    expect(last?.headers.get("x-ratelimit-remaining")).toBeNull();
  });

  it("member quota spares other members", async () => {
    await control(emulator, "/config", { memberDailyQuota: 2 });
    await callTimes(adaToken, 3);
    const [grace] = await callTimes(graceToken, 1);
    expect(grace?.status).toBe(200);
  });

  it("app quota counts every member", async () => {
    await control(emulator, "/config", { appDailyQuota: 3 });
    await callTimes(adaToken, 2);
    const [first, second] = await callTimes(graceToken, 2);
    expect(first?.status).toBe(200);
    expect(second?.status).toBe(429);
  });

  it("headers switch adds rate headers", async () => {
    await control(emulator, "/config", {
      memberDailyQuota: 2,
      rateLimitHeaders: true,
    });
    const [first, , third] = await callTimes(adaToken, 3);
    const midnight = Date.parse("2026-11-16T00:00:00Z") / 1000;
    expect(first?.headers.get("x-ratelimit-remaining")).toBe("1");
    expect(first?.headers.get("x-ratelimit-reset")).toBe(String(midnight));
    expect(third?.status).toBe(429);
    expect(third?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(Number(third?.headers.get("retry-after"))).toBeGreaterThan(43_000);
  });

  it("quota resets at UTC midnight", async () => {
    await control(emulator, "/config", { memberDailyQuota: 1 });
    await callTimes(adaToken, 2);
    await control(emulator, "/clock", { now: "2026-11-16T00:00:01Z" });
    const [next] = await callTimes(adaToken, 1);
    expect(next?.status).toBe(200);
  });
});

describe("calls", () => {
  it("counts per endpoint and member", async () => {
    await callTimes(adaToken, 2);
    const calls = (await (await control(emulator, "/calls")).json()) as {
      total: number;
      byEndpoint: Record<string, number>;
      byMember: Record<string, number>;
    };
    expect(calls.byEndpoint["GET /rest/memberFollowersCount"]).toBe(2);
    expect(calls.byMember.ada).toBe(2);
    expect(calls.total).toBeGreaterThanOrEqual(2);
  });
});

describe("faults", () => {
  it("error rate 1 gives 5xx", async () => {
    await control(emulator, "/config", { errorRate: 1 });
    const [response] = await callTimes(adaToken, 1);
    expect(response?.status).toBeGreaterThanOrEqual(500);
  });

  it("error rate is reproducible", async () => {
    const statuses = async () => {
      await control(emulator, "/reset", {});
      await control(emulator, "/clock", { now: TEST_NOW });
      const token = (await signIn(emulator, "ada")).access_token;
      await control(emulator, "/config", { errorRate: 0.5 });
      return (await callTimes(token, 12)).map((response) => response.status);
    };
    const first = await statuses();
    const second = await statuses();
    expect(first).toEqual(second);
    expect(first).toContain(200);
    expect(first.some((status) => status >= 500)).toBe(true);
  });

  it("timeout drops the connection", async () => {
    await control(emulator, "/config", { timeoutRate: 1, timeoutHoldMs: 50 });
    const started = Date.now();
    const outcome = await restGet(emulator, FOLLOWERS, adaToken).then(
      () => "answered",
      () => "dropped",
    );
    expect(outcome).toBe("dropped");
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("latency delays the answer", async () => {
    await control(emulator, "/config", { latencyMs: 80 });
    const started = Date.now();
    await callTimes(adaToken, 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("control rejects unknown switches", async () => {
    const response = await control(emulator, "/config", { errorRatio: 1 });
    expect(response.status).toBe(400);
  });
});
