import { afterEach, describe, expect, it } from "vitest";
import {
  clampRange,
  fetchAdministeredOrganizations,
  fetchMemberDaily,
  fetchMemberFollowerGains,
  fetchMembersReached,
  fetchOrganization,
  fetchOrganizationFollowerGainsDaily,
  fetchOrganizationPageViewsDaily,
  fetchOrganizationShareDaily,
  organizationStatisticsLimits,
  splitRange,
} from "./analytics";
import { LinkedInClient } from "./client";
import { InvalidResponse } from "./errors";
import {
  startTestServer,
  type RecordedRequest,
  type Reply,
  type TestServer,
} from "./test-server";

const NOW = new Date("2026-12-04T10:00:00Z");
const ORG = "urn:li:organization:123";
const ORG_ENCODED = "urn%3Ali%3Aorganization%3A123";
const UNION_KEY =
  "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientServing(handler: (request: RecordedRequest) => Reply) {
  server = await startTestServer(handler);
  const client = new LinkedInClient({
    apiBase: server.url,
    accessToken: "t",
    maxAttempts: 1,
  });
  return { client, requests: server.requests };
}

function dateParts(day: string) {
  const [year, month, date] = day.split("-").map(Number);
  return { year, month, day: date };
}

function memberElement(day: string, count: number, metricType: unknown) {
  return {
    count,
    dateRange: { start: dateParts(day), end: dateParts(day) },
    metricType,
  };
}

function dayMs(day: string): { start: number; end: number } {
  const start = Date.parse(`${day}T00:00:00Z`);
  return { start, end: start + 86_400_000 };
}

describe("fetchMemberDaily", () => {
  it("builds the exact query", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    await fetchMemberDaily(client, "comments", {
      from: "2026-05-04",
      to: "2026-05-05",
    });
    expect(requests[0]?.url).toBe(
      "/rest/memberCreatorPostAnalytics?q=me&queryType=COMMENT&aggregation=DAILY" +
        "&dateRange=(start:(year:2026,month:5,day:4),end:(year:2026,month:5,day:6))",
    );
  });

  it("accepts both metricType forms", async () => {
    const { client } = await clientServing(() => ({
      body: {
        elements: [
          memberElement("2026-05-05", 3, "IMPRESSION"),
          memberElement("2026-05-04", 2, { [UNION_KEY]: "IMPRESSION" }),
        ],
      },
    }));
    const values = await fetchMemberDaily(client, "impressions", {
      from: "2026-05-04",
      to: "2026-05-05",
    });
    expect(values).toEqual([
      { day: "2026-05-04", value: 2 },
      { day: "2026-05-05", value: 3 },
    ]);
  });

  it("rejects an element without dateRange", async () => {
    const { client } = await clientServing(() => ({
      body: { elements: [{ count: 1 }] },
    }));
    const call = fetchMemberDaily(client, "reshares", {
      from: "2026-05-04",
      to: "2026-05-04",
    });
    await expect(call).rejects.toBeInstanceOf(InvalidResponse);
  });
});

describe("fetchMembersReached", () => {
  it("asks for a TOTAL", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [{ count: 42, metricType: "MEMBERS_REACHED" }] },
    }));
    const reached = await fetchMembersReached(client, {
      from: "2026-05-01",
      to: "2026-05-31",
    });
    expect(reached).toBe(42);
    expect(requests[0]?.url).toContain(
      "queryType=MEMBERS_REACHED&aggregation=TOTAL&dateRange=",
    );
  });

  it("returns zero without elements", async () => {
    const { client } = await clientServing(() => ({ body: { elements: [] } }));
    expect(
      await fetchMembersReached(client, {
        from: "2026-05-01",
        to: "2026-05-02",
      }),
    ).toBe(0);
  });
});

describe("fetchMemberFollowerGains", () => {
  it("reads one element per day", async () => {
    const { client, requests } = await clientServing(() => ({
      body: {
        elements: [
          {
            memberFollowersCount: 4,
            dateRange: {
              start: dateParts("2026-05-02"),
              end: dateParts("2026-05-03"),
            },
          },
          {
            memberFollowersCount: 1,
            dateRange: {
              start: dateParts("2026-05-01"),
              end: dateParts("2026-05-02"),
            },
          },
        ],
      },
    }));
    const gains = await fetchMemberFollowerGains(client, {
      from: "2026-05-01",
      to: "2026-05-02",
    });
    expect(gains).toEqual([
      { day: "2026-05-01", value: 1 },
      { day: "2026-05-02", value: 4 },
    ]);
    expect(requests[0]?.url).toBe(
      "/rest/memberFollowersCount?q=dateRange" +
        "&dateRange=(start:(year:2026,month:5,day:1),end:(year:2026,month:5,day:3))",
    );
  });
});

