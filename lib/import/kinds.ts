// The daily columns of each kind of LinkedIn export file, mapped to registry
// metrics. They live apart from the parsers, so the dashboard can read which
// metrics a file stores without loading the spreadsheet reader.

import type { ImportKind } from "../db/schema";
import type { MetricName } from "../metrics/registry";

export const MEMBER_ENGAGEMENT_COLUMNS = {
  Impressions: "impressions",
} as const;
export const MEMBER_FOLLOWER_COLUMNS = {
  "New followers": "follower_gains",
} as const;
export const PAGE_CONTENT_COLUMNS = {
  "Impressions (total)": "impressions",
  "Reactions (total)": "reactions",
  "Comments (total)": "comments",
  "Reposts (total)": "reshares",
} as const;
export const PAGE_FOLLOWER_COLUMNS = {
  "Total followers": "follower_gains",
} as const;
export const PAGE_VISITOR_COLUMNS = {
  "Total page views (total)": "page_views",
} as const;

/**
 * The metrics each kind of export file contains. A file stores days of
 * these metrics only, so the dashboard counts its day range as stored for
 * them and for no other metric.
 */
export const IMPORT_KIND_METRICS: Record<ImportKind, readonly MetricName[]> = {
  member_content: [
    ...Object.values(MEMBER_ENGAGEMENT_COLUMNS),
    ...Object.values(MEMBER_FOLLOWER_COLUMNS),
  ],
  page_content: Object.values(PAGE_CONTENT_COLUMNS),
  page_followers: Object.values(PAGE_FOLLOWER_COLUMNS),
  page_visitors: Object.values(PAGE_VISITOR_COLUMNS),
};
