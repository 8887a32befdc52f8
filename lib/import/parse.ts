// Parsers for LinkedIn's own analytics exports: the member content export
// and the company page content, followers and visitors exports. Each one
// maps columns to registry metric names.

import type { WorkBook } from "@e965/xlsx";
import type { ImportKind } from "../db/schema";
import type { MetricName, SubjectKind } from "../metrics/registry";
import type { IsoDay } from "../metrics/types";
import { checkArchive } from "./archive";
import {
  MEMBER_ENGAGEMENT_COLUMNS,
  MEMBER_FOLLOWER_COLUMNS,
  PAGE_CONTENT_COLUMNS,
  PAGE_FOLLOWER_COLUMNS,
  PAGE_VISITOR_COLUMNS,
} from "./kinds";
import {
  checkUploadBytes,
  findSheet,
  ImportFileError,
  locateColumns,
  normalizeHeader,
  openWorkbook,
  parseExportCount,
  parseExportDate,
  readText,
  readUrl,
  requireSheet,
  type Rows,
} from "./workbook";

export type ParsedDay = { metric: MetricName; day: IsoDay; value: number };

export type ParsedPost = {
  url: string;
  title: string | null;
  publishedOn: IsoDay | null;
  impressions: number | null;
  reactions: number | null;
  comments: number | null;
  reshares: number | null;
  engagements: number | null;
};

export type ParsedExport = {
  kind: ImportKind;
  subjectKind: SubjectKind;
  /** The member's name or the page's vanity name, from the file name. */
  subjectName: string;
  days: ParsedDay[];
  posts: ParsedPost[];
};

/**
 * Checks an upload's archive for ZIP bombs, then parses it. Callers with
 * untrusted bytes use this rather than parseExportFile.
 */
export async function readExportFile(
  bytes: Uint8Array,
  fileName: string,
  maxBytes?: number,
): Promise<ParsedExport> {
  checkUploadBytes(bytes, fileName, maxBytes);
  await checkArchive(bytes, fileName);
  return parseExportFile(bytes, fileName, maxBytes);
}

/** Reads one export file, detecting its kind from its sheets. */
export function parseExportFile(
  bytes: Uint8Array,
  fileName: string,
  maxBytes?: number,
): ParsedExport {
  const workbook = openWorkbook(bytes, fileName, maxBytes);
  const kind = detectKind(workbook);
  const parsed = PARSERS[kind](workbook);
  if (parsed.days.length === 0 && parsed.posts.length === 0) {
    throw new ImportFileError(
      `${fileName} contains no days. Export a date range with activity from LinkedIn.`,
    );
  }
  return {
    kind,
    subjectKind: kind === "member_content" ? "person" : "organization",
    subjectName: subjectNameOf(fileName, kind),
    ...parsed,
  };
}

const has = (workbook: WorkBook, name: string) =>
  findSheet(workbook, name) !== undefined;

function detectKind(workbook: WorkBook): ImportKind {
  if (has(workbook, "ENGAGEMENT") || has(workbook, "DISCOVERY")) {
    for (const sheet of ["ENGAGEMENT", "FOLLOWERS", "DEMOGRAPHICS"]) {
      requireSheet(workbook, sheet);
    }
    return "member_content";
  }
  if (has(workbook, "Metrics")) return "page_content";
  if (has(workbook, "New followers")) return "page_followers";
  if (has(workbook, "Visitor metrics")) return "page_visitors";
  const sheets = workbook.SheetNames.map((name) => `"${name}"`).join(", ");
  throw new ImportFileError(
    `This is not a LinkedIn analytics export: its sheets are ${sheets}. Upload a member content export (sheets ENGAGEMENT, FOLLOWERS, DEMOGRAPHICS) or a company page content, followers or visitors export.`,
  );
}

type Parsed = Pick<ParsedExport, "days" | "posts">;

