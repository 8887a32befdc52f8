// Typed analytics fetchers over LinkedInClient. Each one validates the
// response with zod.

export {
  MEMBER_FOLLOWER_DAILY_VALUE,
  fetchMemberDaily,
  fetchMemberFollowerGains,
  fetchMembersReached,
  type DailyValue,
  type MemberDailyMetric,
} from "./member-analytics";
export {
  STATISTICS_WINDOW_DAYS,
  fetchAdministeredOrganizations,
  fetchOrganization,
  fetchOrganizationFollowerGainsDaily,
  fetchOrganizationPageViewsDaily,
  fetchOrganizationShareDaily,
  organizationId,
  type DailySeries,
  type ShareDay,
  type StatisticsOptions,
} from "./organization-analytics";
export {
  clampRange,
  organizationStatisticsLimits,
  splitRange,
  type ClampedRange,
  type DayLimits,
} from "./ranges";
