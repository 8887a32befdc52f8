import { describe, expect, it } from "vitest";
import { csvCell, csvLine, csvStream } from "./csv";

describe("csvCell", () => {
  it.each([
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", '"\'\rcmd"'],
  ])("neutralises the formula %j", (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it("writes numbers as numbers", () => {
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell(0)).toBe("0");
  });

  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
  });

  it("leaves plain text and null alone", () => {
    expect(csvCell("impressions")).toBe("impressions");
    expect(csvCell(null)).toBe("");
  });

  it("rejects a non-finite number", () => {
    expect(() => csvCell(Number.NaN)).toThrow("Invalid CSV number");
  });
});

describe("csvStream", () => {
  it("ends every line with CRLF", async () => {
    const text = await new Response(
      csvStream([csvLine(["a", 1]), csvLine(["b", null])]),
    ).text();
    expect(text).toBe("a,1\r\nb,\r\n");
  });
});