const PARSERS: Record<ImportKind, (workbook: WorkBook) => Parsed> = {
  member_content: parseMemberContent,
  page_content: parsePageContent,
  page_followers: (workbook) => ({
    days: readDailyTable(
      workbook,
      "New followers",
      0,
      "Date",
      PAGE_FOLLOWER_COLUMNS,
    ),
    posts: [],
  }),
  page_visitors: (workbook) => ({
    days: readDailyTable(
      workbook,
      "Visitor metrics",
      0,
      "Date",
      PAGE_VISITOR_COLUMNS,
    ),
    posts: [],
  }),
};

/**
 * Reads a table with a header row at `headerIndex` (0-based) and one row a
 * day below it, stopping at the first blank date.
 */
function readDailyTable(
  workbook: WorkBook,
  sheetName: string,
  headerIndex: number,
  dateColumn: string,
  columns: Readonly<Record<string, MetricName>>,
): ParsedDay[] {
  const rows = requireSheet(workbook, sheetName);
  const names = [dateColumn, ...Object.keys(columns)];
  const located = locateColumns(
    rows[headerIndex],
    names,
    sheetName,
    headerIndex + 1,
  );
  const days: ParsedDay[] = [];
  const seen = new Set<string>();

  for (let index = headerIndex + 1; index < rows.length; index++) {
    const row = rows[index] ?? [];
    const rawDate = row[located[dateColumn]!] ?? null;
    if (readText(rawDate === null ? null : String(rawDate)) === null) break;
    const place = { sheet: sheetName, row: index + 1 };
    const day = parseExportDate(rawDate, {
      ...place,
      column: located[dateColumn]!,
    });
    if (seen.has(day)) {
      throw new ImportFileError(
        `Sheet "${sheetName}" lists ${day} twice (row ${index + 1}). Download the export from LinkedIn again.`,
      );
    }
    seen.add(day);
    for (const [column, metric] of Object.entries(columns)) {
      const at = located[column]!;
      days.push({
        metric,
        day,
        value: parseExportCount(row[at] ?? null, { ...place, column: at }),
      });
    }
  }
  return days;
}

function parseMemberContent(workbook: WorkBook): Parsed {
  const days = [
    ...readDailyTable(
      workbook,
      "ENGAGEMENT",
      0,
      "Date",
      MEMBER_ENGAGEMENT_COLUMNS,
    ),
    ...readDailyTable(
      workbook,
      "FOLLOWERS",
      followersHeaderIndex(workbook),
      "Date",
      MEMBER_FOLLOWER_COLUMNS,
    ),
  ];
  // NOTE: DISCOVERY's "Members reached" is a total over the file's whole
  // range, which matches no stored preset range, so it is not imported.
  return { days, posts: readTopPosts(findSheet(workbook, "TOP POSTS")) };
}

/** FOLLOWERS starts with a total line; its header row is the one with "Date". */
function followersHeaderIndex(workbook: WorkBook): number {
  const rows = requireSheet(workbook, "FOLLOWERS");
  const index = rows.findIndex(
    (row) => normalizeHeader(row[0] ?? null) === "date",
  );
  if (index === -1) {
    throw new ImportFileError(
      `Sheet "FOLLOWERS" has no "Date" header row. Upload the file as LinkedIn exported it.`,
    );
  }
  return index;
}

/**
 * TOP POSTS contains two side-by-side tables from row 3: posts by engagements
 * in A-C and posts by impressions in E-G. They are merged by post URL.
 */
