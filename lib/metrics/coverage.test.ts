import { describe, expect, it } from "vitest";
import {
  combineSpans,
  connectionSpans,
  coverageOf,
  earliestStoredDay,
  mergeSpans,
  touchesSpans,
  withoutSpans,
  type FileDays,
  type StoredBounds,
  type StoredSpans,
} from "./coverage";
import type { MetricName } from "./registry";

describe("mergeSpans", () => {
  it("joins overlapping and adjacent spans", () => {
    expect(
      mergeSpans([
        { from: "2026-03-06", to: "2026-03-09" },
        { from: "2026-03-01", to: "2026-03-05" },
        { from: "2026-03-08", to: "2026-03-12" },
        { from: "2026-03-20", to: "2026-03-21" },
      ]),
    ).toEqual([
      { from: "2026-03-01", to: "2026-03-12" },
      { from: "2026-03-20", to: "2026-03-21" },
    ]);
  });

  it("keeps a span inside another", () => {
    expect(
      mergeSpans([
        { from: "2026-03-01", to: "2026-03-31" },
        { from: "2026-03-10", to: "2026-03-12" },
      ]),
    ).toEqual([{ from: "2026-03-01", to: "2026-03-31" }]);
  });
});

describe("withoutSpans", () => {
  const span = { from: "2026-03-01", to: "2026-03-31" };

  it("cuts holes out of the span", () => {
    expect(
      withoutSpans(span, [
        { from: "2026-02-20", to: "2026-03-02" },
        { from: "2026-03-10", to: "2026-03-12" },
        { from: "2026-03-30", to: "2026-04-05" },
      ]),
    ).toEqual([
      { from: "2026-03-03", to: "2026-03-09" },
      { from: "2026-03-13", to: "2026-03-29" },
    ]);
  });

  it("keeps the span without holes and drops it under one", () => {
    expect(withoutSpans(span, [])).toEqual([span]);
    expect(
      withoutSpans(span, [{ from: "2026-04-01", to: "2026-04-02" }]),
    ).toEqual([span]);
    expect(
      withoutSpans(span, [{ from: "2026-02-01", to: "2026-04-30" }]),
    ).toEqual([]);
  });
});

describe("coverageOf", () => {
  const spans = [
    { from: "2026-03-01", to: "2026-03-05" },
    { from: "2026-03-10", to: "2026-03-31" },
  ];

  it("counts stored days inside the range", () => {
    expect(coverageOf(spans, { from: "2026-03-04", to: "2026-03-11" })).toEqual(
      { storedDays: 4, days: 8, storedFrom: null },
    );
  });

  it("names the first day when only the start is missing", () => {
    expect(coverageOf(spans, { from: "2026-03-07", to: "2026-03-20" })).toEqual(
      { storedDays: 11, days: 14, storedFrom: "2026-03-10" },
    );
  });

  it("reports a fully stored range", () => {
    expect(coverageOf(spans, { from: "2026-03-10", to: "2026-03-20" })).toEqual(
      { storedDays: 11, days: 11, storedFrom: null },
    );
  });

  it("reports a range without stored days", () => {
    expect(coverageOf(spans, { from: "2026-04-01", to: "2026-04-30" })).toEqual(
      { storedDays: 0, days: 30, storedFrom: null },
    );
  });
});

describe("touchesSpans", () => {
  it("finds a bucket that shares one day", () => {
    const spans = [{ from: "2026-03-10", to: "2026-03-12" }];
    expect(touchesSpans(spans, { from: "2026-03-12", to: "2026-03-18" })).toBe(
      true,
    );
    expect(touchesSpans(spans, { from: "2026-03-13", to: "2026-03-19" })).toBe(
      false,
    );
  });
});

describe("earliestStoredDay", () => {
  it("returns the first day over all metrics", () => {
    const spans: StoredSpans = new Map([
      ["impressions", [{ from: "2026-02-01", to: "2026-02-10" }]],
      ["reactions", [{ from: "2026-01-15", to: "2026-01-20" }]],
    ]);
    expect(earliestStoredDay(spans)).toBe("2026-01-15");
    expect(earliestStoredDay(new Map())).toBeNull();
  });
});

