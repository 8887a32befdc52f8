import { describe, expect, it } from "vitest";

import {
  comparisonRange,
  comparisonWindows,
  describeViewProblems,
  DEFAULT_VIEW,
  isoWeekStart,
  knownConnections,
  listBuckets,
  parseViewParams,
  resolveRange,
  startCustomRange,
  usableView,
  viewToParams,
} from "./view";

const NOW = new Date("2026-03-01T05:00:00Z");
const KNOWN_ID = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
const UNKNOWN_ID = "00000000-0000-0000-0000-000000000000";

describe("resolveRange", () => {
  it.each([
    ["7", { from: "2026-02-22", to: "2026-02-28" }],
    ["28", { from: "2026-02-01", to: "2026-02-28" }],
    ["mtd", { from: "2026-02-01", to: "2026-02-28" }],
    ["last_month", { from: "2026-02-01", to: "2026-02-28" }],
    ["ytd", { from: "2026-01-01", to: "2026-02-28" }],
  ] as const)("preset %s ends yesterday", (range, expected) => {
    expect(resolveRange({ range }, NOW)).toEqual(expected);
  });

  it("last month mid-month", () => {
    expect(
      resolveRange({ range: "last_month" }, new Date("2026-03-15T00:00:00Z")),
    ).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });

  it("all time starts at the first stored day", () => {
    expect(resolveRange({ range: "all" }, NOW, "2025-05-04")).toEqual({
      from: "2025-05-04",
      to: "2026-02-28",
    });
    expect(resolveRange({ range: "all" }, NOW, null)).toEqual({
      from: "2026-02-28",
      to: "2026-02-28",
    });
  });

  it("custom range clips to yesterday", () => {
    const range = resolveRange(
      { range: "custom", from: "2026-02-10", to: "2026-03-05" },
      NOW,
    );
    expect(range).toEqual({ from: "2026-02-10", to: "2026-02-28" });
  });

  it("custom range rejects reversed or future days", () => {
    expect(
      resolveRange(
        { range: "custom", from: "2026-02-10", to: "2026-02-01" },
        NOW,
      ),
    ).toBeNull();
    expect(
      resolveRange(
        { range: "custom", from: "2026-03-01", to: "2026-03-02" },
        NOW,
      ),
    ).toBeNull();
  });
});

describe("comparisonRange", () => {
  it("previous period has equal length", () => {
    expect(
      comparisonRange({ from: "2026-02-01", to: "2026-02-28" }, "previous"),
    ).toEqual({ from: "2026-01-04", to: "2026-01-31" });
  });

  it("year earlier maps a leap day to Feb 28", () => {
    expect(
      comparisonRange({ from: "2028-02-01", to: "2028-02-29" }, "year"),
    ).toEqual({ from: "2027-02-01", to: "2027-02-28" });
  });

  it("none compares with nothing", () => {
    expect(
      comparisonRange({ from: "2026-02-01", to: "2026-02-02" }, "none"),
    ).toBeNull();
  });
});

describe("comparisonWindows", () => {
  it("tiles a longer comparison month", () => {
    // March 1-30 compares with January 30 to February 28: two calendar
    // months, one window.
    const range = { from: "2026-03-01", to: "2026-03-30" };
    const previous = comparisonRange(range, "previous")!;
    const buckets = listBuckets(range, "month");
    expect(
      comparisonWindows(buckets, range, previous, "previous", "month"),
    ).toEqual([{ from: "2026-01-30", to: "2026-02-28" }]);
  });

  it("keeps every comparison day in weekly windows", () => {
    // Tuesday to Sunday: one bucket, and the six days before it.
    const range = { from: "2026-11-17", to: "2026-11-22" };
    const previous = comparisonRange(range, "previous")!;
    const windows = comparisonWindows(
      listBuckets(range, "week"),
      range,
      previous,
      "previous",
      "week",
    );
    expect(windows).toEqual([{ from: "2026-11-11", to: "2026-11-16" }]);
  });

  it("shifts weeks by a year", () => {
    const range = { from: "2026-03-02", to: "2026-03-15" };
    const previous = comparisonRange(range, "year")!;
    expect(
      comparisonWindows(
        listBuckets(range, "week"),
        range,
        previous,
        "year",
        "week",
      ),
    ).toEqual([
      { from: "2025-03-02", to: "2025-03-08" },
      { from: "2025-03-09", to: "2025-03-15" },
    ]);
  });

  it("pairs days by position", () => {
    const range = { from: "2026-03-01", to: "2026-03-03" };
    const previous = comparisonRange(range, "previous")!;
    expect(
      comparisonWindows(
        listBuckets(range, "day"),
        range,
        previous,
        "previous",
        "day",
      ),
    ).toEqual([
      { from: "2026-02-26", to: "2026-02-26" },
      { from: "2026-02-27", to: "2026-02-27" },
      { from: "2026-02-28", to: "2026-02-28" },
    ]);
  });
});

