import { describe, expect, it } from "vitest";
import { addDays, addMonths, dayToEpochMs, listDays } from "./days";
import {
  buildQuery,
  dateRange,
  dayRangeToEpochRange,
  encodeRestliString,
  restliEntity,
  restliList,
  timeIntervals,
} from "./restli";

describe("encodeRestliString", () => {
  it("encodes URN colons", () => {
    expect(encodeRestliString("urn:li:organization:123")).toBe(
      "urn%3Ali%3Aorganization%3A123",
    );
  });

  it("encodes Rest.li syntax characters", () => {
    expect(encodeRestliString("a(b),c'd")).toBe("a%28b%29%2Cc%27d");
  });
});

describe("Rest.li builders", () => {
  it("builds a share entity", () => {
    expect(restliEntity("share", "urn:li:share:123")).toBe(
      "(share:urn%3Ali%3Ashare%3A123)",
    );
  });

  it("builds a list of shares", () => {
    const items = ["urn:li:share:1", "urn:li:share:2"].map(encodeRestliString);
    expect(restliList(items)).toBe(
      "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)",
    );
  });

  it("builds timeIntervals with an exclusive end", () => {
    expect(timeIntervals({ from: "2024-01-01", to: "2024-01-07" })).toBe(
      "(timeRange:(start:1704067200000,end:1704672000000),timeGranularityType:DAY)",
    );
  });

  it("builds dateRange ending the day after", () => {
    expect(dateRange({ from: "2024-05-04", to: "2024-05-05" })).toBe(
      "(start:(year:2024,month:5,day:4),end:(year:2024,month:5,day:6))",
    );
  });

  it("rolls dateRange end into the next year", () => {
    expect(dateRange({ from: "2024-12-31", to: "2024-12-31" })).toBe(
      "(start:(year:2024,month:12,day:31),end:(year:2025,month:1,day:1))",
    );
  });

  it("keeps parentheses literal in a query", () => {
    const query = buildQuery({
      q: "organizationalEntity",
      organizationalEntity: encodeRestliString("urn:li:organization:5"),
      timeIntervals: timeIntervals({ from: "2024-01-01", to: "2024-01-01" }),
    });
    expect(query).toBe(
      "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A5" +
        "&timeIntervals=(timeRange:(start:1704067200000,end:1704153600000),timeGranularityType:DAY)",
    );
  });
});

describe("day ranges", () => {
  it("converts to epoch ms, end exclusive", () => {
    expect(
      dayRangeToEpochRange({ from: "2024-02-28", to: "2024-02-29" }),
    ).toEqual({
      start: Date.UTC(2024, 1, 28),
      end: Date.UTC(2024, 2, 1),
    });
  });

  it("rejects from after to", () => {
    expect(() =>
      dayRangeToEpochRange({ from: "2024-01-02", to: "2024-01-01" }),
    ).toThrow(/from is after to/);
  });

  it("rejects an impossible date", () => {
    expect(() => dayToEpochMs("2023-02-29")).toThrow(/Invalid day/);
  });

  it("rejects an unpadded date", () => {
    expect(() => dayToEpochMs("2024-1-01")).toThrow(/Invalid day/);
  });

  it("adds days across months", () => {
    expect(addDays("2024-01-31", 1)).toBe("2024-02-01");
  });

  it("clips addMonths to month end", () => {
    expect(addMonths("2024-03-31", -1)).toBe("2024-02-29");
  });

  it("lists inclusive days", () => {
    expect(listDays({ from: "2024-01-30", to: "2024-02-01" })).toEqual([
      "2024-01-30",
      "2024-01-31",
      "2024-02-01",
    ]);
  });
});