describe("connectionSpans", () => {
  const bounds: StoredBounds = new Map([
    [
      "api",
      new Map([["impressions", { from: "2026-01-01", to: "2026-03-31" }]]),
    ],
    [
      "import",
      new Map([
        ["impressions", { from: "2026-01-05", to: "2026-03-20" }],
        ["follower_gains", { from: "2026-02-01", to: "2026-02-28" }],
      ]),
    ],
  ]);
  const bothMetrics: MetricName[] = ["impressions", "follower_gains"];
  const files = new Map<string, FileDays[]>([
    [
      "import",
      [
        {
          days: { from: "2026-03-01", to: "2026-03-31" },
          metrics: bothMetrics,
        },
        {
          days: { from: "2026-01-01", to: "2026-01-31" },
          metrics: bothMetrics,
        },
      ],
    ],
  ]);

  it("keeps an API connection's first to last day", () => {
    const spans = connectionSpans(bounds, files);
    expect(spans.get("api")?.get("impressions")).toEqual([
      { from: "2026-01-01", to: "2026-03-31" },
    ]);
  });

  it("leaves an API connection's not-synced days out", () => {
    const gapped: StoredBounds = new Map([
      [
        "api",
        new Map([
          [
            "impressions",
            {
              from: "2025-01-01",
              to: "2026-03-31",
              notSynced: [{ from: "2025-02-01", to: "2026-02-28" }],
            },
          ],
        ]),
      ],
    ]);
    expect(
      connectionSpans(gapped, new Map()).get("api")?.get("impressions"),
    ).toEqual([
      { from: "2025-01-01", to: "2025-01-31" },
      { from: "2026-03-01", to: "2026-03-31" },
    ]);
  });

  it("limits an import connection to its files' days", () => {
    const spans = connectionSpans(bounds, files);
    expect(spans.get("import")?.get("impressions")).toEqual([
      { from: "2026-01-05", to: "2026-01-31" },
      { from: "2026-03-01", to: "2026-03-20" },
    ]);
    // No file lists February, so the metric stored only then has no span.
    expect(spans.get("import")?.has("follower_gains")).toBe(false);
  });

  it("counts file days only for the file's metrics", () => {
    // Follower files for January and July, a content file for April.
    const pageBounds: StoredBounds = new Map([
      [
        "page",
        new Map([
          ["follower_gains", { from: "2026-01-01", to: "2026-07-31" }],
          ["impressions", { from: "2026-04-01", to: "2026-04-30" }],
        ]),
      ],
    ]);
    const followers: MetricName[] = ["follower_gains"];
    const content: MetricName[] = ["impressions", "reactions"];
    const pageFiles = new Map<string, FileDays[]>([
      [
        "page",
        [
          {
            days: { from: "2026-01-01", to: "2026-01-31" },
            metrics: followers,
          },
          { days: { from: "2026-04-01", to: "2026-04-30" }, metrics: content },
          {
            days: { from: "2026-07-01", to: "2026-07-31" },
            metrics: followers,
          },
        ],
      ],
    ]);

    const spans = connectionSpans(pageBounds, pageFiles).get("page");

    expect(spans?.get("follower_gains")).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-07-01", to: "2026-07-31" },
    ]);
    expect(spans?.get("impressions")).toEqual([
      { from: "2026-04-01", to: "2026-04-30" },
    ]);
  });

  it("combines only the named connections", () => {
    const spans = connectionSpans(bounds, files);
    expect(combineSpans(spans, ["import"]).get("impressions")).toEqual([
      { from: "2026-01-05", to: "2026-01-31" },
      { from: "2026-03-01", to: "2026-03-20" },
    ]);
    expect(combineSpans(spans, ["api", "import"]).get("impressions")).toEqual([
      { from: "2026-01-01", to: "2026-03-31" },
    ]);
    expect(combineSpans(spans, []).size).toBe(0);
  });
});