describe("listBuckets", () => {
  it("weeks start on Monday", () => {
    expect(isoWeekStart("2026-03-01")).toBe("2026-02-23");
    expect(isoWeekStart("2026-02-23")).toBe("2026-02-23");
  });

  it("clips partial weeks at both ends", () => {
    expect(
      listBuckets({ from: "2026-02-25", to: "2026-03-03" }, "week"),
    ).toEqual([
      { from: "2026-02-25", to: "2026-03-01" },
      { from: "2026-03-02", to: "2026-03-03" },
    ]);
  });

  it("lists one bucket per day across a leap day and a year end", () => {
    const leap = listBuckets({ from: "2028-02-28", to: "2028-03-01" }, "day");
    expect(leap).toEqual([
      { from: "2028-02-28", to: "2028-02-28" },
      { from: "2028-02-29", to: "2028-02-29" },
      { from: "2028-03-01", to: "2028-03-01" },
    ]);
    const year = listBuckets({ from: "2025-12-04", to: "2026-12-03" }, "day");
    expect(year).toHaveLength(365);
    expect(year.map((bucket) => bucket.from)).toContain("2026-01-01");
    expect(year.at(-1)).toEqual({ from: "2026-12-03", to: "2026-12-03" });
  });

  it("clips partial months", () => {
    expect(
      listBuckets({ from: "2026-01-15", to: "2026-03-02" }, "month"),
    ).toEqual([
      { from: "2026-01-15", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-02-28" },
      { from: "2026-03-01", to: "2026-03-02" },
    ]);
  });
});

describe("view params", () => {
  it("round-trips through the URL", () => {
    const params = new URLSearchParams(
      "range=custom&from=2026-01-01&to=2026-01-31&compare=year&by=week&metrics=impressions,comments",
    );
    const view = parseViewParams(params);
    expect(view).toMatchObject({
      range: "custom",
      from: "2026-01-01",
      comparison: "year",
      granularity: "week",
      metrics: ["impressions", "comments"],
    });
    expect(viewToParams(view).toString()).toBe(params.toString());
  });

  it("keeps good fields when one is invalid", () => {
    const view = parseViewParams(new URLSearchParams("range=90&by=hour"));
    expect(view.range).toBe("90");
    expect(view.granularity).toBe("day");
  });

  it("defaults to 28 days", () => {
    expect(parseViewParams(new URLSearchParams()).range).toBe("28");
  });

  it.each([
    ["connections=not-a-uuid", "connections", []],
    ["connections=1b4e28ba-2fa1-41d2-883f-0016d3cca427,bad", "connections", []],
    [
      "connections=1b4e28ba-2fa1-41d2-883f-0016d3cca427",
      "connections",
      ["1b4e28ba-2fa1-41d2-883f-0016d3cca427"],
    ],
    ["metrics=impressions,likes", "metrics", []],
    [`metrics=${Array(8).fill("impressions").join(",")}`, "metrics", []],
    ["range=custom&from=2026-02-30&to=2026-03-01", "from", undefined],
    ["range=custom&from=2024-02-29&to=2024-03-01", "from", "2024-02-29"],
    ["range=custom&from=2026-1-5&to=2026-03-01", "from", undefined],
  ] as const)("validates %s", (search, field, expected) => {
    const view = parseViewParams(new URLSearchParams(search));
    expect(view[field]).toEqual(expected);
  });
});

describe("describeViewProblems", () => {
  const problemsOf = (params: Record<string, string>) =>
    describeViewProblems(params, parseViewParams(params), NOW);

  it("accepts a valid link", () => {
    expect(
      problemsOf({ range: "custom", from: "2026-02-01", to: "2026-02-10" }),
    ).toEqual([]);
    expect(problemsOf({ range: "90", compare: "year", by: "week" })).toEqual(
      [],
    );
  });

  it("names an impossible day", () => {
    expect(
      problemsOf({ range: "custom", from: "2026-02-30", to: "2026-02-10" }),
    ).toEqual([
      "The link's from=2026-02-30 is not valid, so the default is shown instead.",
      "A custom range needs both from and to as YYYY-MM-DD, so the last 28 days are shown.",
    ]);
  });

  it("names unknown values", () => {
    expect(problemsOf({ range: "45", metrics: "impressions,likes" })).toEqual([
      "The link's range=45 is not valid, so the default is shown instead.",
      "The link's metrics=impressions,likes is not valid, so the default is shown instead.",
    ]);
  });

  it("reports a future range", () => {
    expect(
      problemsOf({ range: "custom", from: "2026-03-05", to: "2026-03-09" }),
    ).toEqual([
      "The custom range 2026-03-05 to 2026-03-09 has no complete day (the last complete UTC day is 2026-02-28), so the last 28 days are shown.",
    ]);
  });

  it("reports a reversed range", () => {
    const problems = problemsOf({
      range: "custom",
      from: "2026-02-20",
      to: "2026-02-10",
    });
    expect(problems).toEqual([
      "The custom range starts after it ends (from=2026-02-20 is after to=2026-02-10), so the last 28 days are shown.",
    ]);
  });

  it("counts unknown connection ids", () => {
    const params = { connections: `${KNOWN_ID},${UNKNOWN_ID}` };
    const view = parseViewParams(params);
    expect(describeViewProblems(params, view, NOW, 1)).toEqual([
      "The link's 1 connection id is not found in this workspace (removed, or not visible to you), so only the other connections it names are shown.",
    ]);
  });

  it("falls back when no connection id is known", () => {
    const params = { connections: `${UNKNOWN_ID},${KNOWN_ID}` };
    const view = parseViewParams(params);
    expect(describeViewProblems(params, view, NOW, 2)).toEqual([
      "The link's 2 connection ids are not found in this workspace (removed, or not visible to you), so all connections are shown.",
    ]);
  });

  it("reports a shortened range", () => {
    expect(
      problemsOf({ range: "custom", from: "2026-02-20", to: "2026-03-09" }),
    ).toEqual([
      "The custom range was shortened to 2026-02-20 to 2026-02-28: ranges end at the last complete UTC day and span at most 3660 days.",
    ]);
  });
});

describe("usableView", () => {
  it("keeps a valid custom range", () => {
    const view = { ...DEFAULT_VIEW, range: "custom" as const };
    const custom = { ...view, from: "2026-02-01", to: "2026-02-10" };
    expect(usableView(custom, "2026-02-28")).toEqual(custom);
  });

  it.each([
    ["reversed", "2026-02-20", "2026-02-10"],
    ["future", "2026-03-05", "2026-03-09"],
    ["without an end", "2026-02-01", undefined],
  ])("replaces a %s custom range", (_case, from, to) => {
    const view = { ...DEFAULT_VIEW, range: "custom" as const, from, to };
    const usable = usableView(view, "2026-02-28");
    expect(usable.range).toBe("28");
    expect(usable.from).toBeUndefined();
    expect(usable.to).toBeUndefined();
  });
});

describe("startCustomRange", () => {
  it("starts from the preset's days", () => {
    const view = {
      ...DEFAULT_VIEW,
      range: "90" as const,
      granularity: "week" as const,
    };
    expect(startCustomRange(view, "2026-02-28", null)).toEqual({
      ...view,
      range: "custom",
      from: "2025-12-01",
      to: "2026-02-28",
    });
  });

  it("starts all time at the first stored day", () => {
    const view = { ...DEFAULT_VIEW, range: "all" as const };
    const custom = startCustomRange(view, "2026-02-28", "2025-06-15");
    expect(custom.from).toBe("2025-06-15");
    expect(custom.to).toBe("2026-02-28");
  });
});

describe("knownConnections", () => {
  it("keeps known ids and counts the rest", () => {
    expect(knownConnections([KNOWN_ID, UNKNOWN_ID], [KNOWN_ID])).toEqual({
      ids: [KNOWN_ID],
      unknown: 1,
    });
  });

  it("returns no ids when none is known", () => {
    expect(knownConnections([UNKNOWN_ID], [KNOWN_ID])).toEqual({
      ids: [],
      unknown: 1,
    });
  });
});
