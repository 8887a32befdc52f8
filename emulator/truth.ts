// GET /__emulator/truth: the exact series the API serves for one subject, in
// the app's metric names. It reads the same data functions as the endpoints.

import { formatDay, parseDay } from "./clock";
import {
  allPageViews,
  followerGains,
  memberFollowerGain,
  memberPostMetric,
  membersReached,
  pageViews,
  shareStatistics,
  type MemberPostMetric,
} from "./data";
import { isMetricName, type MetricName } from "../lib/metrics/registry";
import {
  findMemberByUrn,
  findOrganizationByUrn,
  type DemoMember,
  type DemoOrganization,
} from "./members";
import {
  memberPostDayValue,
  POST_AUTHORS,
  postShareStatistics,
} from "./post-data";
import {
  authorKey,
  findPost,
  postLink,
  postsPublished,
  type DemoPost,
  type PostAuthor,
} from "./posts";
import type { EmulatorState } from "./state";

export type TruthResult =
  | { status: 200; body: unknown }
  | { status: 400 | 404; body: { error: string } };

/** Maximum range of one truth request, in days. */
const MAX_TRUTH_DAYS = 3660;

const MEMBER_POST_METRICS: Partial<Record<MetricName, MemberPostMetric>> = {
  impressions: "IMPRESSION",
  reactions: "REACTION",
  comments: "COMMENT",
  reshares: "RESHARE",
};

type DayReader = (day: number) => number | null;

function memberReader(
  state: EmulatorState,
  member: DemoMember,
  metric: MetricName,
): DayReader | undefined {
  const seed = state.options.seed;
  const today = state.clock.today();
  const postMetric = MEMBER_POST_METRICS[metric];
  if (postMetric) {
    return (day) => memberPostMetric(seed, member, postMetric, day, today);
  }
  if (metric === "follower_gains") {
    return (day) => memberFollowerGain(seed, member, day, today);
  }
  return undefined;
}

function organizationReader(
  state: EmulatorState,
  organization: DemoOrganization,
  metric: MetricName,
): DayReader | undefined {
  const seed = state.options.seed;
  const today = state.clock.today();
  const share = (day: number) =>
    shareStatistics(seed, organization, day, today);
  switch (metric) {
    case "impressions":
      return (day) => share(day)?.impressionCount ?? null;
    case "reactions":
      return (day) => share(day)?.likeCount ?? null;
    case "comments":
      return (day) => share(day)?.commentCount ?? null;
    case "reshares":
      return (day) => share(day)?.shareCount ?? null;
    case "follower_gains":
      return (day) => {
        const gains = followerGains(seed, organization, day, today);
        return gains
          ? gains.organicFollowerGain + gains.paidFollowerGain
          : null;
      };
    case "page_views":
      return (day) => {
        const counts = pageViews(seed, organization, day, today);
        return counts ? allPageViews(counts) : null;
      };
    default:
      return undefined;
  }
}

// A post's reader: its part of the author's numbers, on the days the
// per-post finders serve.
function postReader(
  state: EmulatorState,
  found: { post: DemoPost; author: PostAuthor },
  metric: MetricName,
): DayReader | undefined {
  const seed = state.options.seed;
  const today = state.clock.today();
  const { post, author } = found;
  const postMetric = MEMBER_POST_METRICS[metric];
  if (!postMetric) return undefined;
  if (author.kind === "member") {
    return (day) =>
      memberPostDayValue(seed, author.member, post, postMetric, day, today);
  }
  const field = (
    {
      IMPRESSION: "impressionCount",
      REACTION: "likeCount",
      COMMENT: "commentCount",
      RESHARE: "shareCount",
    } as const
  )[postMetric];
  return (day) =>
    postShareStatistics(seed, author.organization, post, day, today)?.[field] ??
    null;
}

function badRequest(error: string): TruthResult {
  return { status: 400, body: { error } };
}

