// Sync steps for single posts. A connection's posts come from the export
// files imported for the same member or page, because imported_subjects
// links an import connection to its API connection. The sync reads the
// daily numbers of those whose link carries a share or ugcPost URN.

import { eq, max, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { importedPosts, importedSubjects, postMetricDaily } from "../db/schema";
import type { MemberDailyMetric } from "../linkedin/analytics";
import { addDays } from "../linkedin/days";
import { MissingPermission, NotFound } from "../linkedin/errors";
import {
  fetchMemberPostDaily,
  fetchOrganizationPostShareDaily,
  POSTS_PER_STATISTICS_CALL,
} from "../linkedin/post-analytics";
import type { DayRange, IsoDay } from "../metrics/types";
import { postReferenceOf } from "../posts/urn";
import { zeroFill, type StepResult, type SyncStep } from "./plan";

export const POST_METRICS: MemberDailyMetric[] = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
];

/**
 * Days after publication during which the daily sync rereads a post whose
 * numbers are already stored. Older posts are read once, when first known,
 * and again by a backfill.
 * NOTE: 35 days is a guess at when a post's numbers stop changing much; it
 * keeps the daily calls within the member budget.
 */
export const ACTIVE_POST_DAYS = 35;

export type KnownPost = {
  urn: string;
  publishedOn: IsoDay | null;
  /** The last day stored for the post, or null when none is. */
  lastStoredDay: IsoDay | null;
};

/** Lists the posts imported for the connection's member or page that LinkedIn can report on. */
export async function loadKnownPosts(
  database: Database,
  connectionId: string,
): Promise<KnownPost[]> {
  const rows = await database
    .select({
      url: importedPosts.url,
      publishedOn: importedPosts.publishedOn,
    })
    .from(importedPosts)
    .innerJoin(
      importedSubjects,
      eq(importedSubjects.connectionId, importedPosts.connectionId),
    )
    .where(eq(importedSubjects.apiConnectionId, connectionId));
  const stored = await database
    .select({ urn: postMetricDaily.postUrn, lastDay: max(postMetricDaily.day) })
    .from(postMetricDaily)
    .where(eq(postMetricDaily.connectionId, connectionId))
    .groupBy(postMetricDaily.postUrn);
  const lastDays = new Map(stored.map((row) => [row.urn, row.lastDay]));

  const posts = new Map<string, KnownPost>();
  for (const row of rows) {
    const reference = postReferenceOf(row.url);
    if (reference.kind !== "share" && reference.kind !== "ugcPost") continue;
    const known = posts.get(reference.urn);
    const publishedOn = known?.publishedOn ?? row.publishedOn;
    posts.set(reference.urn, {
      urn: reference.urn,
      publishedOn,
      lastStoredDay: lastDays.get(reference.urn) ?? null,
    });
  }
  return [...posts.values()].sort((a, b) => a.urn.localeCompare(b.urn));
}

export type PostPlanInput = {
  kind: "person" | "organization";
  urn: string;
  scopes: string[];
  mode: "backfill" | "daily";
  /** The connection's sync range, ending yesterday. */
  range: DayRange;
  /** The first day a backfill reads. */
  earliest: IsoDay;
  posts: KnownPost[];
  now: Date;
};

const ORGANIZATION_SCOPES = ["rw_organization_admin", "r_organization_admin"];

/** Returns the days to read for a post, or null when it needs no call. */
function postRange(input: PostPlanInput, post: KnownPost): DayRange | null {
  const yesterday = input.range.to;
  const published = post.publishedOn ?? input.earliest;
  const start = published > input.earliest ? published : input.earliest;
  if (start > yesterday) return null;
  if (input.mode === "backfill" || post.lastStoredDay === null) {
    return { from: start, to: yesterday };
  }
  const activeSince = addDays(yesterday, -(ACTIVE_POST_DAYS - 1));
  if (post.publishedOn !== null && post.publishedOn < activeSince) return null;
  const from = input.range.from > start ? input.range.from : start;
  return { from, to: yesterday };
}

/** Fills days from publication on that LinkedIn left out with zeros. */
function fillFromPublication(
  range: DayRange,
  publishedOn: IsoDay | null,
  values: { day: IsoDay; value: number }[],
) {
  if (publishedOn === null) return values;
  const from = publishedOn > range.from ? publishedOn : range.from;
  if (from > range.to) return [];
  return zeroFill({ from, to: range.to }, values);
}

function empty(): StepResult {
  return { daily: [], rangeTotals: [], gaps: [], postDaily: [] };
}

