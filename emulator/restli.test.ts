import { describe, expect, it } from "vitest";
import {
  parseRestliValue,
  RestliQuery,
  readDateRange,
  readTimeIntervals,
} from "./restli";

describe("parseRestliValue", () => {
  it("parses nested records", () => {
    expect(
      parseRestliValue(
        "(timeRange:(start:1704067200000,end:1704672000000),timeGranularityType:DAY)",
      ),
    ).toEqual({
      timeRange: { start: "1704067200000", end: "1704672000000" },
      timeGranularityType: "DAY",
    });
  });

  it("decodes URNs inside lists", () => {
    expect(
      parseRestliValue("List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)"),
    ).toEqual(["urn:li:share:1", "urn:li:share:2"]);
  });

  it("parses a union record", () => {
    expect(parseRestliValue("(share:urn%3Ali%3Ashare%3A123)")).toEqual({
      share: "urn:li:share:123",
    });
  });

  it("parses an empty list", () => {
    expect(parseRestliValue("List()")).toEqual([]);
  });

  it("rejects unbalanced parentheses", () => {
    expect(() => parseRestliValue("(start:1")).toThrow();
  });

  it("rejects a literal colon in a primitive", () => {
    expect(() => parseRestliValue("urn:li:share:1")).toThrow();
  });

  it("rejects bad percent-encoding", () => {
    expect(() => parseRestliValue("urn%3")).toThrow();
  });
});

describe("RestliQuery", () => {
  it("reads a dateRange with exclusive end", () => {
    const query = new RestliQuery(
      "dateRange=(start:(year:2024,month:5,day:4),end:(year:2024,month:5,day:6))",
    );
    const range = readDateRange(query);
    expect(range ? range.toDayExclusive - range.fromDay : 0).toBe(2);
  });

  it("rejects a dateRange on a day that does not exist", () => {
    const query = new RestliQuery(
      "dateRange=(start:(year:2024,month:2,day:30),end:(year:2024,month:3,day:6))",
    );
    expect(() => readDateRange(query)).toThrow();
  });

  it("reads DAY timeIntervals", () => {
    const query = new RestliQuery(
      "timeIntervals=(timeRange:(start:1704067200000,end:1704672000000),timeGranularityType:DAY)",
    );
    expect(readTimeIntervals(query)).toEqual({
      fromDay: 19723,
      toDayExclusive: 19730,
      granularity: "DAY",
    });
  });

  it("rejects an encoded record", () => {
    const query = new RestliQuery(
      "timeIntervals=%28timeRange%3A%28start%3A1%2Cend%3A2%29%2CtimeGranularityType%3ADAY%29",
    );
    expect(() => readTimeIntervals(query)).toThrow();
  });
});