describe("organizations", () => {
  it("lists administered pages across pages", async () => {
    const { client, requests } = await clientServing((request) => {
      const acl = (id: number) => ({
        roleAssignee: "urn:li:person:abc",
        role: "ADMINISTRATOR",
        state: "APPROVED",
        organization: `urn:li:organization:${id}`,
      });
      if (request.url.includes("start=1")) {
        return {
          body: { elements: [acl(2), acl(1)], paging: { start: 1, count: 10 } },
        };
      }
      return {
        body: {
          elements: [acl(1)],
          paging: {
            start: 0,
            count: 1,
            links: [{ rel: "next", href: `${request.url}&start=1&count=1` }],
          },
        },
      };
    });
    const urns = await fetchAdministeredOrganizations(client);
    expect(urns).toEqual(["urn:li:organization:1", "urn:li:organization:2"]);
    expect(requests[0]?.url).toBe(
      "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
    );
  });

  it("fetches name and vanity name", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { id: 123, localizedName: "Acme", vanityName: "acme" },
    }));
    const organization = await fetchOrganization(client, ORG);
    expect(organization).toEqual({
      urn: ORG,
      name: "Acme",
      vanityName: "acme",
    });
    expect(requests[0]?.url).toBe("/rest/organizations/123");
  });

  it("rejects a person URN", async () => {
    const { client } = await clientServing(() => ({ body: {} }));
    await expect(fetchOrganization(client, "urn:li:person:1")).rejects.toThrow(
      /Invalid organization URN/,
    );
  });
});

describe("fetchOrganizationShareDaily", () => {
  const range = { from: "2026-12-01", to: "2026-12-03" };

  it("builds the exact query", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    await fetchOrganizationShareDaily(client, ORG, range, { now: NOW });
    const { start } = dayMs("2026-12-01");
    const end = dayMs("2026-12-03").end;
    expect(requests[0]?.url).toBe(
      `/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${ORG_ENCODED}` +
        `&timeIntervals=(timeRange:(start:${start},end:${end}),timeGranularityType:DAY)`,
    );
  });

  it("zero-fills missing days", async () => {
    const { client } = await clientServing(() => ({
      body: {
        elements: [
          {
            organizationalEntity: ORG,
            timeRange: dayMs("2026-12-02"),
            totalShareStatistics: {
              impressionCount: 10,
              likeCount: -1,
              commentCount: 2,
              shareCount: 1,
              clickCount: 5,
            },
          },
        ],
      },
    }));
    const series = await fetchOrganizationShareDaily(client, ORG, range, {
      now: NOW,
    });
    expect(series.days).toEqual([
      {
        day: "2026-12-01",
        impressions: 0,
        reactions: 0,
        comments: 0,
        reshares: 0,
      },
      {
        day: "2026-12-02",
        impressions: 10,
        reactions: -1,
        comments: 2,
        reshares: 1,
      },
      {
        day: "2026-12-03",
        impressions: 0,
        reactions: 0,
        comments: 0,
        reshares: 0,
      },
    ]);
    expect(series.gaps).toEqual([]);
  });

  it("reports days before 12 months as gaps", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    const series = await fetchOrganizationShareDaily(
      client,
      ORG,
      { from: "2025-12-01", to: "2025-12-06" },
      { now: NOW },
    );
    expect(series.gaps).toEqual([{ from: "2025-12-01", to: "2025-12-04" }]);
    expect(series.days.map((day) => day.day)).toEqual([
      "2025-12-05",
      "2025-12-06",
    ]);
    expect(requests).toHaveLength(1);
  });

  it("splits into windows", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    const series = await fetchOrganizationShareDaily(client, ORG, range, {
      now: NOW,
      windowDays: 2,
    });
    expect(requests).toHaveLength(2);
    expect(series.days).toHaveLength(3);
  });
});

describe("fetchOrganizationPageViewsDaily", () => {
  it("reads allPageViews", async () => {
    const { client, requests } = await clientServing(() => ({
      body: {
        elements: [
          {
            organization: ORG,
            timeRange: dayMs("2026-12-01"),
            totalPageStatistics: {
              views: {
                allPageViews: { pageViews: 7 },
                careersPageViews: { pageViews: 2 },
              },
            },
          },
        ],
      },
    }));
    const series = await fetchOrganizationPageViewsDaily(
      client,
      ORG,
      { from: "2026-12-01", to: "2026-12-02" },
      { now: NOW },
    );
    expect(series.days).toEqual([
      { day: "2026-12-01", value: 7 },
      { day: "2026-12-02", value: 0 },
    ]);
    expect(requests[0]?.url).toContain(
      `/rest/organizationPageStatistics?q=organization&organization=${ORG_ENCODED}&timeIntervals=`,
    );
  });
});

