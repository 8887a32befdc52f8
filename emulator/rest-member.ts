// Member analytics: memberCreatorPostAnalytics and memberFollowersCount.

import { dateOfDay } from "./clock";
import {
  DATA_START_DAY,
  memberFollowerGain,
  memberFollowerTotal,
  memberPostMetric,
  memberPostTotal,
  membersReached,
  type MemberPostMetric,
} from "./data";
import { notFound } from "./errors";
import { memberPostDayValue, POST_AUTHORS } from "./post-data";
import { findPost, type DemoPost } from "./posts";
import { collection, denied, type RestContext, type RestRoute } from "./rest";
import { ParamError, readDateRange, type DateRange } from "./restli";

const QUERY_TYPES = [
  "IMPRESSION",
  "MEMBERS_REACHED",
  "RESHARE",
  "REACTION",
  "COMMENT",
] as const;

type QueryType = (typeof QUERY_TYPES)[number];

function isQueryType(value: string): value is QueryType {
  return (QUERY_TYPES as readonly string[]).includes(value);
}

/** Version from which metricType is a plain string instead of a union. */
const PLAIN_METRIC_TYPE_VERSION = "202605";

/**
 * Formats metricType for the caller's version.
 * NOTE: the switch to a plain string at 202605 is reported, not documented.
 */
function metricTypeFor(version: string, type: QueryType) {
  if (version >= PLAIN_METRIC_TYPE_VERSION) return type;
  return {
    "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1":
      type,
  };
}

function restliDateRange(fromDay: number, toDayExclusive: number) {
  return { start: dateOfDay(fromDay), end: dateOfDay(toDayExclusive) };
}

/** Returns the range of a request without dateRange: every day with data. */
function lifetimeRange(context: RestContext): DateRange {
  return {
    fromDay: DATA_START_DAY,
    toDayExclusive: Math.max(DATA_START_DAY, context.state.clock.today()),
  };
}

// The union members of `entity` and the URN type each one takes.
const ENTITY_URN_TYPES: Record<string, string> = {
  share: "urn:li:share:",
  ugc: "urn:li:ugcPost:",
};

/**
 * Reads `entity=(share:urn%3Ali%3Ashare%3A1)` or `(ugc:...)` and returns the
 * caller's post it names. Another member's post gives ACCESS_DENIED and an
 * unknown one 404.
 */
function requestedPost(context: RestContext): DemoPost {
  const entity = context.query.record("entity");
  if (!entity) throw new ParamError("entity", "missing");
  const keys = Object.keys(entity);
  const key = keys[0] ?? "";
  const urn = entity[key];
  const prefix = ENTITY_URN_TYPES[key];
  if (keys.length !== 1 || !prefix || typeof urn !== "string") {
    throw new ParamError(
      "entity",
      "expected (share:<share URN>) or (ugc:<ugcPost URN>)",
    );
  }
  if (!urn.startsWith(prefix)) {
    throw new ParamError("entity", `${key} takes a URN that starts ${prefix}`);
  }
  const found = findPost(context.state.options.seed, POST_AUTHORS, urn);
  if (!found || found.post.urn !== urn) throw notFound("Post not found");
  const { author } = found;
  if (
    author.kind !== "member" ||
    author.member.id !== context.caller.member.id
  ) {
    throw denied(context);
  }
  return found.post;
}

