// The analytics data the emulator serves. Every number is a pure function of
// (seed, subject, metric, day), and every endpoint and the ground-truth route
// read these functions, so the API and the truth cannot disagree.
//
// A function returns null for a day the API does not serve. Only whole
// completed UTC days before the virtual today are ever served.

import { weekdayOf } from "./clock";
import type { DemoMember, DemoOrganization } from "./members";
import { hashUnit } from "./random";

/** First day with data: 2023-01-01. Earlier days are never served. */
export const DATA_START_DAY = 19358;

/** Share and follower statistics of a page cover a rolling 12 months. */
export const ROLLING_WINDOW_DAYS = 365;

/**
 * Page follower gains are served up to two days ago, because LinkedIn
 * publishes them with up to two days of delay.
 */
export const FOLLOWER_GAIN_DELAY_DAYS = 2;

export type MemberPostMetric =
  "IMPRESSION" | "REACTION" | "COMMENT" | "RESHARE";

export type ShareStatistics = {
  impressionCount: number;
  uniqueImpressionsCount: number;
  clickCount: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  engagement: number;
};

export type FollowerGains = {
  organicFollowerGain: number;
  paidFollowerGain: number;
};

export const PAGE_SECTIONS = [
  "overview",
  "careers",
  "jobs",
  "lifeAt",
  "people",
  "about",
  "products",
  "insights",
] as const;

export type PageSection = (typeof PAGE_SECTIONS)[number];

export type PageViewCounts = Record<
  PageSection,
  { desktop: number; mobile: number }
>;

// Share of each section in a page's views; the sections are disjoint.
const SECTION_WEIGHTS: Record<PageSection, number> = {
  overview: 0.34,
  careers: 0.05,
  jobs: 0.16,
  lifeAt: 0.05,
  people: 0.15,
  about: 0.12,
  products: 0.08,
  insights: 0.05,
};

// Relative activity from Sunday to Saturday.
const WEEKDAY_FACTORS = [0.45, 1.05, 1.15, 1.1, 1.0, 0.85, 0.5];

function weekdayFactor(day: number): number {
  return WEEKDAY_FACTORS[weekdayOf(day)] ?? 1;
}

// A slow 90-day wave per subject, so series show trends and not only noise.
function trendFactor(seed: number, subject: string, day: number): number {
  const phase = hashUnit(seed, subject, "phase") * 2 * Math.PI;
  return 1 + 0.3 * Math.sin((2 * Math.PI * day) / 90 + phase);
}

// Noise with mean 1, in [0.5, 1.5).
function noise(seed: number, subject: string, metric: string, day: number) {
  return 0.5 + hashUnit(seed, subject, metric, day);
}

function isQuietDay(
  seed: number,
  subject: string,
  day: number,
  share: number,
): boolean {
  return hashUnit(seed, subject, "quiet", day) < share;
}

function inDataRange(day: number, today: number): boolean {
  return day >= DATA_START_DAY && day < today;
}

function inRollingWindow(day: number, today: number): boolean {
  return inDataRange(day, today) && day >= today - ROLLING_WINDOW_DAYS;
}

function memberImpressions(seed: number, member: DemoMember, day: number) {
  const subject = `member:${member.id}`;
  if (isQuietDay(seed, subject, day, 0.12)) return 0;
  const level =
    member.postActivity * weekdayFactor(day) * trendFactor(seed, subject, day);
  return Math.round(level * noise(seed, subject, "IMPRESSION", day));
}

// Engagement per impression, as mean rates.
const MEMBER_RATES: Record<Exclude<MemberPostMetric, "IMPRESSION">, number> = {
  REACTION: 0.011,
  COMMENT: 0.0018,
  RESHARE: 0.0007,
};

/** Returns one day of a member's post analytics. */
export function memberPostMetric(
  seed: number,
  member: DemoMember,
  metric: MemberPostMetric,
  day: number,
  today: number,
): number | null {
  if (!inDataRange(day, today)) return null;
  const impressions = memberImpressions(seed, member, day);
  if (metric === "IMPRESSION") return impressions;
  const rate = MEMBER_RATES[metric];
  const jitter = noise(seed, `member:${member.id}`, metric, day);
  return Math.round(impressions * rate * jitter);
}

/** Sums a member post metric over the served days of [from, to). */
export function memberPostTotal(
  seed: number,
  member: DemoMember,
  metric: MemberPostMetric,
  fromDay: number,
  toDayExclusive: number,
  today: number,
): number {
  let total = 0;
  for (let day = fromDay; day < toDayExclusive; day++) {
    total += memberPostMetric(seed, member, metric, day, today) ?? 0;
  }
  return total;
}

/**
 * Returns the unique members reached over [from, to): a share of the
 * impressions that falls as the range grows, because members who saw one
 * post tend to see the next. Never above the impressions of the range.
 */
