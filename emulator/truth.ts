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
  const series = [];
  for (let day = fromDay; day <= toDay; day++) {
    const value = reader(day);
    if (value !== null) series.push({ day: formatDay(day), value });
  }
  return { status: 200, body: series };
}
