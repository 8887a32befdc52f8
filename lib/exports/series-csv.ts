import { csvLine } from "../http/csv";
import { countDays } from "../linkedin/days";
import type { DashboardData, IsoDay } from "../metrics/types";

/**
 * Lists the dashboard's chart series as CSV lines: a header, then one line
 * per metric and bucket at the view's granularity, in chart order. The
 * comparison columns appear only when the view compares with a period. A
 * value or comparison value is an empty cell where the bucket ends before
 * the metric's first stored day, because no stored data is not zero.
 *
 * `stored_days` counts the bucket's days with stored data, so a sum over
 * only some of its days is not mistaken for a low one.
 * `comparison_stored_days` counts them for the comparison window, whose
 * value is empty unless every day is stored.
 *
 * A last `members_reached` line spans the whole range, as the KPI card
 * does, because LinkedIn gives members reached only as a total over a
 * range: unique members cannot be summed across buckets. It is left out
 * when the view has no such total (a range other than 7, 28, 90 or 365
 * days), and its comparison value is empty where the KPI has none.
 */
export function* seriesCsvLines(data: DashboardData): Generator<string> {
  const compared = data.comparisonRange !== null;
  yield csvLine([
    "metric",
    "period_start",
    "period_end",
    "value",
    ...(compared
      ? ["comparison_start", "comparison_end", "comparison_value"]
      : []),
    "stored_days",
    ...(compared ? ["comparison_stored_days"] : []),
  ]);

  for (const series of data.series) {
    for (const point of series.points) {
      yield csvLine([
        series.metric,
        point.day,
        point.to,
        point.value,
        ...(compared
          ? [point.previousDay, point.previousTo, point.previous]
          : []),
        storedDaysOf(point.value, point.storedDays, point.day, point.to),
        ...(compared
          ? [
              point.previousDay !== null && point.previousTo !== null
                ? storedDaysOf(
                    point.previous,
                    point.previousStoredDays,
                    point.previousDay,
                    point.previousTo,
                  )
                : null,
            ]
          : []),
      ]);
    }
  }

  const reached = data.kpis.find((kpi) => kpi.metric === "members_reached");
  if (reached !== undefined && reached.value !== null) {
    yield csvLine([
      reached.metric,
      data.range.from,
      data.range.to,
      reached.value,
      ...(data.comparisonRange
        ? [data.comparisonRange.from, data.comparisonRange.to, reached.previous]
        : []),
      // LinkedIn's total covers the whole range, whatever days are stored.
      null,
      ...(data.comparisonRange ? [null] : []),
    ]);
  }
}

/**
 * Counts a bucket's stored days: all of them when it has a value and no
 * partial count, none when it has neither.
 */
function storedDaysOf(
  value: number | null,
  storedDays: number | null,
  from: IsoDay,
  to: IsoDay,
): number {
  if (storedDays !== null) return storedDays;
  return value === null ? 0 : countDays({ from, to });
}

/** Names a view's CSV download, e.g. `inview-2026-05-01-2026-05-28-by-week.csv`. */
export function seriesCsvFileName(data: DashboardData): string {
  return `inview-${data.range.from}-${data.range.to}-by-${data.granularity}.csv`;
}