/**
 * Computes the truth for `from` to `to`, both inclusive. Days the API does
 * not serve are left out; members_reached returns the TOTAL of the range.
 */
export function computeTruth(
  state: EmulatorState,
  params: URLSearchParams,
): TruthResult {
  const subject = params.get("subject") ?? "";
  const metric = params.get("metric") ?? "";
  const fromDay = parseDay(params.get("from") ?? "");
  const toDay = parseDay(params.get("to") ?? "");
  if (!isMetricName(metric)) return badRequest(`unknown metric "${metric}"`);
  if (fromDay === null || toDay === null) {
    return badRequest("from and to must be days as YYYY-MM-DD");
  }
  if (toDay < fromDay || toDay - fromDay >= MAX_TRUTH_DAYS) {
    return badRequest(
      `to must be on or after from, at most ${MAX_TRUTH_DAYS} days`,
    );
  }

  const post = findPost(state.options.seed, POST_AUTHORS, subject);
  if (post) {
    const reader = postReader(state, post, metric);
    if (!reader) return badRequest(`${metric} does not exist for a post`);
    return { status: 200, body: readSeries(reader, fromDay, toDay) };
  }

  const member = findMemberByUrn(state.options.clientId, subject);
  const organization = findOrganizationByUrn(subject);
  if (!member && !organization) {
    return { status: 404, body: { error: `unknown subject "${subject}"` } };
  }

  if (metric === "members_reached") {
    if (!member) return badRequest("members_reached exists only for members");
    const { seed } = state.options;
    const value = membersReached(
      seed,
      member,
      fromDay,
      toDay + 1,
      state.clock.today(),
    );
    return {
      status: 200,
      body: { from: formatDay(fromDay), to: formatDay(toDay), value },
    };
  }

  const reader = member
    ? memberReader(state, member, metric)
    : organization && organizationReader(state, organization, metric);
  if (!reader) return badRequest(`${metric} does not exist for ${subject}`);
  return { status: 200, body: readSeries(reader, fromDay, toDay) };
}

function readSeries(reader: DayReader, fromDay: number, toDay: number) {
  const series = [];
  for (let day = fromDay; day <= toDay; day++) {
    const value = reader(day);
    if (value !== null) series.push({ day: formatDay(day), value });
  }
  return series;
}

export type PostSummary = {
  urn: string;
  activityUrn: string;
  link: string;
  title: string;
  publishedOn: string;
};

/** Finds the member or page a subject URN names, as a post author. */
export function findAuthor(
  state: EmulatorState,
  subject: string,
): PostAuthor | undefined {
  const member = findMemberByUrn(state.options.clientId, subject);
  if (member) return { kind: "member", member };
  const organization = findOrganizationByUrn(subject);
  return organization ? { kind: "organization", organization } : undefined;
}

/** Lists the posts a subject published from `from` to `to`, inclusive. */
export function computePosts(
  state: EmulatorState,
  params: URLSearchParams,
): TruthResult {
  const subject = params.get("subject") ?? "";
  const fromDay = parseDay(params.get("from") ?? "");
  const toDay = parseDay(params.get("to") ?? "");
  if (fromDay === null || toDay === null || toDay < fromDay) {
    return badRequest("from and to must be days as YYYY-MM-DD, from first");
  }
  if (toDay - fromDay >= MAX_TRUTH_DAYS) {
    return badRequest(`the range may span at most ${MAX_TRUTH_DAYS} days`);
  }
  const author = findAuthor(state, subject);
  if (!author) {
    return { status: 404, body: { error: `unknown subject "${subject}"` } };
  }
  const posts = postsPublished(
    state.options.seed,
    author,
    fromDay,
    toDay + 1,
  ).map((post): PostSummary => ({
    urn: post.urn,
    activityUrn: post.activityUrn,
    link: postLink(post),
    title: post.title,
    publishedOn: formatDay(post.publishedDay),
  }));
  return { status: 200, body: { author: authorKey(author), posts } };
}
