import {
  fetchMemberDaily,
  fetchMemberFollowerGains,
  fetchMembersReached,
  fetchOrganizationFollowerGainsDaily,
  fetchOrganizationPageViewsDaily,
  fetchOrganizationShareDaily,
  type DailyValue,
  type MemberDailyMetric,
} from "../linkedin/analytics";
import type { LinkedInClient } from "../linkedin/client";
import { addDays, countDays, listDays } from "../linkedin/days";
import { PRESET_RANGE_DAYS, type MetricName } from "../metrics/registry";
import type { DayRange, IsoDay } from "../metrics/types";

// A sync is a list of steps, each one or a few LinkedIn calls whose result is
// written in its own transaction, so progress can be shown and a failed step
// loses nothing that came before it.

/** Days per request for daily series, small enough to show progress. */
export const WINDOW_DAYS = 90;

export type StepResult = {
  daily: { metric: MetricName; values: DailyValue[] }[];
  rangeTotals: RangeTotal[];
  gaps: { metric: MetricName; range: DayRange }[];
  /** Daily values of single posts, stored in post_metric_daily. */
  postDaily?: { postUrn: string; metric: MetricName; values: DailyValue[] }[];
  /** Posts LinkedIn refused to report on for this connection. */
  refusedPosts?: string[];
};

export type RangeTotal = {
  metric: MetricName;
  rangeDays: number;
  period: "current" | "previous";
  range: DayRange;
  value: number;
};

export type SyncStep = {
  label: string;
  /** The metrics this step writes; a 403 on it marks only these unavailable. */
  metrics: MetricName[];
  run(client: LinkedInClient): Promise<StepResult>;
};

export type PlanInput = {
  kind: "person" | "organization";
  urn: string;
  scopes: string[];
  range: DayRange;
  /** Yesterday in UTC: the end of every preset range. */
  lastCompleteDay: IsoDay;
  now: Date;
};

const MEMBER_DAILY: MemberDailyMetric[] = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
];
const ORGANIZATION_SCOPES = ["rw_organization_admin", "r_organization_admin"];

const empty = (): StepResult => ({ daily: [], rangeTotals: [], gaps: [] });

/**
 * Splits a range into windows whose edges fall on multiples of `windowDays`
 * days since 1970-01-01, so a range that moved by a day keeps the same inner
 * windows and a resumed sync can skip the ones it already wrote.
 */
export function alignedWindows(
  range: DayRange,
  windowDays: number,
): DayRange[] {
  const windows: DayRange[] = [];
  let from = range.from;
  while (from <= range.to) {
    const index = countDays({ from: "1970-01-01", to: from }) - 1;
    const blockEnd = addDays(from, windowDays - 1 - (index % windowDays));
    const to = blockEnd < range.to ? blockEnd : range.to;
    windows.push({ from, to });
    from = addDays(to, 1);
  }
  return windows;
}

/** Fills the days LinkedIn left out of a window with zeros: no activity. */
export function zeroFill(window: DayRange, values: DailyValue[]): DailyValue[] {
  const byDay = new Map(values.map((value) => [value.day, value.value]));
  return listDays(window).map((day) => ({ day, value: byDay.get(day) ?? 0 }));
}

/** The preset ranges ending on the last complete day, and the period before each. */
export function presetRanges(
  lastCompleteDay: IsoDay,
): Omit<RangeTotal, "metric" | "value">[] {
  return PRESET_RANGE_DAYS.flatMap((days) => {
    const current = {
      from: addDays(lastCompleteDay, -(days - 1)),
      to: lastCompleteDay,
    };
    const previous = {
      from: addDays(current.from, -days),
      to: addDays(current.from, -1),
    };
    return [
      { rangeDays: days, period: "current" as const, range: current },
      { rangeDays: days, period: "previous" as const, range: previous },
    ];
  });
}

function personSteps(input: PlanInput): SyncStep[] {
  const steps: SyncStep[] = [];
  const windows = alignedWindows(input.range, WINDOW_DAYS);
  if (input.scopes.includes("r_member_postAnalytics")) {
    for (const metric of MEMBER_DAILY) {
      for (const window of windows) {
        steps.push({
          label: `${metric} ${window.from}..${window.to}`,
          metrics: [metric],
          run: async (client) => ({
            ...empty(),
            daily: [
              {
                metric,
                values: zeroFill(
                  window,
                  await fetchMemberDaily(client, metric, window),
                ),
              },
            ],
          }),
        });
      }
    }
    steps.push({
      label: `members reached for preset ranges to ${input.lastCompleteDay}`,
      metrics: ["members_reached"],
      run: async (client) => {
        const rangeTotals: RangeTotal[] = [];
        for (const preset of presetRanges(input.lastCompleteDay)) {
          const value = await fetchMembersReached(client, preset.range);
          rangeTotals.push({ ...preset, metric: "members_reached", value });
        }
        return { ...empty(), rangeTotals };
      },
    });
  }
  if (input.scopes.includes("r_member_profileAnalytics")) {
    for (const window of windows) {
      steps.push({
        label: `follower_gains ${window.from}..${window.to}`,
        metrics: ["follower_gains"],
        run: async (client) => ({
          ...empty(),
          daily: [
            {
              metric: "follower_gains",
              values: zeroFill(
                window,
                await fetchMemberFollowerGains(client, window),
              ),
            },
          ],
        }),
      });
    }
  }
  return steps;
}

function organizationSteps(input: PlanInput): SyncStep[] {
  if (!input.scopes.some((scope) => ORGANIZATION_SCOPES.includes(scope)))
    return [];
  const options = { now: input.now, windowDays: WINDOW_DAYS };
  const steps: SyncStep[] = [];
  for (const window of alignedWindows(input.range, WINDOW_DAYS)) {
    steps.push({
      label: `share statistics ${window.from}..${window.to}`,
      metrics: ["impressions", "reactions", "comments", "reshares"],
      run: async (client) => {
        const series = await fetchOrganizationShareDaily(
          client,
          input.urn,
          window,
          options,
        );
        const metrics = [
          "impressions",
          "reactions",
          "comments",
          "reshares",
        ] as const;
        return {
          ...empty(),
          daily: metrics.map((metric) => ({
            metric,
            values: series.days.map((day) => ({
              day: day.day,
              value: day[metric],
            })),
          })),
          gaps: metrics.flatMap((metric) =>
            series.gaps.map((range) => ({ metric, range })),
          ),
        };
      },
    });
    steps.push({
      label: `page views ${window.from}..${window.to}`,
      metrics: ["page_views"],
      run: async (client) => {
        const series = await fetchOrganizationPageViewsDaily(
          client,
          input.urn,
          window,
          options,
        );
        return {
          ...empty(),
          daily: [{ metric: "page_views", values: series.days }],
          gaps: series.gaps.map((range) => ({
            metric: "page_views" as const,
            range,
          })),
        };
      },
    });
    steps.push({
      label: `follower gains ${window.from}..${window.to}`,
      metrics: ["follower_gains"],
      run: async (client) => {
        const series = await fetchOrganizationFollowerGainsDaily(
          client,
          input.urn,
          window,
          options,
        );
        return {
          ...empty(),
          daily: [{ metric: "follower_gains", values: series.days }],
          gaps: series.gaps.map((range) => ({
            metric: "follower_gains" as const,
            range,
          })),
        };
      },
    });
  }
  return steps;
}

/** Lists the steps that sync one connection over a range. */
export function planSync(input: PlanInput): SyncStep[] {
  return input.kind === "person"
    ? personSteps(input)
    : organizationSteps(input);
}
