// Company page endpoints: ACLs, the organization lookup, page views,
// follower statistics, share statistics and the follower total.

import { splitIntervals, sumBucket, timeRangeOf, type Bucket } from "./buckets";
import {
  DATA_START_DAY,
  followerGains,
  organizationFollowerTotal,
  pageViews,
  shareStatistics,
  type FollowerGains,
  type ShareStatistics,
} from "./data";
import { notFound } from "./errors";
import {
  DEMO_ORGANIZATIONS,
  findOrganization,
  findOrganizationByUrn,
  organizationUrn,
  personUrn,
  type DemoOrganization,
} from "./members";
import { addPageViews, totalPageStatistics } from "./page-statistics";
import { POST_AUTHORS, postShareStatistics } from "./post-data";
import { findPost, type DemoPost } from "./posts";
import {
  collection,
  requireAdministrator,
  type RestContext,
  type RestRoute,
} from "./rest";
import { ParamError, readTimeIntervals, type TimeIntervals } from "./restli";

const ADMIN_SCOPES = ["rw_organization_admin", "r_organization_admin"];
const ORGANIZATION_SCOPES = [...ADMIN_SCOPES, "r_organization_social"];

/** Reads the page named by `param` and checks the caller administers it. */
function administeredPage(context: RestContext, param: string) {
  const urn = context.query.requireString(param);
  const organization = findOrganizationByUrn(urn);
  if (!organization) {
    throw new ParamError(param, `unknown organization "${urn}"`);
  }
  requireAdministrator(context, organization);
  return organization;
}

/** Returns every day with data as one bucket. */
function lifetime(context: RestContext): Bucket {
  return {
    fromDay: DATA_START_DAY,
    toDayExclusive: Math.max(DATA_START_DAY, context.state.clock.today()),
  };
}

/**
 * Sums a daily reader over each bucket of the request's timeIntervals.
 * Buckets the API serves no day of are left out.
 */
function bucketed<T>(
  intervals: TimeIntervals,
  readDay: (day: number) => T | null,
  add: (total: T, value: T) => T,
) {
  const results = [];
  for (const bucket of splitIntervals(intervals)) {
    const value = sumBucket(bucket, readDay, add);
    if (value !== null) results.push({ timeRange: timeRangeOf(bucket), value });
  }
  return results;
}

function handleAcls(context: RestContext) {
  const { query, state } = context;
  if (query.requireString("q") !== "roleAssignee") {
    throw new ParamError("q", "use q=roleAssignee");
  }
  const role = query.string("role") ?? "ADMINISTRATOR";
  const aclState = query.string("state") ?? "APPROVED";
  const { member } = context.caller;
  const withdrawn = state.switches.missingPageRole.includes(member.id);
  const served =
    role === "ADMINISTRATOR" && aclState === "APPROVED" && !withdrawn;

  const assignee = personUrn(state.options.clientId, member);
  const elements = served
    ? DEMO_ORGANIZATIONS.filter((page) =>
        member.administeredOrganizations.includes(page.id),
      ).map((page) => ({
        roleAssignee: assignee,
        role: "ADMINISTRATOR",
        state: "APPROVED",
        organization: organizationUrn(page),
      }))
    : [];
  return collection(context, elements, 10);
}

function handleOrganization(context: RestContext) {
  const organization = findOrganization(Number(context.pathParams[0]));
  if (!organization) throw notFound("Organization not found");
  return {
    id: organization.id,
    localizedName: organization.localizedName,
    vanityName: organization.vanityName,
  };
}

