import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";

import { parseExportFile, subjectNameOf } from "./parse";
import { ImportFileError } from "./workbook";

type Sheets = Record<string, unknown[][]>;

function workbook(
  sheets: Sheets,
  bookType: XLSX.BookType = "xlsx",
): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  }
  return new Uint8Array(
    XLSX.write(book, { type: "buffer", bookType }) as Buffer,
  );
}

const MEMBER: Sheets = {
  DISCOVERY: [
    ["Overall Performance", "3/1/2026 - 3/3/2026"],
    ["Impressions", "60"],
  ],
  ENGAGEMENT: [
    ["Date", "Impressions", "Engagements"],
    ["3/1/2026", "10", "1"],
    ["3/2/2026", "1,020", "2"],
    ["3/3/2026", 30, "0"],
  ],
  "TOP POSTS": [
    ["Maximum of 50 posts available to include in this list"],
    [],
    [
      "Post URL",
      "Post publish date",
      "Engagements",
      null,
      "Post URL",
      "Post publish date",
      "Impressions",
    ],
    [
      "https://www.linkedin.com/feed/update/urn:li:activity:1",
      "3/1/2026",
      "5",
      null,
      "https://www.linkedin.com/feed/update/urn:li:activity:1",
      "3/1/2026",
      "900",
    ],
  ],
  FOLLOWERS: [
    ["Total followers on 3/3/2026:", "500"],
    [],
    ["Date", "New followers"],
    ["3/1/2026", "2"],
    ["3/2/2026", "0"],
    ["3/3/2026", "4"],
  ],
  DEMOGRAPHICS: [
    ["Top Demographics", "Value", "Percentage"],
    ["Job titles", "Engineer", "< 1%"],
  ],
};
const MEMBER_FILE = "Content_2026-03-01_2026-03-03_Grace_Hopper.xlsx";

function expectImportError(run: () => unknown, pattern: RegExp) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error("expected an ImportFileError");
}

