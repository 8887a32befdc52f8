// One imported post with its daily trend from LinkedIn, or the reason there
// is none and what would enable it.

import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  importedPosts,
  importedSubjects,
  linkedinConnections,
  linkedinGrants,
  postMetricDaily,
  unavailableMetrics,
} from "../db/schema";
import { LINKEDIN_VERSION } from "../linkedin/config";
import { addDays, todayUtc } from "../linkedin/days";
import { hasScope } from "../linkedin/scopes";
import { METRICS } from "../metrics/registry";
import type { DayRange, IsoDay } from "../metrics/types";
import { resolveMetricsScope } from "../metrics/visibility";
import {
  POST_TREND_METRICS,
  type PostTrend,
  type PostTrendAvailability,
  type PostTrendMetric,
  type PostTrendRange,
} from "./trend-types";
import { postReferenceOf, type PostReference } from "./urn";

export {
  POST_TREND_METRICS,
  POST_TREND_RANGES,
  type PostTrend,
  type PostTrendAvailability,
  type PostTrendMetric,
  type PostTrendRange,
} from "./trend-types";

const MEMBER_ENDPOINT = "GET /rest/memberCreatorPostAnalytics?q=entity";
const PAGE_ENDPOINT =
  "GET /rest/organizationalEntityShareStatistics?shares=List(...)";
const PAGE_SCOPES = ["rw_organization_admin", "r_organization_admin"];

type ApiConnection = {
  id: string;
  name: string;
  kind: "person" | "organization";
  status: string;
  statusReason: string | null;
  lastSyncedAt: Date | null;
  scopes: string[] | null;
};

async function loadApiConnection(
  database: Database,
  importConnectionId: string,
): Promise<ApiConnection | null> {
  const [row] = await database
    .select({
      id: linkedinConnections.id,
      name: linkedinConnections.name,
      kind: linkedinConnections.kind,
      status: linkedinConnections.status,
      statusReason: linkedinConnections.statusReason,
      lastSyncedAt: linkedinConnections.lastSyncedAt,
      scopes: linkedinGrants.scopes,
    })
    .from(importedSubjects)
    .innerJoin(
      linkedinConnections,
      eq(linkedinConnections.id, importedSubjects.apiConnectionId),
    )
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .where(eq(importedSubjects.connectionId, importConnectionId))
    .limit(1);
  return row ?? null;
}

/** Returns why a post with a share or ugcPost URN has no trend, or null when it can have one. */
async function blockingReason(
  database: Database,
  api: ApiConnection,
): Promise<PostTrendAvailability | null> {
  const scopes = api.scopes ?? [];
  if (api.kind === "person" && !hasScope(scopes, "r_member_postAnalytics")) {
    return {
      kind: "unavailable",
      cause: "missing_scope",
      reason: `The connection ${api.name} was authorized without the r_member_postAnalytics scope, which LinkedIn requires for a member's post analytics.`,
      fix: "Re-authorize the connection with r_member_postAnalytics on the Connections page.",
    };
  }
  if (
    api.kind === "organization" &&
    !scopes.some((scope) => PAGE_SCOPES.includes(scope))
  ) {
    return {
      kind: "unavailable",
      cause: "missing_scope",
      reason: `The connection ${api.name} was authorized without rw_organization_admin, which LinkedIn requires for a page's share statistics.`,
      fix: "Re-authorize the connection with rw_organization_admin on the Connections page.",
    };
  }
  const [denied] = await database
    .select({
      reason: unavailableMetrics.reason,
      missingRole: unavailableMetrics.missingRole,
    })
    .from(unavailableMetrics)
    .where(
      and(
        eq(unavailableMetrics.connectionId, api.id),
        eq(unavailableMetrics.metric, "impressions"),
      ),
    )
    .limit(1);
  if (denied) {
    return {
      kind: "unavailable",
      cause: denied.missingRole ? "missing_role" : "missing_scope",
      reason: denied.reason,
      fix: denied.missingRole
        ? `Ask a super admin of the page to give your LinkedIn member the ${denied.missingRole} role, then sync again.`
        : "Re-authorize the connection on the Connections page.",
    };
  }
  if (api.status !== "active") {
    return {
      kind: "unavailable",
      cause: "connection_inactive",
      reason:
        api.statusReason ??
        `The connection ${api.name} is not active, so nothing is read from LinkedIn.`,
      fix: "Reconnect it on the Connections page.",
    };
  }
  return null;
}

function referenceReason(
  reference: PostReference,
): PostTrendAvailability | null {
  if (reference.kind === "none") {
    return {
      kind: "unavailable",
      cause: "no_urn",
      reason:
        "The post's link names no LinkedIn post URN, and LinkedIn's per-post analytics are asked for by a share or ugcPost URN.",
      fix: "A link such as https://www.linkedin.com/feed/update/urn:li:share:<id>/ in the export file would enable the daily trend.",
    };
  }
  if (reference.kind === "activity") {
    return {
      kind: "unavailable",
      cause: "activity_urn",
      reason: `The post's link names the feed activity ${reference.urn}. LinkedIn's per-post analytics take only a share or ugcPost URN, and no call this app may make turns an activity into one.`,
      fix: "A newer export whose link names urn:li:share:<id> or urn:li:ugcPost:<id> for this post would enable the daily trend.",
    };
  }
  return null;
}

