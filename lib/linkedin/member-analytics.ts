// Member analytics fetchers (Community Management API scopes
// r_member_postAnalytics and r_member_profileAnalytics).

import { z } from "zod";
import type { DayRange, IsoDay } from "@/lib/metrics/types";
import type { LinkedInClient } from "./client";
import { validateRange } from "./days";
import { buildQuery, dateRange } from "./restli";

export type DailyValue = { day: IsoDay; value: number };

export type MemberDailyMetric =
  "impressions" | "reactions" | "comments" | "reshares";

const POST_ANALYTICS_PATH = "/rest/memberCreatorPostAnalytics";
const FOLLOWERS_COUNT_PATH = "/rest/memberFollowersCount";

const QUERY_TYPES: Record<MemberDailyMetric, string> = {
  impressions: "IMPRESSION",
  reactions: "REACTION",
  comments: "COMMENT",
  reshares: "RESHARE",
};

/**
 * Meaning of the daily value of memberFollowersCount?q=dateRange.
 * NOTE: LinkedIn does not document whether it is the day's new followers
 * ("gain") or the running total ("total"). This module assumes "gain", and
 * this constant is the one switch.
 */
export const MEMBER_FOLLOWER_DAILY_VALUE: "gain" | "total" = "gain";

const datePartsSchema = z.object({
  year: z.number().int(),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

const elementDateRangeSchema = z.object({
  start: datePartsSchema,
  end: datePartsSchema.optional(),
});

// metricType was a union object keyed by the Pegasus type name, and from
// version 202605 it is reportedly a plain string, so both are accepted.
const metricTypeSchema = z.union([
  z.string(),
  z.record(z.string(), z.string()),
]);

const postAnalyticsElementSchema = z.object({
  count: z.number(),
  dateRange: elementDateRangeSchema.optional(),
  metricType: metricTypeSchema.optional(),
});

const followersElementSchema = z.object({
  memberFollowersCount: z.number(),
  dateRange: elementDateRangeSchema,
});

function partsToDay(parts: z.infer<typeof datePartsSchema>): IsoDay {
  const month = String(parts.month).padStart(2, "0");
  const day = String(parts.day).padStart(2, "0");
  return `${parts.year}-${month}-${day}`;
}

function postAnalyticsQuery(
  queryType: string,
  aggregation: "DAILY" | "TOTAL",
  range: DayRange,
): string {
  validateRange(range);
  return buildQuery({
    q: "me",
    queryType,
    aggregation,
    dateRange: dateRange(range),
  });
}

function sortByDay(values: DailyValue[]): DailyValue[] {
  return values.sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Fetches one daily series over all of the member's posts. Days LinkedIn
 * leaves out are left out here too. LinkedIn calls these numbers best effort.
 */
export async function fetchMemberDaily(
  client: LinkedInClient,
  metric: MemberDailyMetric,
  range: DayRange,
): Promise<DailyValue[]> {
  const query = postAnalyticsQuery(QUERY_TYPES[metric], "DAILY", range);
  const elements = await client.getAll(
    POST_ANALYTICS_PATH,
    query,
    postAnalyticsElementSchema.required({ dateRange: true }),
  );
  return sortByDay(
    elements.map((element) => ({
      day: partsToDay(element.dateRange.start),
      value: element.count,
    })),
  );
}

/**
 * Fetches the unique members reached over the whole range. LinkedIn refuses
 * DAILY for this type, and daily values could not be summed anyway.
 */
export async function fetchMembersReached(
  client: LinkedInClient,
  range: DayRange,
): Promise<number> {
  const query = postAnalyticsQuery("MEMBERS_REACHED", "TOTAL", range);
  const body = await client.get(
    POST_ANALYTICS_PATH,
    query,
    z.object({ elements: z.array(postAnalyticsElementSchema) }),
  );
  return body.elements[0]?.count ?? 0;
}

/** Turns running totals into day-over-day gains, dropping the first day. */
function totalsToGains(totals: DailyValue[]): DailyValue[] {
  const gains: DailyValue[] = [];
  for (let index = 1; index < totals.length; index++) {
    const previous = totals[index - 1];
    const current = totals[index];
    if (previous && current) {
      gains.push({ day: current.day, value: current.value - previous.value });
    }
  }
  return gains;
}

/** Fetches the member's new followers per day. */
export async function fetchMemberFollowerGains(
  client: LinkedInClient,
  range: DayRange,
): Promise<DailyValue[]> {
  validateRange(range);
  const query = buildQuery({ q: "dateRange", dateRange: dateRange(range) });
  const elements = await client.getAll(
    FOLLOWERS_COUNT_PATH,
    query,
    followersElementSchema,
  );
  const values = sortByDay(
    elements.map((element) => ({
      day: partsToDay(element.dateRange.start),
      value: element.memberFollowersCount,
    })),
  );
  return MEMBER_FOLLOWER_DAILY_VALUE === "gain"
    ? values
    : totalsToGains(values);
}
