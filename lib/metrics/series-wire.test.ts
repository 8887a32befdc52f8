import { describe, expect, it } from "vitest";
import { addDays } from "../linkedin/days";
import type { MetricName } from "./registry";
import { packSeries, unpackSeries } from "./series-wire";
import type { MetricSeries, SeriesPoint } from "./types";

const METRICS: MetricName[] = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "page_views",
  "follower_gains",
];

/** Builds a daily series over `days` days from 2026-01-01, compared with the days before. */
function dailySeries(metric: MetricName, days: number): MetricSeries {
  const points: SeriesPoint[] = [];
  for (let index = 0; index < days; index++) {
    const day = addDays("2026-01-01", index);
    const previousDay = addDays("2026-01-01", index - days);
    points.push({
      day,
      to: day,
      value: (index * 37 + metric.length) % 1000,
      // Every tenth day is partly stored, to round-trip the sparse fields.
      storedDays: index % 10 === 0 ? 1 : null,
      previous: (index * 11) % 500,
      previousStoredDays: index % 10 === 5 ? 1 : null,
      previousDay,
      previousTo: previousDay,
    });
  }
  return { metric, points };
}

describe("packSeries", () => {
  it("round-trips daily series with a comparison", () => {
    const series = METRICS.map((metric) => dailySeries(metric, 365));
    const packed = packSeries(series);

    expect(packed.buckets).toHaveLength(365);
    expect(packed.series).toHaveLength(METRICS.length);
    expect(unpackSeries(packed)).toEqual(series);
  });

  it("keeps a comparison that has fewer buckets", () => {
    // The range has five buckets and its comparison four, so the last
    // bucket has no comparison.
    const points: SeriesPoint[] = [
      ["2026-03-01", "2026-03-01", "2026-02-01", "2026-02-01"],
      ["2026-03-02", "2026-03-08", "2026-02-02", "2026-02-08"],
      ["2026-03-09", "2026-03-15", "2026-02-09", "2026-02-15"],
      ["2026-03-16", "2026-03-22", "2026-02-16", "2026-02-22"],
      ["2026-03-23", "2026-03-31", null, null],
    ].map(([day, to, previousDay, previousTo], index) => ({
      day: day!,
      to: to!,
      value: index * 10,
      storedDays: null,
      previous: previousDay ? index : null,
      previousStoredDays: null,
      previousDay: previousDay ?? null,
      previousTo: previousTo ?? null,
    }));
    const series = [{ metric: "impressions" as const, points }];
    const packed = packSeries(series);

    expect(packed.previousBuckets.at(-1)).toBeNull();
    expect(unpackSeries(packed)).toEqual(series);
  });

  it("round-trips series without a comparison", () => {
    const series = METRICS.map((metric) => {
      const { points } = dailySeries(metric, 30);
      return {
        metric,
        points: points.map((point) => ({
          ...point,
          previous: null,
          previousStoredDays: null,
          previousDay: null,
          previousTo: null,
        })),
      };
    });
    const packed = packSeries(series);

    expect(packed.previousBuckets.every((bucket) => bucket === null)).toBe(
      true,
    );
    expect(unpackSeries(packed)).toEqual(series);
  });

  it("round-trips no series", () => {
    expect(unpackSeries(packSeries([]))).toEqual([]);
  });

  it("rejects series with different buckets", () => {
    const shorter = dailySeries("reactions", 364);
    expect(() =>
      packSeries([dailySeries("impressions", 365), shorter]),
    ).toThrow(/reactions series has buckets that differ/);
  });

  it("sends a daily year in under a third of the JSON", () => {
    const series = METRICS.map((metric) => dailySeries(metric, 365));
    const packedBytes = JSON.stringify(packSeries(series)).length;
    const plainBytes = JSON.stringify(series).length;

    expect(packedBytes).toBeLessThan(plainBytes / 3);
  });
});
