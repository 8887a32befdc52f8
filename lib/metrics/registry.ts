// The one list of metric names. The schema, the sync, the dashboard, the CSV
// export and the emulator's ground truth all use these names.

export const METRIC_NAMES = [
  "impressions",
  "members_reached",
  "reactions",
  "comments",
  "reshares",
  "follower_gains",
  "page_views",
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** A LinkedIn subject that metrics belong to: a member or a company page. */
export type SubjectKind = "person" | "organization";

export type MetricDefinition = {
  label: string;
  description: string;
  /**
   * False for metrics LinkedIn returns only as a total over a date range.
   * Those are stored per preset range at each sync and shown as KPIs, never
   * as a daily chart, because summing days would count a member twice.
   */
  daily: boolean;
  /** True when a rise is good news, which colours the change arrow green. */
  upIsGood: boolean;
  /** The LinkedIn endpoint and the scope that fill the metric, per subject. */
  sources: Partial<Record<SubjectKind, { endpoint: string; scope: string }>>;
};

const POST_ANALYTICS = "/rest/memberCreatorPostAnalytics";
const SHARE_STATISTICS = "/rest/organizationalEntityShareStatistics";

export const METRICS: Record<MetricName, MetricDefinition> = {
  impressions: {
    label: "Impressions",
    description: "Times your posts were shown",
    daily: true,
    upIsGood: true,
    sources: {
      person: { endpoint: POST_ANALYTICS, scope: "r_member_postAnalytics" },
      organization: {
        endpoint: SHARE_STATISTICS,
        scope: "rw_organization_admin",
      },
    },
  },
  members_reached: {
    label: "Members reached",
    description: "Unique members who saw your posts in the range",
    daily: false,
    upIsGood: true,
    sources: {
      person: { endpoint: POST_ANALYTICS, scope: "r_member_postAnalytics" },
    },
  },
  reactions: {
    label: "Reactions",
    description: "Likes and other reactions on your posts",
    daily: true,
    upIsGood: true,
    sources: {
      person: { endpoint: POST_ANALYTICS, scope: "r_member_postAnalytics" },
      organization: {
        endpoint: SHARE_STATISTICS,
        scope: "rw_organization_admin",
      },
    },
  },
  comments: {
    label: "Comments",
    description: "Comments on your posts",
    daily: true,
    upIsGood: true,
    sources: {
      person: { endpoint: POST_ANALYTICS, scope: "r_member_postAnalytics" },
      organization: {
        endpoint: SHARE_STATISTICS,
        scope: "rw_organization_admin",
      },
    },
  },
  reshares: {
    label: "Reshares",
    description: "Times your posts were reposted",
    daily: true,
    upIsGood: true,
    sources: {
      person: { endpoint: POST_ANALYTICS, scope: "r_member_postAnalytics" },
      organization: {
        endpoint: SHARE_STATISTICS,
        scope: "rw_organization_admin",
      },
    },
  },
  follower_gains: {
    label: "Follower gains",
    description: "New followers per day",
    daily: true,
    upIsGood: true,
    sources: {
      person: {
        endpoint: "/rest/memberFollowersCount",
        scope: "r_member_profileAnalytics",
      },
      organization: {
        endpoint: "/rest/organizationalEntityFollowerStatistics",
        scope: "rw_organization_admin",
      },
    },
  },
  page_views: {
    label: "Page views",
    description: "Views of the company page, all sections and devices",
    daily: true,
    upIsGood: true,
    sources: {
      organization: {
        endpoint: "/rest/organizationPageStatistics",
        scope: "rw_organization_admin",
      },
    },
  },
};

export const DAILY_METRICS = METRIC_NAMES.filter((name) => METRICS[name].daily);

/** Preset ranges, in days, for which range-only metrics are stored. */
export const PRESET_RANGE_DAYS = [7, 28, 90, 365] as const;
export type PresetRangeDays = (typeof PRESET_RANGE_DAYS)[number];

export function isMetricName(value: string): value is MetricName {
  return (METRIC_NAMES as readonly string[]).includes(value);
}
