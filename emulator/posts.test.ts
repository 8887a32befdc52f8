import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMember, personUrn } from "./members";
import { splitTotal } from "./posts";
import type { RunningEmulator } from "./server";
import {
  CLIENT_ID,
  control,
  dateRange,
  dayIntervals,
  encodeUrn,
  restGet,
  signIn,
  startTestEmulator,
} from "./test-support";

let emulator: RunningEmulator;
let adaToken: string;
let graceToken: string;
const ADA_URN = personUrn(CLIENT_ID, findMember("ada")!);
const GRACE_URN = personUrn(CLIENT_ID, findMember("grace")!);
const PAGE_URN = "urn:li:organization:2414183";
// The test clock is 2026-11-15, so 2026-11-14 is the last served day.
const FROM = "2026-10-01";
const TO = "2026-11-14";

type Post = {
  urn: string;
  activityUrn: string;
  link: string;
  publishedOn: string;
};
type Point = { day: string; value: number };
type Element = {
  count: number;
  dateRange: { start: { year: number; month: number; day: number } };
};
type ErrorBody = { status: number; code?: string; serviceErrorCode?: number };

async function postsOf(subject: string): Promise<Post[]> {
  const query = new URLSearchParams({ subject, from: FROM, to: TO });
  const response = await control(emulator, `/posts?${query}`);
  return ((await response.json()) as { posts: Post[] }).posts;
}

async function truth(subject: string, metric: string): Promise<Point[]> {
  const query = new URLSearchParams({ subject, metric, from: FROM, to: TO });
  const response = await control(emulator, `/truth?${query}`);
  return (await response.json()) as Point[];
}

function isoDay(date: { year: number; month: number; day: number }): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function entityKey(urn: string): string {
  return urn.startsWith("urn:li:ugcPost:") ? "ugc" : "share";
}

function entityQuery(urn: string, queryType: string, aggregation = "DAILY") {
  return (
    `memberCreatorPostAnalytics?q=entity&entity=(${entityKey(urn)}:${encodeUrn(urn)})` +
    `&queryType=${queryType}&aggregation=${aggregation}&dateRange=${dateRange(FROM, "2026-11-15")}`
  );
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  adaToken = (await signIn(emulator, "ada")).access_token;
  graceToken = (await signIn(emulator, "grace")).access_token;
});

afterAll(async () => {
  await emulator.close();
});

