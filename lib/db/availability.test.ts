import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./availability";

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("isDatabaseUnavailable", () => {
  it.each([
    ["refused connection", withCode("connect ECONNREFUSED", "ECONNREFUSED")],
    ["reset connection", withCode("read ECONNRESET", "ECONNRESET")],
    ["admin shutdown", withCode("terminating connection", "57P01")],
    ["connection exception class", withCode("connection failure", "08006")],
    ["dropped connection", new Error("Connection terminated unexpectedly")],
    [
      "pool connect timeout",
      new Error("timeout exceeded when trying to connect"),
    ],
  ])("detects %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("follows the cause chain", () => {
    const driver = withCode("connect ECONNREFUSED", "ECONNREFUSED");
    const wrapped = new Error("Failed query: select 1", { cause: driver });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
  });

  it("looks inside an AggregateError", () => {
    const aggregate = new AggregateError([
      withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED"),
    ]);
    expect(isDatabaseUnavailable(new Error("x", { cause: aggregate }))).toBe(
      true,
    );
  });

  it.each([
    ["unique violation", withCode("duplicate key", "23505")],
    ["syntax error", withCode("syntax error at or near", "42601")],
    ["plain error", new Error("boom")],
    ["non-error value", "ECONNREFUSED"],
  ])("ignores %s", (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
