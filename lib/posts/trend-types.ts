// Types and choices of a post's trend, shared by the server loader and the
// client view.

import type { MetricName } from "../metrics/registry";
import type { DayRange, IsoDay } from "../metrics/types";
import type { PostReference } from "./urn";

export const POST_TREND_METRICS = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
] as const satisfies readonly MetricName[];
export type PostTrendMetric = (typeof POST_TREND_METRICS)[number];

/** Range choices of the post page in days ending yesterday. "all" starts at publication. */
export const POST_TREND_RANGES = ["all", "7", "28", "90"] as const;
export type PostTrendRange = (typeof POST_TREND_RANGES)[number];

export type PostTrendAvailability =
  | { kind: "available" }
  | {
      /** The post can have a trend, but no daily numbers are stored yet. */
      kind: "pending";
      reason: string;
    }
  | {
      kind: "unavailable";
      cause:
        | "no_urn"
        | "activity_urn"
        | "no_api_connection"
        | "missing_scope"
        | "missing_role"
        | "connection_inactive";
      reason: string;
      /** The change that would enable the trend, worded for a person to act on. */
      fix: string;
    };

export type PostTrend = {
  post: {
    connectionId: string;
    url: string;
    title: string | null;
    publishedOn: IsoDay | null;
    fileName: string;
    importedAt: string;
    /** Imported totals over the export file's range, null where the file had none. */
    totals: Record<PostTrendMetric, number | null>;
  };
  reference: PostReference;
  apiConnection: { id: string; name: string } | null;
  availability: PostTrendAvailability;
  range: DayRange | null;
  /** One row per stored day in the range, ascending. */
  days: { day: IsoDay; values: Record<PostTrendMetric, number | null> }[];
  series: { metric: PostTrendMetric; label: string; total: number }[];
  source: { endpoint: string; version: string; fetchedAt: string | null };
};