describe("demo posts", () => {
  it("links carry share, ugcPost or activity URNs", async () => {
    const posts = await postsOf(ADA_URN);
    expect(posts.length).toBeGreaterThan(5);
    for (const post of posts) {
      expect(post.urn).toMatch(/^urn:li:(share|ugcPost):\d{19}$/);
      expect(post.link).toMatch(
        /^https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:(share|ugcPost|activity):\d{19}\/$/,
      );
    }
    expect(posts.some((post) => post.link.includes(post.urn))).toBe(true);
  });

  it("posts add up to the member's days", async () => {
    const member = await truth(ADA_URN, "reactions");
    const all = await postsOf(ADA_URN);
    // Posts published up to 29 days before FROM still draw activity.
    const query = new URLSearchParams({
      subject: ADA_URN,
      from: "2026-09-02",
      to: TO,
    });
    const earlier = (await (
      await control(emulator, `/posts?${query}`)
    ).json()) as {
      posts: Post[];
    };
    expect(earlier.posts.length).toBeGreaterThan(all.length);
    const sums = new Map<string, number>();
    for (const post of earlier.posts) {
      for (const point of await truth(post.urn, "reactions")) {
        sums.set(point.day, (sums.get(point.day) ?? 0) + point.value);
      }
    }
    for (const point of member) {
      expect(sums.get(point.day) ?? 0, point.day).toBe(point.value);
    }
  });

  it("splitTotal keeps the total", () => {
    expect(splitTotal(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(splitTotal(0, [2, 1])).toEqual([0, 0]);
    expect(splitTotal(7, [])).toEqual([]);
  });
});

describe("memberCreatorPostAnalytics q=entity", () => {
  it("daily values equal the truth", async () => {
    const [post] = await postsOf(ADA_URN);
    const response = await restGet(
      emulator,
      entityQuery(post!.urn, "IMPRESSION"),
      adaToken,
    );
    expect(response.status).toBe(200);
    const elements = ((await response.json()) as { elements: Element[] })
      .elements;
    const served = elements.map((element) => ({
      day: isoDay(element.dateRange.start),
      value: element.count,
    }));
    const expected = await truth(post!.urn, "impressions");
    expect(served).toEqual(expected);
    expect(served[0]?.day).toBe(post!.publishedOn);
  });

  it("TOTAL equals the daily sum", async () => {
    const [post] = await postsOf(ADA_URN);
    const response = await restGet(
      emulator,
      entityQuery(post!.urn, "COMMENT", "TOTAL"),
      adaToken,
    );
    const [total] = ((await response.json()) as { elements: Element[] })
      .elements;
    const sum = (await truth(post!.urn, "comments")).reduce(
      (a, b) => a + b.value,
      0,
    );
    expect(total?.count).toBe(sum);
  });

  it("DAILY MEMBERS_REACHED gives PARAM_INVALID", async () => {
    const [post] = await postsOf(ADA_URN);
    const response = await restGet(
      emulator,
      entityQuery(post!.urn, "MEMBERS_REACHED"),
      adaToken,
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).code).toBe("PARAM_INVALID");
  });

  it("encoded parentheses give PARAM_INVALID", async () => {
    const [post] = await postsOf(ADA_URN);
    const query = entityQuery(post!.urn, "IMPRESSION").replace(
      `entity=(${entityKey(post!.urn)}:${encodeUrn(post!.urn)})`,
      `entity=${encodeURIComponent(`(${entityKey(post!.urn)}:${post!.urn})`)}`,
    );
    const response = await restGet(emulator, query, adaToken);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).code).toBe("PARAM_INVALID");
  });

  it("wrong union member gives PARAM_INVALID", async () => {
    const [post] = await postsOf(ADA_URN);
    const wrongKey = entityKey(post!.urn) === "ugc" ? "share" : "ugc";
    const query = entityQuery(post!.urn, "IMPRESSION").replace(
      `(${entityKey(post!.urn)}:`,
      `(${wrongKey}:`,
    );
    const response = await restGet(emulator, query, adaToken);
    expect(response.status).toBe(400);
  });

  it("activity URN gives PARAM_INVALID", async () => {
    const [post] = await postsOf(ADA_URN);
    const query =
      `memberCreatorPostAnalytics?q=entity&entity=(share:${encodeUrn(post!.activityUrn)})` +
      `&queryType=IMPRESSION&aggregation=DAILY&dateRange=${dateRange(FROM, "2026-11-15")}`;
    const response = await restGet(emulator, query, adaToken);
    expect(response.status).toBe(400);
  });

  it("another member's post gives 403", async () => {
    const [post] = await postsOf(GRACE_URN);
    const response = await restGet(
      emulator,
      entityQuery(post!.urn, "IMPRESSION"),
      adaToken,
    );
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(403);
    expect(body.serviceErrorCode).toBe(100);
    expect(body.code).toBe("ACCESS_DENIED");
  });

  it("unknown post gives 404", async () => {
    const urn = "urn:li:share:7300000000000000000";
    const response = await restGet(
      emulator,
      entityQuery(urn, "IMPRESSION"),
      graceToken,
    );
    expect(response.status).toBe(404);
  });

  it("sunset version gives 426", async () => {
    const [post] = await postsOf(ADA_URN);
    const response = await restGet(
      emulator,
      entityQuery(post!.urn, "IMPRESSION"),
      adaToken,
      {
        "linkedin-version": "202404",
      },
    );
    expect(response.status).toBe(426);
  });
});

describe("organizationalEntityShareStatistics shares=List", () => {
  it("daily statistics per post equal the truth", async () => {
    const posts = (await postsOf(PAGE_URN)).slice(0, 3);
    const shares = posts.filter((post) => post.urn.startsWith("urn:li:share:"));
    const ugcPosts = posts.filter((post) =>
      post.urn.startsWith("urn:li:ugcPost:"),
    );
    const list = (items: Post[]) =>
      `List(${items.map((post) => encodeUrn(post.urn)).join(",")})`;
    const query =
      `organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeUrn(PAGE_URN)}` +
      `&shares=${list(shares)}&ugcPosts=${list(ugcPosts)}&timeIntervals=${dayIntervals(FROM, "2026-11-15")}`;
    const response = await restGet(emulator, query, adaToken);
    expect(response.status).toBe(200);
    type ShareElement = {
      share?: string;
      ugcPost?: string;
      timeRange: { start: number };
      totalShareStatistics: { impressionCount: number; likeCount: number };
    };
    const elements = ((await response.json()) as { elements: ShareElement[] })
      .elements;
    for (const post of posts) {
      const served = elements
        .filter((element) => (element.share ?? element.ugcPost) === post.urn)
        .map((element) => ({
          day: new Date(element.timeRange.start).toISOString().slice(0, 10),
          value: element.totalShareStatistics.likeCount,
        }));
      expect(served.length, post.urn).toBeGreaterThan(0);
      expect(served).toEqual(await truth(post.urn, "reactions"));
    }
  });

  it("another page's post is left out", async () => {
    const [post] = await postsOf("urn:li:organization:5027390");
    const key = post!.urn.startsWith("urn:li:share:") ? "shares" : "ugcPosts";
    const query =
      `organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeUrn(PAGE_URN)}` +
      `&${key}=List(${encodeUrn(post!.urn)})&timeIntervals=${dayIntervals(FROM, "2026-11-15")}`;
    const response = await restGet(emulator, query, adaToken);
    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { elements: unknown[] }).elements,
    ).toEqual([]);
  });
});
