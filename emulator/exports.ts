// GET /__emulator/exports/<kind>?subject=<urn>&from&to: LinkedIn's own
// export files built from the same data functions as the API and the truth.

import * as XLSX from "@e965/xlsx";
import { findMemberByUrn, findOrganizationByUrn, fullName } from "./members";
import { POST_LIFETIME_DAYS } from "./posts";
import type { EmulatorState } from "./state";
import { computePosts, computeTruth, type PostSummary } from "./truth";

export const EXPORT_KINDS = [
  "member_content",
  "page_content",
  "page_followers",
  "page_visitors",
] as const;
type ExportKind = (typeof EXPORT_KINDS)[number];

export type ExportResult =
  | { status: 200; fileName: string; body: Buffer }
  | { status: 400 | 404; error: string };

type Point = { day: string; value: number };

function series(
  state: EmulatorState,
  subject: string,
  metric: string,
  from: string,
  to: string,
): Map<string, number> {
  const params = new URLSearchParams({ subject, metric, from, to });
  const result = computeTruth(state, params);
  const points = result.status === 200 ? (result.body as Point[]) : [];
  return new Map(points.map((point) => [point.day, point.value]));
}

/** LinkedIn lists at most this many posts in TOP POSTS. */
const TOP_POSTS_LIMIT = 50;

type PostNumbers = PostSummary & {
  impressions: number;
  reactions: number;
  comments: number;
  reshares: number;
};

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

/**
 * Lists the subject's posts that drew activity from `from` to `to`, with
 * their sums over those days, read from the same functions as the API.
 */
function postNumbers(
  state: EmulatorState,
  subject: string,
  from: string,
  to: string,
): PostNumbers[] {
  const params = new URLSearchParams({
    subject,
    from: addDays(from, -(POST_LIFETIME_DAYS - 1)),
    to,
  });
  const result = computePosts(state, params);
  if (result.status !== 200) return [];
  const { posts } = result.body as { posts: PostSummary[] };
  return posts.map((post) => {
    // A post draws activity only in the days after it was published.
    const lastActive = addDays(post.publishedOn, POST_LIFETIME_DAYS - 1);
    const start = post.publishedOn > from ? post.publishedOn : from;
    const end = lastActive < to ? lastActive : to;
    const sum = (metric: string) =>
      [...series(state, post.urn, metric, start, end).values()].reduce(
        (a, b) => a + b,
        0,
      );
    return {
      ...post,
      impressions: sum("impressions"),
      reactions: sum("reactions"),
      comments: sum("comments"),
      reshares: sum("reshares"),
    };
  });
}

function topPostsSheet(posts: PostNumbers[]): unknown[][] {
  const engagements = (post: PostNumbers) =>
    post.reactions + post.comments + post.reshares;
  const byEngagements = [...posts]
    .sort((a, b) => engagements(b) - engagements(a))
    .slice(0, TOP_POSTS_LIMIT);
  const byImpressions = [...posts]
    .sort((a, b) => b.impressions - a.impressions)
    .slice(0, TOP_POSTS_LIMIT);
  const rows: unknown[][] = [
    ["Maximum of 50 posts available to include in this list"],
    [],
    [
      "Post URL",
      "Post publish date",
      "Engagements",
      "",
      "Post URL",
      "Post publish date",
      "Impressions",
    ],
  ];
  const length = Math.max(byEngagements.length, byImpressions.length);
  for (let index = 0; index < length; index++) {
    const left = byEngagements[index];
    const right = byImpressions[index];
    rows.push([
      left?.link ?? "",
      left ? usDate(left.publishedOn, false) : "",
      left ? String(engagements(left)) : "",
      "",
      right?.link ?? "",
      right ? usDate(right.publishedOn, false) : "",
      right ? String(right.impressions) : "",
    ]);
  }
  return rows;
}

function allPostsSheet(posts: PostNumbers[]): unknown[][] {
  return [
    ["All posts published by the page. Numbers are organic and sponsored."],
    [
      "Post title",
      "Post link",
      "Post type",
      "Campaign name",
      "Posted by",
      "Created date",
      "Campaign start date",
      "Campaign end date",
      "Audience",
      "Impressions",
      "Views",
      "Offsite Views",
      "Clicks",
      "Click through rate (CTR)",
      "Likes",
      "Comments",
      "Reposts",
      "Follows",
      "Engagement rate",
      "Content Type",
    ],
    ...posts.map((post) => {
      const engaged = post.reactions + post.comments + post.reshares;
      return [
        post.title,
        post.link,
        "Organic",
        "",
        "",
        usDate(post.publishedOn, true),
        "",
        "",
        "All followers",
        post.impressions,
        "",
        "",
        0,
        0,
        post.reactions,
        post.comments,
        post.reshares,
        0,
        post.impressions > 0 ? engaged / post.impressions : 0,
        "Text",
      ];
    }),
  ];
}

function listDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let ms = Date.parse(`${from}T00:00:00Z`);
    ms <= Date.parse(`${to}T00:00:00Z`);
    ms += 86_400_000
  ) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}

/** LinkedIn writes member dates as unpadded M/D/YYYY and page dates padded. */
function usDate(day: string, padded: boolean): string {
  const [year, month, date] = day.split("-");
  const strip = (part = "") => (padded ? part : String(Number(part)));
  return `${strip(month)}/${strip(date)}/${year}`;
}