function handlePageStatistics(context: RestContext) {
  const { query, state } = context;
  if (query.requireString("q") !== "organization") {
    throw new ParamError("q", "use q=organization");
  }
  const organization = administeredPage(context, "organization");
  const urn = organizationUrn(organization);
  const seed = state.options.seed;
  const today = state.clock.today();
  const readDay = (day: number) => pageViews(seed, organization, day, today);
  const intervals = readTimeIntervals(query);

  if (!intervals) {
    // Lifetime statistics. NOTE: the facets by seniority, function,
    // industry, staff count and country are served empty.
    const total = sumBucket(lifetime(context), readDay, addPageViews);
    const element = {
      organization: urn,
      totalPageStatistics: total ? totalPageStatistics(total) : {},
      pageStatisticsBySeniority: [],
      pageStatisticsByFunction: [],
      pageStatisticsByIndustryV2: [],
      pageStatisticsByStaffCountRange: [],
      pageStatisticsByGeoCountry: [],
    };
    return collection(context, [element]);
  }

  const elements = bucketed(intervals, readDay, addPageViews).map((bucket) => ({
    organization: urn,
    timeRange: bucket.timeRange,
    totalPageStatistics: totalPageStatistics(bucket.value),
  }));
  return collection(context, elements);
}

function addFollowerGains(total: FollowerGains, day: FollowerGains) {
  return {
    organicFollowerGain: total.organicFollowerGain + day.organicFollowerGain,
    paidFollowerGain: total.paidFollowerGain + day.paidFollowerGain,
  };
}

function handleFollowerStatistics(context: RestContext) {
  const { query, state } = context;
  if (query.requireString("q") !== "organizationalEntity") {
    throw new ParamError("q", "use q=organizationalEntity");
  }
  const organization = administeredPage(context, "organizationalEntity");
  const urn = organizationUrn(organization);
  const intervals = readTimeIntervals(query);

  if (!intervals) {
    // NOTE: the lifetime demographic facets are served empty.
    const element = {
      organizationalEntity: urn,
      followerCountsBySeniority: [],
      followerCountsByFunction: [],
      followerCountsByIndustry: [],
      followerCountsByStaffCountRange: [],
      followerCountsByGeoCountry: [],
      followerCountsByAssociationType: [],
    };
    return collection(context, [element]);
  }

  const seed = state.options.seed;
  const today = state.clock.today();
  const readDay = (day: number) =>
    followerGains(seed, organization, day, today);
  const elements = bucketed(intervals, readDay, addFollowerGains).map(
    (bucket) => ({
      organizationalEntity: urn,
      timeRange: bucket.timeRange,
      followerGains: bucket.value,
    }),
  );
  return collection(context, elements);
}

function addShareStatistics(
  total: ShareStatistics,
  day: ShareStatistics,
): ShareStatistics {
  const sum = {
    impressionCount: total.impressionCount + day.impressionCount,
    uniqueImpressionsCount:
      total.uniqueImpressionsCount + day.uniqueImpressionsCount,
    clickCount: total.clickCount + day.clickCount,
    likeCount: total.likeCount + day.likeCount,
    commentCount: total.commentCount + day.commentCount,
    shareCount: total.shareCount + day.shareCount,
    engagement: 0,
  };
  const engaged =
    sum.clickCount + sum.likeCount + sum.commentCount + sum.shareCount;
  sum.engagement = sum.impressionCount > 0 ? engaged / sum.impressionCount : 0;
  return sum;
}

function handleShareStatistics(context: RestContext) {
  const { query, state } = context;
  if (query.requireString("q") !== "organizationalEntity") {
    throw new ParamError("q", "use q=organizationalEntity");
  }
  const organization = administeredPage(context, "organizationalEntity");
  const urn = organizationUrn(organization);
  if (query.has("shares") || query.has("ugcPosts")) {
    return postShareStatisticsCollection(context, organization);
  }
  const seed = state.options.seed;
  const today = state.clock.today();
  const readDay = (day: number) =>
    shareStatistics(seed, organization, day, today);
  const intervals = readTimeIntervals(query);

  if (!intervals) {
    const total = sumBucket(lifetime(context), readDay, addShareStatistics);
    const element = {
      organizationalEntity: urn,
      totalShareStatistics: total ?? emptyShareStatistics(),
    };
    return collection(context, [element]);
  }

  const elements = bucketed(intervals, readDay, addShareStatistics).map(
    (bucket) => ({
      organizationalEntity: urn,
      timeRange: bucket.timeRange,
      totalShareStatistics: bucket.value,
    }),
  );
  return collection(context, elements);
}

/**
 * Reads `shares=List(...)` or `ugcPosts=List(...)` and returns the page's
 * posts among them. Posts of other pages and unknown URNs are left out, as
 * LinkedIn leaves out posts without statistics.
 */