export function membersReached(
  seed: number,
  member: DemoMember,
  fromDay: number,
  toDayExclusive: number,
  today: number,
): number {
  const impressions = memberPostTotal(
    seed,
    member,
    "IMPRESSION",
    fromDay,
    toDayExclusive,
    today,
  );
  const days = Math.max(1, toDayExclusive - fromDay);
  const jitter = hashUnit(seed, member.id, "reach", fromDay, toDayExclusive);
  const share = 0.8 / (1 + 0.15 * Math.log10(days)) - 0.1 * jitter;
  return Math.floor(impressions * share);
}

/** Returns a member's new followers on one day. */
export function memberFollowerGain(
  seed: number,
  member: DemoMember,
  day: number,
  today: number,
): number | null {
  if (!inDataRange(day, today)) return null;
  const subject = `member:${member.id}`;
  const level = (member.postActivity / 180) * weekdayFactor(day);
  return Math.round(level * noise(seed, subject, "FOLLOWER_GAIN", day));
}

/** Returns a member's follower total: the base plus every served gain. */
export function memberFollowerTotal(
  seed: number,
  member: DemoMember,
  today: number,
): number {
  let total = member.followerBase;
  for (let day = DATA_START_DAY; day < today; day++) {
    total += memberFollowerGain(seed, member, day, today) ?? 0;
  }
  return total;
}

/**
 * Returns one day of a page's organic share statistics, or null when the day
 * is outside the rolling window or had no activity. LinkedIn leaves such
 * days out of its response.
 */
export function shareStatistics(
  seed: number,
  organization: DemoOrganization,
  day: number,
  today: number,
): ShareStatistics | null {
  if (!inRollingWindow(day, today)) return null;
  const subject = `organization:${organization.id}`;
  if (isQuietDay(seed, subject, day, 0.18)) return null;

  const level =
    organization.postActivity *
    weekdayFactor(day) *
    trendFactor(seed, subject, day);
  const impressionCount = Math.round(level * noise(seed, subject, "imp", day));
  if (impressionCount === 0) return null;

  const count = (metric: string, rate: number) =>
    Math.round(impressionCount * rate * noise(seed, subject, metric, day));
  const uniqueShare = 0.55 + 0.25 * hashUnit(seed, subject, "unique", day);
  const clickCount = count("click", 0.018);
  const likeCount = count("like", 0.014);
  const commentCount = count("comment", 0.0025);
  const shareCount = count("share", 0.0012);
  const engaged = clickCount + likeCount + commentCount + shareCount;
  return {
    impressionCount,
    uniqueImpressionsCount: Math.round(impressionCount * uniqueShare),
    clickCount,
    likeCount,
    commentCount,
    shareCount,
    engagement: engaged / impressionCount,
  };
}

/** Returns a page's follower gains on one day. */
export function followerGains(
  seed: number,
  organization: DemoOrganization,
  day: number,
  today: number,
): FollowerGains | null {
  if (!inRollingWindow(day, today)) return null;
  if (day > today - FOLLOWER_GAIN_DELAY_DAYS) return null;

  const subject = `organization:${organization.id}`;
  const level = organization.followerActivity * weekdayFactor(day);
  const campaign = hashUnit(seed, subject, "campaign", day) < 0.12;
  const paid = campaign ? hashUnit(seed, subject, "paid", day) * 15 : 0;
  return {
    organicFollowerGain: Math.round(level * noise(seed, subject, "fol", day)),
    paidFollowerGain: Math.round(paid),
  };
}

/** Returns the page's follower total: the base plus every gain to date. */
export function organizationFollowerTotal(
  seed: number,
  organization: DemoOrganization,
  today: number,
): number {
  let total = organization.followerBase;
  for (let day = today - ROLLING_WINDOW_DAYS; day < today; day++) {
    const gains = followerGains(seed, organization, day, today);
    if (gains) total += gains.organicFollowerGain + gains.paidFollowerGain;
  }
  return total;
}

/** Returns one day of page views per section and device. */
export function pageViews(
  seed: number,
  organization: DemoOrganization,
  day: number,
  today: number,
): PageViewCounts | null {
  if (!inDataRange(day, today)) return null;
  const subject = `organization:${organization.id}`;
  const level = organization.pageViewActivity * weekdayFactor(day);
  const total = level * noise(seed, subject, "views", day);

  const counts = {} as PageViewCounts;
  for (const section of PAGE_SECTIONS) {
    const views = Math.round(
      total * SECTION_WEIGHTS[section] * noise(seed, subject, section, day),
    );
    const desktopShare =
      0.5 + 0.25 * hashUnit(seed, subject, section, "d", day);
    const desktop = Math.round(views * desktopShare);
    counts[section] = { desktop, mobile: views - desktop };
  }
  return counts;
}

/** Sums desktop and mobile views over every section. */
export function allPageViews(counts: PageViewCounts): number {
  let total = 0;
  for (const section of PAGE_SECTIONS) {
    total += counts[section].desktop + counts[section].mobile;
  }
  return total;
}
