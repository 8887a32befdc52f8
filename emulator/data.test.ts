import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personUrn } from "./members";
import { findMember } from "./members";
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
const ADA_URN = personUrn(CLIENT_ID, findMember("ada") ?? fail());
const PAGE_URN = "urn:li:organization:2414183";
// The test clock is 2026-11-15, so 2026-11-14 is the last served day.
const RANGE = dateRange("2026-10-16", "2026-11-15");

function fail(): never {
  throw new Error("demo member ada is missing");
}

type Element = {
  count: number;
  dateRange: { start: { year: number; month: number; day: number } };
  metricType: unknown;
};

type TruthPoint = { day: string; value: number };

async function elementsOf<T>(path: string, version?: string): Promise<T[]> {
  const headers: Record<string, string> = version
    ? { "linkedin-version": version }
    : {};
  const response = await restGet(emulator, path, adaToken, headers);
  if (response.status !== 200) {
    throw new Error(`${path}: ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { elements: T[] }).elements;
}

async function truth(
  subject: string,
  metric: string,
  from: string,
  to: string,
) {
  const query = new URLSearchParams({ subject, metric, from, to });
  const response = await control(emulator, `/truth?${query}`);
  return (await response.json()) as unknown;
}

function isoDay(date: { year: number; month: number; day: number }): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function postAnalytics(queryType: string, aggregation: string, range = RANGE) {
  return `memberCreatorPostAnalytics?q=me&queryType=${queryType}&aggregation=${aggregation}&dateRange=${range}`;
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  adaToken = (await signIn(emulator, "ada")).access_token;
});

afterAll(async () => {
  await emulator.close();
});

describe("member post analytics", () => {
  for (const queryType of ["IMPRESSION", "REACTION", "COMMENT", "RESHARE"]) {
    it(`${queryType} daily sums equal TOTAL`, async () => {
      const daily = await elementsOf<Element>(
        postAnalytics(queryType, "DAILY"),
      );
      const [total] = await elementsOf<Element>(
        postAnalytics(queryType, "TOTAL"),
      );
      const sum = daily.reduce((acc, element) => acc + element.count, 0);
      expect(daily).toHaveLength(30);
      expect(sum).toBe(total?.count);
    });
  }

  it("impressions have some zero days", async () => {
    const range = dateRange("2026-01-01", "2026-11-15");
    const daily = await elementsOf<Element>(
      postAnalytics("IMPRESSION", "DAILY", range),
    );
    expect(daily.some((element) => element.count === 0)).toBe(true);
    expect(daily.some((element) => element.count > 500)).toBe(true);
  });

  it("today and later are not served", async () => {
    const range = dateRange("2026-11-10", "2026-11-20");
    const daily = await elementsOf<Element>(
      postAnalytics("IMPRESSION", "DAILY", range),
    );
    expect(daily.map((element) => isoDay(element.dateRange.start))).toEqual([
      "2026-11-10",
      "2026-11-11",
      "2026-11-12",
      "2026-11-13",
      "2026-11-14",
    ]);
  });

  it("MEMBERS_REACHED rejects DAILY", async () => {
    const response = await restGet(
      emulator,
      postAnalytics("MEMBERS_REACHED", "DAILY"),
      adaToken,
    );
    expect(response.status).toBe(400);
  });

  it("MEMBERS_REACHED stays below impressions", async () => {
    const [reached] = await elementsOf<Element>(
      postAnalytics("MEMBERS_REACHED", "TOTAL"),
    );
    const [impressions] = await elementsOf<Element>(
      postAnalytics("IMPRESSION", "TOTAL"),
    );
    expect(reached?.count).toBeGreaterThan(0);
    expect(reached?.count ?? Infinity).toBeLessThanOrEqual(
      impressions?.count ?? 0,
    );
  });

  it("metricType is a union before 202605", async () => {
    const [element] = await elementsOf<Element>(
      postAnalytics("COMMENT", "TOTAL"),
      "202604",
    );
    expect(element?.metricType).toEqual({
      "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1":
        "COMMENT",
    });
  });

  it("metricType is a string from 202605", async () => {
    const [element] = await elementsOf<Element>(
      postAnalytics("COMMENT", "TOTAL"),
      "202605",
    );
    expect(element?.metricType).toBe("COMMENT");
  });
});

describe("ground truth", () => {
  const queryTypes: Record<string, string> = {
    impressions: "IMPRESSION",
    reactions: "REACTION",
    comments: "COMMENT",
    reshares: "RESHARE",
  };

  for (const [metric, queryType] of Object.entries(queryTypes)) {
    it(`member ${metric} equals the API`, async () => {
      const daily = await elementsOf<Element>(
        postAnalytics(queryType, "DAILY"),
      );
      const api = daily.map((element) => ({
        day: isoDay(element.dateRange.start),
        value: element.count,
      }));
      expect(await truth(ADA_URN, metric, "2026-10-16", "2026-11-14")).toEqual(
        api,
      );
    });
  }

  it("member members_reached equals the TOTAL", async () => {
    const [element] = await elementsOf<Element>(
      postAnalytics("MEMBERS_REACHED", "TOTAL"),
    );
    expect(
      await truth(ADA_URN, "members_reached", "2026-10-16", "2026-11-14"),
    ).toEqual({
      from: "2026-10-16",
      to: "2026-11-14",
      value: element?.count,
    });
  });

  it("member follower_gains equals the API", async () => {
    const daily = await elementsOf<{
      memberFollowersCount: number;
      dateRange: Element["dateRange"];
    }>(`memberFollowersCount?q=dateRange&dateRange=${RANGE}`);
    const api = daily.map((element) => ({
      day: isoDay(element.dateRange.start),
      value: element.memberFollowersCount,
    }));
    expect(api).toHaveLength(30);
    expect(
      await truth(ADA_URN, "follower_gains", "2026-10-16", "2026-11-14"),
    ).toEqual(api);
  });

  it("page share statistics equal the API", async () => {
    const elements = await elementsOf<{
      timeRange: { start: number };
      totalShareStatistics: Record<string, number>;
    }>(
      `organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${encodeUrn(PAGE_URN)}&timeIntervals=${dayIntervals("2026-08-01", "2026-11-15")}`,
    );
    const api = (field: string) =>
      elements.map((element) => ({
        day: new Date(element.timeRange.start).toISOString().slice(0, 10),
        value: element.totalShareStatistics[field],
      }));
    expect(elements.length).toBeLessThan(106);
    expect(
      await truth(PAGE_URN, "impressions", "2026-08-01", "2026-11-14"),
    ).toEqual(api("impressionCount"));
    expect(
      await truth(PAGE_URN, "reactions", "2026-08-01", "2026-11-14"),
    ).toEqual(api("likeCount"));
    expect(
      await truth(PAGE_URN, "comments", "2026-08-01", "2026-11-14"),
    ).toEqual(api("commentCount"));
    expect(
      await truth(PAGE_URN, "reshares", "2026-08-01", "2026-11-14"),
    ).toEqual(api("shareCount"));
  });

  it("page follower gains equal the API", async () => {
    const elements = await elementsOf<{
      timeRange: { start: number };
      followerGains: { organicFollowerGain: number; paidFollowerGain: number };
    }>(
      `organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=${encodeUrn(PAGE_URN)}&timeIntervals=${dayIntervals("2026-11-01", "2026-11-15")}`,
    );
    const api = elements.map((element) => ({
      day: new Date(element.timeRange.start).toISOString().slice(0, 10),
      value:
        element.followerGains.organicFollowerGain +
        element.followerGains.paidFollowerGain,
    }));
    const points = (await truth(
      PAGE_URN,
      "follower_gains",
      "2026-11-01",
      "2026-11-14",
    )) as TruthPoint[];
    expect(points).toEqual(api);
    expect(points.at(-1)?.day).toBe("2026-11-13");
  });

  it("page views equal the API", async () => {
    const elements = await elementsOf<{
      timeRange: { start: number };
      totalPageStatistics: { views: Record<string, { pageViews: number }> };
    }>(
      `organizationPageStatistics?q=organization&organization=${encodeUrn(PAGE_URN)}&timeIntervals=${dayIntervals("2026-11-01", "2026-11-15")}`,
    );
    const api = elements.map((element) => ({
      day: new Date(element.timeRange.start).toISOString().slice(0, 10),
      value: element.totalPageStatistics.views.allPageViews?.pageViews,
    }));
    expect(api).toHaveLength(14);
    expect(
      await truth(PAGE_URN, "page_views", "2026-11-01", "2026-11-14"),
    ).toEqual(api);
  });

  it("share statistics keep a rolling year", async () => {
    const points = (await truth(
      PAGE_URN,
      "impressions",
      "2025-01-01",
      "2026-11-14",
    )) as TruthPoint[];
    expect(points[0]?.day.localeCompare("2025-11-15")).toBeGreaterThanOrEqual(
      0,
    );
  });

  it("rejects page_views for a member", async () => {
    const query = new URLSearchParams({
      subject: ADA_URN,
      metric: "page_views",
      from: "2026-11-01",
      to: "2026-11-02",
    });
    expect((await control(emulator, `/truth?${query}`)).status).toBe(400);
  });
});

describe("page views", () => {
  it("devices and sections add up", async () => {
    const [element] = await elementsOf<{
      totalPageStatistics: { views: Record<string, { pageViews: number }> };
    }>(
      `organizationPageStatistics?q=organization&organization=${encodeUrn(PAGE_URN)}&timeIntervals=${dayIntervals("2026-11-10", "2026-11-11")}`,
    );
    const views = element?.totalPageStatistics.views ?? {};
    const value = (key: string) => views[key]?.pageViews ?? Number.NaN;
    const sections = [
      "overview",
      "careers",
      "jobs",
      "lifeAt",
      "people",
      "about",
      "products",
      "insights",
    ];
    const sectionSum = sections.reduce(
      (sum, section) => sum + value(`${section}PageViews`),
      0,
    );
    expect(value("allDesktopPageViews") + value("allMobilePageViews")).toBe(
      value("allPageViews"),
    );
    expect(sectionSum).toBe(value("allPageViews"));
    expect(value("desktopJobsPageViews") + value("mobileJobsPageViews")).toBe(
      value("jobsPageViews"),
    );
  });
});

describe("month buckets", () => {
  it("MONTH equals the sum of its days", async () => {
    const url = (granularity: string) =>
      `organizationPageStatistics?q=organization&organization=${encodeUrn(PAGE_URN)}` +
      `&timeIntervals=(timeRange:(start:${Date.parse("2026-09-01")},end:${Date.parse("2026-10-01")}),timeGranularityType:${granularity})`;
    type Views = {
      totalPageStatistics: { views: { allPageViews: { pageViews: number } } };
    };
    const days = await elementsOf<Views>(url("DAY"));
    const months = await elementsOf<Views>(url("MONTH"));
    const daySum = days.reduce(
      (sum, element) =>
        sum + element.totalPageStatistics.views.allPageViews.pageViews,
      0,
    );
    expect(months).toHaveLength(1);
    expect(months[0]?.totalPageStatistics.views.allPageViews.pageViews).toBe(
      daySum,
    );
  });
});

describe("seed", () => {
  it("same seed gives the same data", async () => {
    const other = await startTestEmulator();
    const query = new URLSearchParams({
      subject: PAGE_URN,
      metric: "page_views",
      from: "2026-11-01",
      to: "2026-11-14",
    });
    const mine = await (await control(emulator, `/truth?${query}`)).json();
    const theirs = await (await control(other, `/truth?${query}`)).json();
    await other.close();
    expect(theirs).toEqual(mine);
  });

  it("another seed gives other data", async () => {
    const other = await startTestEmulator({ seed: 7 });
    const query = new URLSearchParams({
      subject: PAGE_URN,
      metric: "page_views",
      from: "2026-11-01",
      to: "2026-11-14",
    });
    const mine = await (await control(emulator, `/truth?${query}`)).json();
    const theirs = await (await control(other, `/truth?${query}`)).json();
    await other.close();
    expect(theirs).not.toEqual(mine);
  });
});
