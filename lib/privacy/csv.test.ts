import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv";

describe("csvCell", () => {
  it.each([
    ["=SUM(A1:A2)", "'=SUM(A1:A2)"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", '"\'\rx"'],
    ["=1,2", '"\'=1,2"'],
  ])("neutralises formula %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("keeps negative numbers as numbers", () => {
    expect(csvCell(-5)).toBe("-5");
  });

  it("quotes commas, quotes and newlines", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
  });

  it("writes empty cells for null", () => {
    expect(csvLine([null, undefined, "x"])).toBe(",,x\r\n");
  });
});
