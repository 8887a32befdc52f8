// Company page fetchers (scope rw_organization_admin or r_organization_admin,
// and the member must be an ADMINISTRATOR of the page).

import { z } from "zod";
import type { DayRange, IsoDay } from "@/lib/metrics/types";
import type { LinkedInClient } from "./client";
import { epochMsToDay, listDays } from "./days";
import type { DailyValue } from "./member-analytics";
import { clampRange, organizationStatisticsLimits, splitRange } from "./ranges";
import { buildQuery, encodeRestliString, timeIntervals } from "./restli";

const ORGANIZATION_URN = /^urn:li:organization:(\d+)$/;

/**
 * Days requested per statistics call.
 * NOTE: LinkedIn publishes no maximum for timeIntervals. 365 days is a guess
 * that covers the whole 12-month window in one call.
 */
export const STATISTICS_WINDOW_DAYS = 365;

export type ShareDay = {
  day: IsoDay;
  impressions: number;
  reactions: number;
  comments: number;
  reshares: number;
};

/** A daily series and the requested days LinkedIn cannot serve. */
export type DailySeries<T> = { days: T[]; gaps: DayRange[] };

export type StatisticsOptions = {
  /** Current time that sets the rolling limits; defaults to the clock. */
  now?: Date;
  windowDays?: number;
};

const timeRangeSchema = z.object({ start: z.number(), end: z.number() });
const countSchema = z.number().optional().catch(undefined);

const aclElementSchema = z.object({
  organization: z.string(),
  role: z.string().optional(),
  state: z.string().optional(),
});

const organizationSchema = z.object({
  localizedName: z.string(),
  vanityName: z.string().nullish(),
});

const shareElementSchema = z.object({
  timeRange: timeRangeSchema,
  totalShareStatistics: z.object({
    impressionCount: countSchema,
    likeCount: countSchema,
    commentCount: countSchema,
    shareCount: countSchema,
  }),
});

const pageViewsElementSchema = z.object({
  timeRange: timeRangeSchema,
  totalPageStatistics: z
    .object({
      views: z
        .object({
          allPageViews: z.object({ pageViews: countSchema }).optional(),
        })
        .optional(),
    })
    .optional(),
});

const followerElementSchema = z.object({
  timeRange: timeRangeSchema,
  followerGains: z.object({
    organicFollowerGain: countSchema,
    paidFollowerGain: countSchema,
  }),
});

/** Returns the numeric id of `urn:li:organization:<id>`, or throws. */
export function organizationId(urn: string): string {
  const id = ORGANIZATION_URN.exec(urn)?.[1];
  if (!id) {
    throw new Error(
      `Invalid organization URN "${urn}": expected urn:li:organization:<id>`,
    );
  }
  return id;
}

/** Fetches the URNs of the pages the member administers (approved roles). */
export async function fetchAdministeredOrganizations(
  client: LinkedInClient,
): Promise<string[]> {
  const query = buildQuery({
    q: "roleAssignee",
    role: "ADMINISTRATOR",
    state: "APPROVED",
  });
  const elements = await client.getAll(
    "/rest/organizationAcls",
    query,
    aclElementSchema,
  );
  const urns = elements
    .filter((acl) => (acl.role ?? "ADMINISTRATOR") === "ADMINISTRATOR")
    .filter((acl) => (acl.state ?? "APPROVED") === "APPROVED")
    .map((acl) => acl.organization);
  return [...new Set(urns)];
}

export async function fetchOrganization(
  client: LinkedInClient,
  urn: string,
): Promise<{ urn: string; name: string; vanityName: string | null }> {
  const path = `/rest/organizations/${organizationId(urn)}`;
  const body = await client.get(path, "", organizationSchema);
  return { urn, name: body.localizedName, vanityName: body.vanityName ?? null };
}

/**
 * Runs a statistics finder over the part of `range` LinkedIn serves, one
 * window at a time, and zero-fills every served day LinkedIn left out.
 */