function readTopPosts(rows: Rows | undefined): ParsedPost[] {
  if (!rows) return [];
  const headerIndex = rows.findIndex(
    (row) => normalizeHeader(row[0] ?? null) === "post url",
  );
  if (headerIndex === -1) return [];
  const header = rows[headerIndex];
  const left = locateColumns(
    header,
    ["Post URL", "Post publish date", "Engagements"],
    "TOP POSTS",
    headerIndex + 1,
  );
  const rightStart = (header ?? []).findIndex(
    (cell, index) =>
      index > left.Engagements && normalizeHeader(cell) === "post url",
  );
  const posts = new Map<string, ParsedPost>();

  const take = (
    urlAt: number,
    dateAt: number,
    valueAt: number,
    field: "engagements" | "impressions",
  ) => {
    for (let index = headerIndex + 1; index < rows.length; index++) {
      const row = rows[index] ?? [];
      const place = { sheet: "TOP POSTS", row: index + 1 };
      const url = readUrl(row[urlAt] ?? null, { ...place, column: urlAt });
      if (!url) continue;
      const post = posts.get(url) ?? emptyPost(url);
      post.publishedOn ??= parseExportDate(row[dateAt] ?? null, {
        ...place,
        column: dateAt,
      });
      post[field] = parseExportCount(row[valueAt] ?? null, {
        ...place,
        column: valueAt,
      });
      posts.set(url, post);
    }
  };

  take(
    left["Post URL"],
    left["Post publish date"],
    left.Engagements,
    "engagements",
  );
  if (rightStart !== -1) {
    take(rightStart, rightStart + 1, rightStart + 2, "impressions");
  }
  return [...posts.values()];
}

function emptyPost(url: string): ParsedPost {
  return {
    url,
    title: null,
    publishedOn: null,
    impressions: null,
    reactions: null,
    comments: null,
    reshares: null,
    engagements: null,
  };
}

function parsePageContent(workbook: WorkBook): Parsed {
  const days = readDailyTable(
    workbook,
    "Metrics",
    1,
    "Date",
    PAGE_CONTENT_COLUMNS,
  );
  return { days, posts: readAllPosts(findSheet(workbook, "All posts")) };
}

/** "All posts": a note row, then one post a row. */
function readAllPosts(rows: Rows | undefined): ParsedPost[] {
  if (!rows) return [];
  const sheet = "All posts";
  const columns = locateColumns(
    rows[1],
    [
      "Post title",
      "Post link",
      "Created date",
      "Impressions",
      "Clicks",
      "Likes",
      "Comments",
      "Reposts",
    ] as const,
    sheet,
    2,
  );
  const posts: ParsedPost[] = [];
  for (let index = 2; index < rows.length; index++) {
    const row = rows[index] ?? [];
    const place = { sheet, row: index + 1 };
    const url = readUrl(row[columns["Post link"]] ?? null, {
      ...place,
      column: columns["Post link"],
    });
    if (!url) continue;
    const count = (name: keyof typeof columns) =>
      parseExportCount(row[columns[name]] ?? null, {
        ...place,
        column: columns[name],
      });
    const reactions = count("Likes");
    const comments = count("Comments");
    const reshares = count("Reposts");
    posts.push({
      url,
      title: readText(row[columns["Post title"]] ?? null),
      publishedOn: parseExportDate(row[columns["Created date"]] ?? null, {
        ...place,
        column: columns["Created date"],
      }),
      impressions: count("Impressions"),
      reactions,
      comments,
      reshares,
      // LinkedIn's engagement: clicks, reactions, comments and reposts.
      engagements: count("Clicks") + reactions + comments + reshares,
    });
  }
  return posts;
}

/**
 * Takes the subject's name from LinkedIn's file names:
 * `Content_{start}_{end}_{Name}.xlsx`, `AggregateAnalytics_{Name}_{start}_{end}.xlsx`
 * and `{vanity}_{content|followers|visitors}_{epochMs}.xls(x)`.
 */
export function subjectNameOf(fileName: string, kind: ImportKind): string {
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.xlsx?$/i, "");
  const content = /^Content_[\d-]+_[\d-]+_(.+)$/i.exec(base);
  const aggregate = /^AggregateAnalytics_(.+?)_[\d-]+_[\d-]+$/i.exec(base);
  const page = /^(.+?)_(content|followers|visitors)_\d+$/i.exec(base);
  const name =
    kind === "member_content" ? (content?.[1] ?? aggregate?.[1]) : page?.[1];
  return (name ?? base).replace(/_/g, " ").trim().slice(0, 120) || "Imported";
}