/**
 * LinkedIn returns 403 or 404 for a post it does not attribute to the
 * member or page, such as a post imported for the wrong connection. Such a
 * post is skipped and the sync goes on.
 */
function isPostRefused(error: unknown): boolean {
  return error instanceof MissingPermission || error instanceof NotFound;
}

function memberPostSteps(input: PostPlanInput): SyncStep[] {
  if (!input.scopes.includes("r_member_postAnalytics")) return [];
  const steps: SyncStep[] = [];
  for (const post of input.posts) {
    const range = postRange(input, post);
    if (!range) continue;
    for (const metric of POST_METRICS) {
      steps.push({
        label: `post ${post.urn} ${metric} ${range.from}..${range.to}`,
        metrics: [metric],
        run: async (client) => {
          try {
            const values = await fetchMemberPostDaily(
              client,
              post.urn,
              metric,
              range,
            );
            return {
              ...empty(),
              postDaily: [
                {
                  postUrn: post.urn,
                  metric,
                  values: fillFromPublication(range, post.publishedOn, values),
                },
              ],
            };
          } catch (error) {
            if (!isPostRefused(error)) throw error;
            return { ...empty(), refusedPosts: [post.urn] };
          }
        },
      });
    }
  }
  return steps;
}

function organizationPostSteps(input: PostPlanInput): SyncStep[] {
  if (!input.scopes.some((scope) => ORGANIZATION_SCOPES.includes(scope)))
    return [];
  const wanted = input.posts
    .map((post) => ({ post, range: postRange(input, post) }))
    .filter(
      (entry): entry is { post: KnownPost; range: DayRange } =>
        entry.range !== null,
    );
  const steps: SyncStep[] = [];
  for (
    let start = 0;
    start < wanted.length;
    start += POSTS_PER_STATISTICS_CALL
  ) {
    const batch = wanted.slice(start, start + POSTS_PER_STATISTICS_CALL);
    const from = batch.map((entry) => entry.range.from).sort()[0]!;
    const range = { from, to: input.range.to };
    steps.push({
      label: `post statistics ${batch.map((entry) => entry.post.urn).join(",")} ${range.from}..${range.to}`,
      metrics: [...POST_METRICS],
      run: async (client) => {
        const series = await fetchOrganizationPostShareDaily(
          client,
          input.urn,
          batch.map((entry) => entry.post.urn),
          range,
          { now: input.now },
        );
        const result = empty();
        if (!series.served) return result;
        for (const { post, range: own } of batch) {
          const days = series.byPost.get(post.urn) ?? [];
          const from =
            own.from > series.served.from ? own.from : series.served.from;
          if (from > series.served.to) continue;
          const served = { from, to: series.served.to };
          for (const metric of POST_METRICS) {
            const values = days
              .filter((day) => day.day >= served.from && day.day <= served.to)
              .map((day) => ({ day: day.day, value: day[metric] }));
            result.postDaily!.push({
              postUrn: post.urn,
              metric,
              // LinkedIn leaves out days without activity, so those are zeros.
              values: zeroFill(served, values),
            });
          }
        }
        return result;
      },
    });
  }
  return steps;
}

/** Lists the steps that read the connection's known posts. */
export function planPostSteps(input: PostPlanInput): SyncStep[] {
  return input.kind === "person"
    ? memberPostSteps(input)
    : organizationPostSteps(input);
}

/** Writes a step's per-post rows and returns how many were written. */
export async function upsertPostDaily(
  tx: Database,
  connection: { id: string; workspaceId: string },
  postDaily: NonNullable<StepResult["postDaily"]>,
): Promise<number> {
  const rows = postDaily.flatMap(({ postUrn, metric, values }) =>
    values.map((value) => ({
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      postUrn,
      metric,
      day: value.day,
      value: value.value,
    })),
  );
  if (rows.length === 0) return 0;
  let written = 0;
  // 5,000 rows of 7 parameters stay below Postgres's 65,535 per statement.
  for (let start = 0; start < rows.length; start += 5000) {
    const inserted = await tx
      .insert(postMetricDaily)
      .values(rows.slice(start, start + 5000))
      .onConflictDoUpdate({
        target: [
          postMetricDaily.connectionId,
          postMetricDaily.postUrn,
          postMetricDaily.metric,
          postMetricDaily.day,
        ],
        // Unchanged rows get the new fetch time too, because the post
        // page shows when its numbers were last read.
        set: { value: sql`excluded.value`, fetchedAt: sql`now()` },
      })
      .returning({ day: postMetricDaily.day });
    written += inserted.length;
  }
  return written;
}