async function fetchStatistics<E, T extends { day: IsoDay }>(
  request: {
    client: LinkedInClient;
    path: string;
    finderParams: Record<string, string>;
    elementSchema: z.ZodType<E>;
    kind: "share" | "page" | "follower";
  },
  range: DayRange,
  options: StatisticsOptions,
  toDay: (element: E) => T,
  zeroDay: (day: IsoDay) => T,
): Promise<DailySeries<T>> {
  const limits = organizationStatisticsLimits(
    request.kind,
    options.now ?? new Date(),
  );
  const clamped = clampRange(range, limits);
  if (!clamped.range) {
    return { days: [], gaps: clamped.gaps };
  }

  const byDay = new Map<IsoDay, T>();
  const windows = splitRange(
    clamped.range,
    options.windowDays ?? STATISTICS_WINDOW_DAYS,
  );
  for (const window of windows) {
    const query = buildQuery({
      ...request.finderParams,
      timeIntervals: timeIntervals(window),
    });
    const elements = await request.client.getAll(
      request.path,
      query,
      request.elementSchema,
    );
    for (const element of elements) {
      const value = toDay(element);
      byDay.set(value.day, value);
    }
  }

  const days = listDays(clamped.range).map(
    (day) => byDay.get(day) ?? zeroDay(day),
  );
  return { days, gaps: clamped.gaps };
}

function entityParams(urn: string): Record<string, string> {
  organizationId(urn);
  return {
    q: "organizationalEntity",
    organizationalEntity: encodeRestliString(urn),
  };
}

/**
 * Fetches organic share statistics per day. Posts without activity are left
 * out by LinkedIn, so a missing day means zero. `likeCount` can be negative.
 */
export function fetchOrganizationShareDaily(
  client: LinkedInClient,
  urn: string,
  range: DayRange,
  options: StatisticsOptions = {},
): Promise<DailySeries<ShareDay>> {
  return fetchStatistics(
    {
      client,
      path: "/rest/organizationalEntityShareStatistics",
      finderParams: entityParams(urn),
      elementSchema: shareElementSchema,
      kind: "share",
    },
    range,
    options,
    (element) => ({
      day: epochMsToDay(element.timeRange.start),
      impressions: element.totalShareStatistics.impressionCount ?? 0,
      reactions: element.totalShareStatistics.likeCount ?? 0,
      comments: element.totalShareStatistics.commentCount ?? 0,
      reshares: element.totalShareStatistics.shareCount ?? 0,
    }),
    (day) => ({ day, impressions: 0, reactions: 0, comments: 0, reshares: 0 }),
  );
}

/** Fetches page views per day, all sections and devices. */
export function fetchOrganizationPageViewsDaily(
  client: LinkedInClient,
  urn: string,
  range: DayRange,
  options: StatisticsOptions = {},
): Promise<DailySeries<DailyValue>> {
  organizationId(urn);
  return fetchStatistics(
    {
      client,
      path: "/rest/organizationPageStatistics",
      finderParams: {
        q: "organization",
        organization: encodeRestliString(urn),
      },
      elementSchema: pageViewsElementSchema,
      kind: "page",
    },
    range,
    options,
    (element) => ({
      day: epochMsToDay(element.timeRange.start),
      value: element.totalPageStatistics?.views?.allPageViews?.pageViews ?? 0,
    }),
    (day) => ({ day, value: 0 }),
  );
}

/** Fetches new followers per day, organic plus paid. */
export function fetchOrganizationFollowerGainsDaily(
  client: LinkedInClient,
  urn: string,
  range: DayRange,
  options: StatisticsOptions = {},
): Promise<DailySeries<DailyValue>> {
  return fetchStatistics(
    {
      client,
      path: "/rest/organizationalEntityFollowerStatistics",
      finderParams: entityParams(urn),
      elementSchema: followerElementSchema,
      kind: "follower",
    },
    range,
    options,
    (element) => ({
      day: epochMsToDay(element.timeRange.start),
      value:
        (element.followerGains.organicFollowerGain ?? 0) +
        (element.followerGains.paidFollowerGain ?? 0),
    }),
    (day) => ({ day, value: 0 }),
  );
}
