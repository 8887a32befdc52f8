// The demo members' and pages' individual posts. A subject publishes at most
// one post a day, and each day's number of the subject (impressions,
// reactions and so on) is split among the posts published in the
// POST_LIFETIME_DAYS before it. So the per-post series of a subject add up
// exactly to the subject's own daily series, and every per-post value is a
// pure function of (seed, subject, metric, day), like the rest of the data.

import { DAY_MS, dayStartMs } from "./clock";
import type { DemoMember, DemoOrganization } from "./members";
import { hashUnit } from "./random";

/** Days after publication on which a post still draws activity. */
export const POST_LIFETIME_DAYS = 30;

/** Share of days on which a subject publishes a post. */
const POSTING_SHARE = 0.3;

/** A subject publishes at least every this many days. */
const MAX_DAYS_BETWEEN_POSTS = 7;

/** Share of posts that the export files link by their activity URN. */
const ACTIVITY_LINK_SHARE = 0.2;

export type PostAuthor =
  | { kind: "member"; member: DemoMember }
  | { kind: "organization"; organization: DemoOrganization };

export type DemoPost = {
  /** `urn:li:share:<id>` or `urn:li:ugcPost:<id>`: what the APIs take. */
  urn: string;
  /** `urn:li:activity:<id>`: the feed activity that shows the post. */
  activityUrn: string;
  publishedDay: number;
  title: string;
  /** The URN in the post's link in the export files. */
  linkUrn: string;
};

const TOPICS = [
  "Notes on the difference engine",
  "What punched cards teach about software",
  "Hiring for our analysis team",
  "A short history of compilers",
  "Reading list for new engineers",
  "Lessons from a failed prototype",
  "How we test numerical code",
  "Conference recap",
  "Why documentation matters",
  "Open questions in computing",
];

export function authorKey(author: PostAuthor): string {
  return author.kind === "member"
    ? `member:${author.member.id}`
    : `organization:${author.organization.id}`;
}

/**
 * Builds a post id the way LinkedIn's ids are built: the publication time in
 * epoch milliseconds shifted left by 22 bits, with 22 bits below it.
 */
function postId(publishMs: number, lowBits: number): string {
  return ((BigInt(publishMs) << 22n) | BigInt(lowBits)).toString();
}

/** Returns the post a subject published on a day, or null on other days. */
export function postOn(
  seed: number,
  author: PostAuthor,
  day: number,
): DemoPost | null {
  const key = authorKey(author);
  const forced = day % MAX_DAYS_BETWEEN_POSTS === 0;
  if (!forced && hashUnit(seed, key, "post", day) >= POSTING_SHARE) return null;

  const publishMs =
    dayStartMs(day) + Math.floor(hashUnit(seed, key, "time", day) * DAY_MS);
  const low = Math.floor(hashUnit(seed, key, "id", day) * 2 ** 21);
  const ugc = hashUnit(seed, key, "ugc", day) < 0.4;
  const urn = `urn:li:${ugc ? "ugcPost" : "share"}:${postId(publishMs, low)}`;
  // The activity id has the same time bits and its own lower bits.
  const activityUrn = `urn:li:activity:${postId(publishMs, low + 2 ** 21)}`;
  const activityLink = hashUnit(seed, key, "link", day) < ACTIVITY_LINK_SHARE;
  const topic =
    TOPICS[Math.floor(hashUnit(seed, key, "topic", day) * TOPICS.length)];
  return {
    urn,
    activityUrn,
    publishedDay: day,
    title: `${topic ?? TOPICS[0]} (${new Date(dayStartMs(day)).toISOString().slice(0, 10)})`,
    linkUrn: activityLink ? activityUrn : urn,
  };
}

/** Lists the posts that draw activity on a day, oldest first. */
export function livePosts(
  seed: number,
  author: PostAuthor,
  day: number,
): DemoPost[] {
  const posts: DemoPost[] = [];
  for (let age = POST_LIFETIME_DAYS - 1; age >= 0; age--) {
    const post = postOn(seed, author, day - age);
    if (post) posts.push(post);
  }
  return posts;
}

/** Lists the posts published in [fromDay, toDayExclusive). */
export function postsPublished(
  seed: number,
  author: PostAuthor,
  fromDay: number,
  toDayExclusive: number,
): DemoPost[] {
  const posts: DemoPost[] = [];
  for (let day = fromDay; day < toDayExclusive; day++) {
    const post = postOn(seed, author, day);
    if (post) posts.push(post);
  }
  return posts;
}

// A post draws most attention on its first days.
function postWeight(
  seed: number,
  author: PostAuthor,
  post: DemoPost,
  day: number,
) {
  const appeal = 0.4 + hashUnit(seed, authorKey(author), "appeal", post.urn);
  return appeal * 0.8 ** (day - post.publishedDay);
}

/**
 * Splits a non-negative integer total into integer parts proportional to the
 * weights, by largest remainder, so the parts add up to the total exactly.
 */
export function splitTotal(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

/**
 * Returns a post's part of a subject's daily number, given the subject's
 * value that day. Returns 0 when the post is not live that day.
 */
export function postPart(
  seed: number,
  author: PostAuthor,
  post: DemoPost,
  day: number,
  subjectValue: number,
): number {
  const live = livePosts(seed, author, day);
  const index = live.findIndex((candidate) => candidate.urn === post.urn);
  if (index === -1) return 0;
  const weights = live.map((candidate) =>
    postWeight(seed, author, candidate, day),
  );
  return splitTotal(subjectValue, weights)[index] ?? 0;
}

/**
 * Returns the publication day encoded in a share, ugcPost or activity URN,
 * or null when the URN is not one of them.
 */
export function publishedDayOfUrn(urn: string): number | null {
  const match = /^urn:li:(share|ugcPost|activity):(\d{1,25})$/.exec(urn);
  if (!match?.[2]) return null;
  const ms = Number(BigInt(match[2]) >> 22n);
  return Math.floor(ms / DAY_MS);
}

/** Finds the post named by its share, ugcPost or activity URN. */
export function findPost(
  seed: number,
  authors: readonly PostAuthor[],
  urn: string,
): { post: DemoPost; author: PostAuthor } | undefined {
  const day = publishedDayOfUrn(urn);
  if (day === null) return undefined;
  for (const author of authors) {
    const post = postOn(seed, author, day);
    if (post && (post.urn === urn || post.activityUrn === urn)) {
      return { post, author };
    }
  }
  return undefined;
}

/** Returns the post's link as the export files write it. */
export function postLink(post: DemoPost): string {
  return `https://www.linkedin.com/feed/update/${post.linkUrn}/`;
}
