// Single-post fetchers: a member's post through memberCreatorPostAnalytics
// (q=entity, scope r_member_postAnalytics) and a page's posts through
// organizationalEntityShareStatistics with shares/ugcPosts lists (scope
// rw_organization_admin or r_organization_admin and the ADMINISTRATOR role).

import { z } from "zod";
import type { DayRange, IsoDay } from "@/lib/metrics/types";
import type { LinkedInClient } from "./client";
import { epochMsToDay, validateRange } from "./days";
import type { DailyValue, MemberDailyMetric } from "./member-analytics";
import { organizationId, type ShareDay } from "./organization-analytics";
import { clampRange, organizationStatisticsLimits } from "./ranges";
import {
  buildQuery,
  dateRange,
  encodeRestliString,
  restliEntity,
  restliList,
  timeIntervals,
} from "./restli";

const POST_ANALYTICS_PATH = "/rest/memberCreatorPostAnalytics";
const SHARE_STATISTICS_PATH = "/rest/organizationalEntityShareStatistics";

/**
 * Posts per share statistics call.
 * NOTE: LinkedIn publishes no maximum list length; 20 keeps the URL short.
 */
export const POSTS_PER_STATISTICS_CALL = 20;

const QUERY_TYPES: Record<MemberDailyMetric, string> = {
  impressions: "IMPRESSION",
  reactions: "REACTION",
  comments: "COMMENT",
  reshares: "RESHARE",
};

const datePartsSchema = z.object({
  year: z.number().int(),
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
});

const postElementSchema = z.object({
  count: z.number(),
  dateRange: z.object({ start: datePartsSchema }),
});

const countSchema = z.number().optional().catch(undefined);

const postShareElementSchema = z.object({
  share: z.string().optional(),
  ugcPost: z.string().optional(),
  timeRange: z.object({ start: z.number(), end: z.number() }),
  totalShareStatistics: z.object({
    impressionCount: countSchema,
    likeCount: countSchema,
    commentCount: countSchema,
    shareCount: countSchema,
  }),
});

function entityOf(postUrn: string): string {
  if (postUrn.startsWith("urn:li:share:"))
    return restliEntity("share", postUrn);
  if (postUrn.startsWith("urn:li:ugcPost:"))
    return restliEntity("ugc", postUrn);
  throw new Error(
    `Invalid post URN "${postUrn}": expected urn:li:share:<id> or urn:li:ugcPost:<id>`,
  );
}

function isoDayOf(parts: z.infer<typeof datePartsSchema>): IsoDay {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

/**
 * Fetches one daily series of one of the member's own posts. Days LinkedIn
 * leaves out are left out here too.
 */
export async function fetchMemberPostDaily(
  client: LinkedInClient,
  postUrn: string,
  metric: MemberDailyMetric,
  range: DayRange,
): Promise<DailyValue[]> {
  validateRange(range);
  const query = buildQuery({
    q: "entity",
    entity: entityOf(postUrn),
    queryType: QUERY_TYPES[metric],
    aggregation: "DAILY",
    dateRange: dateRange(range),
  });
  const elements = await client.getAll(
    POST_ANALYTICS_PATH,
    query,
    postElementSchema,
  );
  return elements
    .map((element) => ({
      day: isoDayOf(element.dateRange.start),
      value: element.count,
    }))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** Daily organic statistics per post, and the requested days LinkedIn cannot serve. */
export type PostShareSeries = {
  byPost: Map<string, ShareDay[]>;
  /** The served part of the request, or null when LinkedIn serves none of it. */
  served: DayRange | null;
};

/**
 * Fetches the daily organic statistics of some of a page's posts, clamped to
 * the rolling 12 months LinkedIn serves. Posts and days without activity
 * are left out by LinkedIn, so a missing day of a served range means zero.
 */
export async function fetchOrganizationPostShareDaily(
  client: LinkedInClient,
  organizationUrn: string,
  postUrns: readonly string[],
  range: DayRange,
  options: { now?: Date } = {},
): Promise<PostShareSeries> {
  organizationId(organizationUrn);
  const limits = organizationStatisticsLimits(
    "share",
    options.now ?? new Date(),
  );
  const served = clampRange(range, limits).range;
  const byPost = new Map<string, ShareDay[]>(postUrns.map((urn) => [urn, []]));
  if (!served || postUrns.length === 0) return { byPost, served };

  for (
    let start = 0;
    start < postUrns.length;
    start += POSTS_PER_STATISTICS_CALL
  ) {
    const batch = postUrns.slice(start, start + POSTS_PER_STATISTICS_CALL);
    const params: Record<string, string> = {
      q: "organizationalEntity",
      organizationalEntity: encodeRestliString(organizationUrn),
    };
    const shares = batch.filter((urn) => urn.startsWith("urn:li:share:"));
    const ugcPosts = batch.filter((urn) => urn.startsWith("urn:li:ugcPost:"));
    if (shares.length)
      params.shares = restliList(shares.map(encodeRestliString));
    if (ugcPosts.length) {
      params.ugcPosts = restliList(ugcPosts.map(encodeRestliString));
    }
    params.timeIntervals = timeIntervals(served);
    const elements = await client.getAll(
      SHARE_STATISTICS_PATH,
      buildQuery(params),
      postShareElementSchema,
    );
    for (const element of elements) {
      const days = byPost.get(element.share ?? element.ugcPost ?? "");
      if (!days) continue;
      const statistics = element.totalShareStatistics;
      days.push({
        day: epochMsToDay(element.timeRange.start),
        impressions: statistics.impressionCount ?? 0,
        reactions: statistics.likeCount ?? 0,
        comments: statistics.commentCount ?? 0,
        reshares: statistics.shareCount ?? 0,
      });
    }
  }
  return { byPost, served };
}