describe("fetchOrganizationFollowerGainsDaily", () => {
  it("sums organic and paid", async () => {
    const { client } = await clientServing(() => ({
      body: {
        elements: [
          {
            timeRange: dayMs("2026-11-30"),
            followerGains: { organicFollowerGain: 3, paidFollowerGain: 2 },
          },
        ],
      },
    }));
    const series = await fetchOrganizationFollowerGainsDaily(
      client,
      ORG,
      { from: "2026-11-30", to: "2026-11-30" },
      { now: NOW },
    );
    expect(series.days).toEqual([{ day: "2026-11-30", value: 5 }]);
  });

  it("stops two days before today", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    const series = await fetchOrganizationFollowerGainsDaily(
      client,
      ORG,
      { from: "2026-12-01", to: "2026-12-04" },
      { now: NOW },
    );
    expect(series.gaps).toEqual([{ from: "2026-12-03", to: "2026-12-04" }]);
    expect(series.days.map((day) => day.day)).toEqual([
      "2026-12-01",
      "2026-12-02",
    ]);
    expect(requests[0]?.url).toContain(
      "organizationalEntity=urn%3Ali%3Aorganization%3A123",
    );
  });

  it("skips the call when nothing is served", async () => {
    const { client, requests } = await clientServing(() => ({
      body: { elements: [] },
    }));
    const series = await fetchOrganizationFollowerGainsDaily(
      client,
      ORG,
      { from: "2026-12-03", to: "2026-12-04" },
      { now: NOW },
    );
    expect(series.days).toEqual([]);
    expect(series.gaps).toEqual([{ from: "2026-12-03", to: "2026-12-04" }]);
    expect(requests).toHaveLength(0);
  });
});

describe("splitRange", () => {
  it("splits into full windows and a rest", () => {
    expect(splitRange({ from: "2026-01-30", to: "2026-02-05" }, 3)).toEqual([
      { from: "2026-01-30", to: "2026-02-01" },
      { from: "2026-02-02", to: "2026-02-04" },
      { from: "2026-02-05", to: "2026-02-05" },
    ]);
  });

  it("keeps a short range whole", () => {
    expect(splitRange({ from: "2026-01-01", to: "2026-01-02" }, 90)).toEqual([
      { from: "2026-01-01", to: "2026-01-02" },
    ]);
  });

  it("rejects a zero window", () => {
    expect(() =>
      splitRange({ from: "2026-01-01", to: "2026-01-02" }, 0),
    ).toThrow(/Invalid window size/);
  });
});

describe("clampRange", () => {
  it("cuts both ends", () => {
    const clamped = clampRange(
      { from: "2026-01-01", to: "2026-01-10" },
      { earliest: "2026-01-03", latest: "2026-01-08" },
    );
    expect(clamped.range).toEqual({ from: "2026-01-03", to: "2026-01-08" });
    expect(clamped.gaps).toEqual([
      { from: "2026-01-01", to: "2026-01-02" },
      { from: "2026-01-09", to: "2026-01-10" },
    ]);
  });

  it("keeps a range inside the limits", () => {
    const clamped = clampRange(
      { from: "2026-01-03", to: "2026-01-04" },
      { earliest: null, latest: "2026-01-04" },
    );
    expect(clamped.range).toEqual({ from: "2026-01-03", to: "2026-01-04" });
    expect(clamped.gaps).toEqual([]);
  });

  it("returns no range when disjoint", () => {
    const clamped = clampRange(
      { from: "2026-01-01", to: "2026-01-02" },
      { earliest: "2026-02-01", latest: null },
    );
    expect(clamped.range).toBeNull();
    expect(clamped.gaps).toEqual([{ from: "2026-01-01", to: "2026-01-02" }]);
  });
});

describe("organizationStatisticsLimits", () => {
  it("sets share limits", () => {
    expect(organizationStatisticsLimits("share", NOW)).toEqual({
      earliest: "2025-12-05",
      latest: "2026-12-04",
    });
  });

  it("sets follower limits", () => {
    expect(organizationStatisticsLimits("follower", NOW).latest).toBe(
      "2026-12-02",
    );
  });
});