/** Resolves a range choice to days, ending yesterday (UTC). */
export function postTrendRange(
  choice: PostTrendRange,
  publishedOn: IsoDay | null,
  firstStoredDay: IsoDay | null,
  now: Date,
): DayRange | null {
  const yesterday = addDays(todayUtc(now), -1);
  if (choice !== "all") {
    return { from: addDays(yesterday, -(Number(choice) - 1)), to: yesterday };
  }
  const from = publishedOn ?? firstStoredDay;
  if (!from || from > yesterday) return null;
  return { from, to: yesterday };
}

/**
 * Loads an imported post and its daily trend over the chosen range, or
 * returns null when the workspace has no such post or the caller may not
 * see the connection's numbers. The caller must be authorized for the
 * workspace.
 */
export async function loadPostTrend(
  database: Database,
  context: WorkspaceContext,
  input: { connectionId: string; url: string; range?: PostTrendRange },
  now = new Date(),
): Promise<PostTrend | null> {
  const [row] = await database
    .select({
      post: importedPosts,
      ownerId: linkedinConnections.userId,
    })
    .from(importedPosts)
    .innerJoin(
      linkedinConnections,
      eq(linkedinConnections.id, importedPosts.connectionId),
    )
    .where(
      and(
        eq(importedPosts.workspaceId, context.workspaceId),
        eq(importedPosts.connectionId, input.connectionId),
        eq(importedPosts.url, input.url),
      ),
    )
    .limit(1);
  if (!row) return null;
  const scope = await resolveMetricsScope(database, context);
  if (!scope.seesEveryMember && row.ownerId !== context.userId) return null;

  const { post } = row;
  const reference = postReferenceOf(post.url);
  const api = await loadApiConnection(database, post.connectionId);
  const availability =
    referenceReason(reference) ??
    (api
      ? await blockingReason(database, api)
      : {
          kind: "unavailable" as const,
          cause: "no_api_connection" as const,
          reason:
            "The file was imported without naming the LinkedIn connection of the same member or page, so no connection can ask LinkedIn about this post.",
          fix: "Connect analytics for this member or page, then import the file again and choose that connection as the same member or page.",
        });

  const result: PostTrend = {
    post: {
      connectionId: post.connectionId,
      url: post.url,
      title: post.title,
      publishedOn: post.publishedOn,
      fileName: post.fileName,
      importedAt: post.importedAt.toISOString(),
      totals: {
        impressions: post.impressions,
        reactions: post.reactions,
        comments: post.comments,
        reshares: post.reshares,
      },
    },
    reference,
    apiConnection: api ? { id: api.id, name: api.name } : null,
    availability: availability ?? { kind: "available" },
    range: null,
    days: [],
    series: [],
    source: {
      endpoint: api?.kind === "organization" ? PAGE_ENDPOINT : MEMBER_ENDPOINT,
      version: LINKEDIN_VERSION,
      fetchedAt: null,
    },
  };
  if (availability || !api || reference.kind === "none") return result;

  const [first] = await database
    .select({ day: postMetricDaily.day })
    .from(postMetricDaily)
    .where(
      and(
        eq(postMetricDaily.connectionId, api.id),
        eq(postMetricDaily.postUrn, reference.urn),
      ),
    )
    .orderBy(asc(postMetricDaily.day))
    .limit(1);
  if (!first) {
    result.availability = {
      kind: "pending",
      reason:
        api.lastSyncedAt && api.lastSyncedAt > post.importedAt
          ? `The sync of ${api.name} at ${api.lastSyncedAt.toISOString().slice(0, 16).replace("T", " ")} UTC stored no daily numbers for this post. LinkedIn reports a post only to its author or the page's administrators, and a page's statistics only for the last 12 months.`
          : `No daily numbers are stored yet. The next sync of ${api.name} reads them from LinkedIn.`,
    };
    return result;
  }

  const range = postTrendRange(
    input.range ?? "all",
    post.publishedOn,
    first.day,
    now,
  );
  result.range = range;
  if (!range) return result;
  const rows = await database
    .select({
      metric: postMetricDaily.metric,
      day: postMetricDaily.day,
      value: postMetricDaily.value,
      fetchedAt: postMetricDaily.fetchedAt,
    })
    .from(postMetricDaily)
    .where(
      and(
        eq(postMetricDaily.connectionId, api.id),
        eq(postMetricDaily.postUrn, reference.urn),
        gte(postMetricDaily.day, range.from),
        lte(postMetricDaily.day, range.to),
      ),
    )
    .orderBy(asc(postMetricDaily.day));

  const byDay = new Map<IsoDay, Record<PostTrendMetric, number | null>>();
  const totals = new Map<PostTrendMetric, number>();
  let fetchedAt: Date | null = null;
  for (const stored of rows) {
    const metric = stored.metric as PostTrendMetric;
    if (!POST_TREND_METRICS.includes(metric)) continue;
    const values = byDay.get(stored.day) ?? {
      impressions: null,
      reactions: null,
      comments: null,
      reshares: null,
    };
    values[metric] = stored.value;
    byDay.set(stored.day, values);
    totals.set(metric, (totals.get(metric) ?? 0) + stored.value);
    if (!fetchedAt || stored.fetchedAt > fetchedAt)
      fetchedAt = stored.fetchedAt;
  }
  result.days = [...byDay.entries()].map(([day, values]) => ({ day, values }));
  result.series = POST_TREND_METRICS.map((metric) => ({
    metric,
    label: METRICS[metric].label,
    total: totals.get(metric) ?? 0,
  }));
  result.source.fetchedAt = fetchedAt?.toISOString() ?? null;
  return result;
}