describe("parseExportFile", () => {
  it("member content export", () => {
    const parsed = parseExportFile(workbook(MEMBER), MEMBER_FILE);
    expect(parsed.kind).toBe("member_content");
    expect(parsed.subjectName).toBe("Grace Hopper");
    const impressions = parsed.days.filter((d) => d.metric === "impressions");
    expect(impressions).toEqual([
      { metric: "impressions", day: "2026-03-01", value: 10 },
      { metric: "impressions", day: "2026-03-02", value: 1020 },
      { metric: "impressions", day: "2026-03-03", value: 30 },
    ]);
    const followers = parsed.days.filter((d) => d.metric === "follower_gains");
    expect(followers.map((d) => d.value)).toEqual([2, 0, 4]);
    expect(parsed.posts).toHaveLength(1);
    expect(parsed.posts[0]).toMatchObject({
      publishedOn: "2026-03-01",
      engagements: 5,
      impressions: 900,
    });
  });

  it("older three-sheet member export", () => {
    const { ENGAGEMENT, FOLLOWERS, DEMOGRAPHICS } = MEMBER;
    const parsed = parseExportFile(
      workbook({
        ENGAGEMENT: ENGAGEMENT!,
        FOLLOWERS: FOLLOWERS!,
        DEMOGRAPHICS: DEMOGRAPHICS!,
      }),
      MEMBER_FILE,
    );
    expect(parsed.kind).toBe("member_content");
    expect(parsed.days).toHaveLength(6);
    expect(parsed.posts).toEqual([]);
  });

  it("page visitors legacy xls", () => {
    const bytes = workbook(
      {
        "Visitor metrics": [
          ["Date", "Overview page views (total)", "Total page views (total)"],
          ["03/01/2026", 3, 7],
          ["03/02/2026", 1, 2],
        ],
      },
      "biff8",
    );
    const parsed = parseExportFile(bytes, "engines_visitors_1770000000000.xls");
    expect(parsed.kind).toBe("page_visitors");
    expect(parsed.subjectName).toBe("engines");
    expect(parsed.days).toEqual([
      { metric: "page_views", day: "2026-03-01", value: 7 },
      { metric: "page_views", day: "2026-03-02", value: 2 },
    ]);
  });

  it("page content with all posts", () => {
    const parsed = parseExportFile(
      workbook({
        Metrics: [
          ["All dates are in UTC"],
          [
            "Date",
            "Impressions (total)",
            "Reactions (total)",
            "Comments (total)",
            "Reposts (total)",
          ],
          ["03/01/2026", 100, 5, 2, 1],
        ],
        "All posts": [
          ["note"],
          [
            "Post title",
            "Post link",
            "Created date",
            "Impressions",
            "Clicks",
            "Likes",
            "Comments",
            "Reposts",
          ],
          [
            "=cmd|' /C calc'!A0",
            "https://example.test/p/1",
            "03/01/2026",
            100,
            4,
            5,
            2,
            1,
          ],
        ],
      }),
      "engines_content_1770000000000.xlsx",
    );
    expect(parsed.kind).toBe("page_content");
    expect(parsed.days.map((d) => d.metric)).toEqual([
      "impressions",
      "reactions",
      "comments",
      "reshares",
    ]);
    // A title that looks like a formula is kept as text, never evaluated.
    expect(parsed.posts[0]).toMatchObject({
      title: "=cmd|' /C calc'!A0",
      engagements: 12,
    });
  });

  it("page followers export", () => {
    const parsed = parseExportFile(
      workbook({
        "New followers": [
          [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
          ],
          ["03/01/2026", 0, 3, 0, 3],
        ],
      }),
      "engines_followers_1770000000000.xls",
    );
    expect(parsed.days).toEqual([
      { metric: "follower_gains", day: "2026-03-01", value: 3 },
    ]);
  });

  it("rejects a wrong kind of workbook", () => {
    expectImportError(
      () => parseExportFile(workbook({ Sheet1: [["a"]] }), "x.xlsx"),
      /not a LinkedIn analytics export: its sheets are "Sheet1"/,
    );
  });

  it("names a missing sheet", () => {
    const { ENGAGEMENT, DEMOGRAPHICS } = MEMBER;
    expectImportError(
      () =>
        parseExportFile(
          workbook({ ENGAGEMENT: ENGAGEMENT!, DEMOGRAPHICS: DEMOGRAPHICS! }),
          MEMBER_FILE,
        ),
      /sheet "FOLLOWERS" is missing/,
    );
  });

  it("names a missing column", () => {
    const sheets = {
      ...MEMBER,
      ENGAGEMENT: [
        ["Date", "Views"],
        ["3/1/2026", "1"],
      ],
    };
    expectImportError(
      () => parseExportFile(workbook(sheets), MEMBER_FILE),
      /Sheet "ENGAGEMENT" has no "Impressions" column in row 1/,
    );
  });

  it("names the cell of a bad date", () => {
    const sheets = {
      ...MEMBER,
      ENGAGEMENT: [
        ["Date", "Impressions"],
        ["3/1/2026", "1"],
        ["2026-03-02", "1"],
      ],
    };
    expectImportError(
      () => parseExportFile(workbook(sheets), MEMBER_FILE),
      /Invalid date "2026-03-02" in sheet "ENGAGEMENT", row 3, column A/,
    );
  });

  it("rejects an impossible day", () => {
    const sheets = {
      ...MEMBER,
      ENGAGEMENT: [
        ["Date", "Impressions"],
        ["2/30/2026", "1"],
      ],
    };
    expectImportError(
      () => parseExportFile(workbook(sheets), MEMBER_FILE),
      /no such calendar day/,
    );
  });

  it("names the cell of a bad number", () => {
    const sheets = {
      ...MEMBER,
      ENGAGEMENT: [
        ["Date", "Impressions"],
        ["3/1/2026", "12a"],
      ],
    };
    expectImportError(
      () => parseExportFile(workbook(sheets), MEMBER_FILE),
      /Invalid number "12a" in sheet "ENGAGEMENT", row 2, column B/,
    );
  });

  it("rejects formulas", () => {
    const book = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet([
      ["Date", "Total page views (total)"],
      ["03/01/2026", 1],
    ]);
    sheet.B2 = { t: "n", v: 1, f: "1+0" };
    XLSX.utils.book_append_sheet(book, sheet, "Visitor metrics");
    const bytes = new Uint8Array(
      XLSX.write(book, { type: "buffer", bookType: "xlsx" }) as Buffer,
    );
    expectImportError(
      () => parseExportFile(bytes, "p_visitors_1.xlsx"),
      /cell B2 contains a formula/,
    );
  });

  it("rejects files over the size limit", () => {
    expectImportError(
      () => parseExportFile(workbook(MEMBER), MEMBER_FILE, 100),
      /larger than 0 MB|larger than/,
    );
  });

  it("rejects a corrupt workbook", () => {
    const bytes = workbook(MEMBER).slice(0, 200);
    expectImportError(
      () => parseExportFile(bytes, MEMBER_FILE),
      /not a readable \.xlsx or \.xls workbook: it is damaged/,
    );
  });

  it("keeps library text out of the message", () => {
    const bytes = workbook(MEMBER).slice(0, 200);
    try {
      parseExportFile(bytes, MEMBER_FILE);
    } catch (error) {
      const { message, cause } = error as Error;
      expect(cause).toBeInstanceOf(Error);
      const libraryText = (cause as Error).message;
      expect(libraryText.length).toBeGreaterThan(0);
      expect(message).not.toContain(libraryText);
      expect(message).toMatch(/Download the export from LinkedIn again/);
      return;
    }
    throw new Error("expected an ImportFileError");
  });

  it("rejects an encrypted workbook", () => {
    // An OLE compound file holding an EncryptionInfo stream, as Excel
    // writes a password-protected .xlsx.
    type Cfb = {
      utils: {
        cfb_new(): object;
        cfb_add(container: object, path: string, content: Uint8Array): void;
      };
      write(container: object, options: { type: "buffer" }): Buffer;
    };
    const cfb = XLSX.CFB as Cfb;
    const container = cfb.utils.cfb_new();
    cfb.utils.cfb_add(
      container,
      "/EncryptionInfo",
      new Uint8Array([4, 0, 4, 0, 0x40, 0, 0, 0]),
    );
    cfb.utils.cfb_add(container, "/EncryptedPackage", new Uint8Array(64));
    const bytes = new Uint8Array(cfb.write(container, { type: "buffer" }));
    expectImportError(
      () => parseExportFile(bytes, MEMBER_FILE),
      /password-protected/,
    );
  });
});

describe("subjectNameOf", () => {
  it.each([
    [
      "Content_2026-01-01_2026-03-31_Ada_Lovelace.xlsx",
      "member_content",
      "Ada Lovelace",
    ],
    [
      "AggregateAnalytics_Ada_Lovelace_2026-01-01_2026-03-31.xlsx",
      "member_content",
      "Ada Lovelace",
    ],
    [
      "analytical-engines_visitors_1771000000000.xls",
      "page_visitors",
      "analytical-engines",
    ],
  ] as const)("%s", (file, kind, name) => {
    expect(subjectNameOf(file, kind)).toBe(name);
  });
});