function addSheet(book: XLSX.WorkBook, name: string, rows: unknown[][]) {
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
}

function memberContent(
  state: EmulatorState,
  subject: string,
  from: string,
  to: string,
) {
  const days = listDays(from, to);
  const impressions = series(state, subject, "impressions", from, to);
  const followers = series(state, subject, "follower_gains", from, to);
  const value = (map: Map<string, number>, day: string) =>
    String(map.get(day) ?? 0);
  const book = XLSX.utils.book_new();
  addSheet(book, "DISCOVERY", [
    ["Overall Performance", `${usDate(from, false)} - ${usDate(to, false)}`],
    [
      "Impressions",
      String([...impressions.values()].reduce((a, b) => a + b, 0)),
    ],
  ]);
  addSheet(book, "ENGAGEMENT", [
    ["Date", "Impressions", "Engagements"],
    ...days.map((day) => [usDate(day, false), value(impressions, day), "0"]),
  ]);
  addSheet(
    book,
    "TOP POSTS",
    topPostsSheet(postNumbers(state, subject, from, to)),
  );
  addSheet(book, "FOLLOWERS", [
    [`Total followers on ${usDate(to, false)}:`, "0"],
    [],
    ["Date", "New followers"],
    ...days.map((day) => [usDate(day, false), value(followers, day)]),
  ]);
  addSheet(book, "DEMOGRAPHICS", [["Top Demographics", "Value", "Percentage"]]);
  return book;
}

function pageBook(
  state: EmulatorState,
  kind: Exclude<ExportKind, "member_content">,
  subject: string,
  from: string,
  to: string,
) {
  const days = listDays(from, to);
  const book = XLSX.utils.book_new();
  const read = (metric: string) => series(state, subject, metric, from, to);
  const cell = (map: Map<string, number>, day: string) => map.get(day) ?? 0;

  if (kind === "page_visitors") {
    const views = read("page_views");
    addSheet(book, "Visitor metrics", [
      [
        "Date",
        "Overview page views (total)",
        "Total page views (desktop)",
        "Total page views (mobile)",
        "Total page views (total)",
        "Total unique visitors (total)",
      ],
      ...days.map((day) => [usDate(day, true), 0, 0, 0, cell(views, day), 0]),
    ]);
  } else if (kind === "page_followers") {
    const gains = read("follower_gains");
    addSheet(book, "New followers", [
      [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
      ],
      ...days.map((day) => [
        usDate(day, true),
        0,
        cell(gains, day),
        0,
        cell(gains, day),
      ]),
    ]);
  } else {
    const [impressions, reactions, comments, reshares] = [
      "impressions",
      "reactions",
      "comments",
      "reshares",
    ].map(read);
    addSheet(book, "Metrics", [
      ["All dates are in UTC. Data may be delayed by up to two days."],
      [
        "Date",
        "Impressions (organic)",
        "Impressions (sponsored)",
        "Impressions (total)",
        "Reactions (total)",
        "Comments (total)",
        "Reposts (total)",
      ],
      ...days.map((day) => [
        usDate(day, true),
        cell(impressions!, day),
        0,
        cell(impressions!, day),
        cell(reactions!, day),
        cell(comments!, day),
        cell(reshares!, day),
      ]),
    ]);
    addSheet(
      book,
      "All posts",
      allPostsSheet(postNumbers(state, subject, from, to)),
    );
  }
  return book;
}

/** Builds one export file for a demo member or page and a day range. */
export function buildExport(
  state: EmulatorState,
  kind: string,
  params: URLSearchParams,
): ExportResult {
  const subject = params.get("subject") ?? "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
    return { status: 404, error: `unknown export kind "${kind}"` };
  }
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(from) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(to) ||
    from > to
  ) {
    return {
      status: 400,
      error: "from and to must be days as YYYY-MM-DD, from on or before to",
    };
  }

  const member = findMemberByUrn(state.options.clientId, subject);
  const organization = findOrganizationByUrn(subject);
  if (kind === "member_content") {
    if (!member) return { status: 404, error: `unknown member "${subject}"` };
    const name = fullName(member).replace(/\s+/g, "_");
    const book = memberContent(state, subject, from, to);
    return {
      status: 200,
      fileName: `Content_${from}_${to}_${name}.xlsx`,
      body: XLSX.write(book, { type: "buffer", bookType: "xlsx" }) as Buffer,
    };
  }
  if (!organization) return { status: 404, error: `unknown page "${subject}"` };
  const book = pageBook(
    state,
    kind as Exclude<ExportKind, "member_content">,
    subject,
    from,
    to,
  );
  const suffix = kind.replace("page_", "");
  // Followers and visitors exports come as legacy .xls, as LinkedIn sends them.
  const legacy = kind !== "page_content";
  return {
    status: 200,
    fileName: `${organization.vanityName}_${suffix}_${state.clock.now()}.${legacy ? "xls" : "xlsx"}`,
    body: XLSX.write(book, {
      type: "buffer",
      bookType: legacy ? "biff8" : "xlsx",
    }) as Buffer,
  };
}