function requestedPosts(
  context: RestContext,
  organization: DemoOrganization,
): { post: DemoPost; field: "share" | "ugcPost" }[] {
  const seed = context.state.options.seed;
  const posts = [];
  for (const [param, field, prefix] of [
    ["shares", "share", "urn:li:share:"],
    ["ugcPosts", "ugcPost", "urn:li:ugcPost:"],
  ] as const) {
    for (const item of context.query.list(param) ?? []) {
      if (typeof item !== "string" || !item.startsWith(prefix)) {
        throw new ParamError(param, `expected a list of ${prefix} URNs`);
      }
      const found = findPost(seed, POST_AUTHORS, item);
      const ownPost =
        found?.post.urn === item &&
        found.author.kind === "organization" &&
        found.author.organization.id === organization.id;
      if (found && ownPost) posts.push({ post: found.post, field });
    }
  }
  return posts;
}

/** Serves the lifetime or time-bound statistics of single posts. */
function postShareStatisticsCollection(
  context: RestContext,
  organization: DemoOrganization,
) {
  const { query, state } = context;
  const urn = organizationUrn(organization);
  const seed = state.options.seed;
  const today = state.clock.today();
  const intervals = readTimeIntervals(query);
  const elements = [];
  for (const { post, field } of requestedPosts(context, organization)) {
    const readDay = (day: number) =>
      postShareStatistics(seed, organization, post, day, today);
    if (!intervals) {
      const total = sumBucket(lifetime(context), readDay, addShareStatistics);
      elements.push({
        organizationalEntity: urn,
        [field]: post.urn,
        totalShareStatistics: total ?? emptyShareStatistics(),
      });
      continue;
    }
    for (const bucket of bucketed(intervals, readDay, addShareStatistics)) {
      elements.push({
        organizationalEntity: urn,
        [field]: post.urn,
        timeRange: bucket.timeRange,
        totalShareStatistics: bucket.value,
      });
    }
  }
  return collection(context, elements);
}

function emptyShareStatistics(): ShareStatistics {
  return {
    impressionCount: 0,
    uniqueImpressionsCount: 0,
    clickCount: 0,
    likeCount: 0,
    commentCount: 0,
    shareCount: 0,
    engagement: 0,
  };
}

function handleNetworkSize(context: RestContext) {
  const edgeType = context.query.requireString("edgeType");
  if (edgeType !== "COMPANY_FOLLOWED_BY_MEMBER") {
    throw new ParamError("edgeType", "use COMPANY_FOLLOWED_BY_MEMBER");
  }
  const organization: DemoOrganization | undefined = findOrganizationByUrn(
    context.pathParams[0] ?? "",
  );
  if (!organization) throw notFound("Organization not found");
  const { seed } = context.state.options;
  const today = context.state.clock.today();
  return {
    firstDegreeSize: organizationFollowerTotal(seed, organization, today),
  };
}

export const ORGANIZATION_ROUTES: RestRoute[] = [
  {
    resource: "organizationAcls",
    pattern: /^organizationAcls$/,
    scopes: ORGANIZATION_SCOPES,
    handle: handleAcls,
  },
  {
    resource: "organizations",
    pattern: /^organizations\/(\d+)$/,
    scopes: ORGANIZATION_SCOPES,
    handle: handleOrganization,
  },
  {
    resource: "organizationPageStatistics",
    pattern: /^organizationPageStatistics$/,
    scopes: ADMIN_SCOPES,
    handle: handlePageStatistics,
  },
  {
    resource: "organizationalEntityFollowerStatistics",
    pattern: /^organizationalEntityFollowerStatistics$/,
    scopes: ADMIN_SCOPES,
    handle: handleFollowerStatistics,
  },
  {
    resource: "organizationalEntityShareStatistics",
    pattern: /^organizationalEntityShareStatistics$/,
    scopes: ADMIN_SCOPES,
    handle: handleShareStatistics,
  },
  {
    resource: "networkSizes",
    pattern: /^networkSizes\/([^/]+)$/,
    scopes: ORGANIZATION_SCOPES,
    handle: handleNetworkSize,
  },
];
