// Per-post numbers: each post's part of its author's daily numbers, read by
// the per-post finders, the ground-truth route and the export files.

import {
  memberPostMetric,
  shareStatistics,
  type MemberPostMetric,
  type ShareStatistics,
} from "./data";
import {
  DEMO_MEMBERS,
  DEMO_ORGANIZATIONS,
  type DemoMember,
  type DemoOrganization,
} from "./members";
import { postPart, type DemoPost, type PostAuthor } from "./posts";

/** Every demo member and page as a post author. */
export const POST_AUTHORS: readonly PostAuthor[] = [
  ...DEMO_MEMBERS.map((member) => ({ kind: "member" as const, member })),
  ...DEMO_ORGANIZATIONS.map((organization) => ({
    kind: "organization" as const,
    organization,
  })),
];

/**
 * Returns one day of a member post's analytics, or null on a day the API
 * does not serve: before publication, or a day the member has no data for.
 */
export function memberPostDayValue(
  seed: number,
  member: DemoMember,
  post: DemoPost,
  metric: MemberPostMetric,
  day: number,
  today: number,
): number | null {
  if (day < post.publishedDay) return null;
  const total = memberPostMetric(seed, member, metric, day, today);
  if (total === null) return null;
  return postPart(seed, { kind: "member", member }, post, day, total);
}

/**
 * Returns one day of a page post's organic share statistics, or null when
 * the page has none that day or the post had no activity: LinkedIn leaves
 * such days out.
 */
export function postShareStatistics(
  seed: number,
  organization: DemoOrganization,
  post: DemoPost,
  day: number,
  today: number,
): ShareStatistics | null {
  if (day < post.publishedDay) return null;
  const total = shareStatistics(seed, organization, day, today);
  if (!total) return null;
  const author: PostAuthor = { kind: "organization", organization };
  const part = (value: number) => postPart(seed, author, post, day, value);
  const impressionCount = part(total.impressionCount);
  const clickCount = part(total.clickCount);
  const likeCount = part(total.likeCount);
  const commentCount = part(total.commentCount);
  const shareCount = part(total.shareCount);
  const engaged = clickCount + likeCount + commentCount + shareCount;
  if (impressionCount === 0 && engaged === 0) return null;
  return {
    impressionCount,
    uniqueImpressionsCount: part(total.uniqueImpressionsCount),
    clickCount,
    likeCount,
    commentCount,
    shareCount,
    engagement: impressionCount > 0 ? engaged / impressionCount : 0,
  };
}
