import { describe, expect, it } from "vitest";
import { LINKEDIN_VERSION, versionAgeMonths } from "./config";

describe("versionAgeMonths", () => {
  it("is zero in the version's month", () => {
    expect(versionAgeMonths("202611", new Date("2026-11-30T23:59:59Z"))).toBe(
      0,
    );
  });

  it("counts across a year boundary", () => {
    expect(versionAgeMonths("202611", new Date("2027-02-01T00:00:00Z"))).toBe(
      3,
    );
  });

  it("is negative for a future version", () => {
    expect(versionAgeMonths("202611", new Date("2026-09-15T00:00:00Z"))).toBe(
      -2,
    );
  });

  it("rejects a malformed version", () => {
    expect(() => versionAgeMonths("2026-11", new Date())).toThrow(/YYYYMM/);
  });

  it("rejects month 13", () => {
    expect(() => versionAgeMonths("202613", new Date())).toThrow(/YYYYMM/);
  });
});

describe("LINKEDIN_VERSION", () => {
  // LinkedIn sunsets a version after about a year (426 NONEXISTENT_VERSION).
  // This fails on purpose once the pinned version is older than 11 months.
  it("is at most 11 months old", () => {
    expect(versionAgeMonths(LINKEDIN_VERSION, new Date())).toBeLessThanOrEqual(
      11,
    );
  });
});