function handlePostAnalytics(context: RestContext) {
  const { query, state } = context;
  const q = query.requireString("q");
  if (q !== "me" && q !== "entity") {
    throw new ParamError("q", `unsupported finder "${q}"; use me or entity`);
  }
  const post = q === "entity" ? requestedPost(context) : null;
  const queryType = query.requireString("queryType");
  if (!isQueryType(queryType)) {
    throw new ParamError("queryType", `unsupported queryType "${queryType}"`);
  }
  const aggregation = query.string("aggregation") ?? "TOTAL";
  if (aggregation !== "TOTAL" && aggregation !== "DAILY") {
    throw new ParamError("aggregation", "must be TOTAL or DAILY");
  }
  if (aggregation === "DAILY" && queryType === "MEMBERS_REACHED") {
    throw new ParamError(
      "aggregation",
      "DAILY is not supported for MEMBERS_REACHED",
    );
  }
  const range = readDateRange(query);
  if (aggregation === "DAILY" && !range) {
    throw new ParamError("dateRange", "DAILY aggregation requires a dateRange");
  }

  const { fromDay, toDayExclusive } = range ?? lifetimeRange(context);
  const seed = state.options.seed;
  const today = state.clock.today();
  const member = context.caller.member;
  const metricType = metricTypeFor(context.version, queryType);

  if (post) {
    return postAnalytics(context, post, {
      queryType,
      aggregation,
      range: { fromDay, toDayExclusive },
    });
  }

  if (aggregation === "TOTAL") {
    const count =
      queryType === "MEMBERS_REACHED"
        ? membersReached(seed, member, fromDay, toDayExclusive, today)
        : memberPostTotal(
            seed,
            member,
            queryType,
            fromDay,
            toDayExclusive,
            today,
          );
    const element = {
      count,
      dateRange: restliDateRange(fromDay, toDayExclusive),
      metricType,
    };
    return collection(context, [element]);
  }

  const type = queryType as MemberPostMetric;
  const elements = [];
  for (let day = fromDay; day < toDayExclusive; day++) {
    const count = memberPostMetric(seed, member, type, day, today);
    if (count === null) continue;
    elements.push({
      count,
      dateRange: restliDateRange(day, day + 1),
      metricType,
    });
  }
  return collection(context, elements);
}

/**
 * Serves q=entity: one post's daily values, or their sum over the range.
 * NOTE: a post's MEMBERS_REACHED is not emulated; LinkedIn serves it as a
 * TOTAL, and the emulator returns 400 for it.
 */
function postAnalytics(
  context: RestContext,
  post: DemoPost,
  request: { queryType: QueryType; aggregation: string; range: DateRange },
) {
  const { state } = context;
  if (request.queryType === "MEMBERS_REACHED") {
    throw new ParamError(
      "queryType",
      "MEMBERS_REACHED of a single post is not available",
    );
  }
  const seed = state.options.seed;
  const today = state.clock.today();
  const member = context.caller.member;
  const type = request.queryType;
  const metricType = metricTypeFor(context.version, type);
  const { fromDay, toDayExclusive } = request.range;
  const readDay = (day: number) =>
    memberPostDayValue(seed, member, post, type, day, today);

  if (request.aggregation === "TOTAL") {
    let count = 0;
    for (let day = fromDay; day < toDayExclusive; day++)
      count += readDay(day) ?? 0;
    const element = {
      count,
      dateRange: restliDateRange(fromDay, toDayExclusive),
      metricType,
    };
    return collection(context, [element]);
  }
  const elements = [];
  for (let day = fromDay; day < toDayExclusive; day++) {
    const count = readDay(day);
    if (count === null) continue;
    elements.push({
      count,
      dateRange: restliDateRange(day, day + 1),
      metricType,
    });
  }
  return collection(context, elements);
}

function handleFollowersCount(context: RestContext) {
  const { query, state } = context;
  const seed = state.options.seed;
  const today = state.clock.today();
  const member = context.caller.member;
  const q = query.requireString("q");

  if (q === "me") {
    const total = memberFollowerTotal(seed, member, today);
    return collection(context, [{ memberFollowersCount: total }]);
  }
  if (q !== "dateRange") {
    throw new ParamError("q", `unsupported finder "${q}"; use me or dateRange`);
  }

  const range = readDateRange(query);
  if (!range) throw new ParamError("dateRange", "missing");
  // NOTE: LinkedIn does not say whether a daily value is the day's gain or
  // the running total; the emulator serves the gain.
  const elements = [];
  for (let day = range.fromDay; day < range.toDayExclusive; day++) {
    const gain = memberFollowerGain(seed, member, day, today);
    if (gain === null) continue;
    elements.push({
      dateRange: restliDateRange(day, day + 1),
      memberFollowersCount: gain,
    });
  }
  return collection(context, elements);
}

export const MEMBER_ROUTES: RestRoute[] = [
  {
    resource: "memberCreatorPostAnalytics",
    pattern: /^memberCreatorPostAnalytics$/,
    scopes: ["r_member_postAnalytics"],
    minVersion: "202506",
    handle: handlePostAnalytics,
  },
  {
    resource: "memberFollowersCount",
    pattern: /^memberFollowersCount$/,
    scopes: ["r_member_profileAnalytics"],
    minVersion: "202504",
    handle: handleFollowersCount,
  },
];
