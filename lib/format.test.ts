import { afterEach, describe, expect, it } from "vitest";

import {
  addDays,
  computeChange,
  describeStoredTotal,
  formatCompactNumber,
  formatDay,
  formatDayRange,
  formatNumber,
  formatPercentChange,
  formatSignedNumber,
  parseIsoDay,
} from "./format";

const originalTimeZone = process.env.TZ;

function setTimeZone(timeZone: string) {
  process.env.TZ = timeZone;
  // Node applies a changed TZ at once. This check fails if it did not.
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(timeZone);
}

afterEach(() => {
  if (originalTimeZone === undefined) {
    delete process.env.TZ;
  } else {
    process.env.TZ = originalTimeZone;
  }
});

describe("formatDay", () => {
  // UTC+14: a day parsed as local midnight would be the previous UTC day.
  it("keeps the UTC date in Pacific/Kiritimati", () => {
    setTimeZone("Pacific/Kiritimati");

    expect(formatDay("2025-03-01", "en-US")).toBe("Mar 1");
    expect(formatDay("2025-12-31", "en-US", "long")).toBe("Dec 31, 2025");
    const localMidnight = new Date(2025, 2, 1);
    expect(localMidnight.toISOString().slice(0, 10)).toBe("2025-02-28");
  });

  // UTC-8: UTC midnight formatted in local time is the previous evening.
  it("keeps the UTC date in America/Los_Angeles", () => {
    setTimeZone("America/Los_Angeles");

    expect(formatDay("2025-03-01", "en-US")).toBe("Mar 1");
    expect(formatDay("2025-01-01", "en-US", "long")).toBe("Jan 1, 2025");
    const local = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/Los_Angeles",
      month: "short",
      day: "numeric",
    });
    expect(local.format(parseIsoDay("2025-03-01"))).toBe("Feb 28");
  });

  it("follows the requested locale", () => {
    expect(formatDay("2025-03-01", "de-DE", "long")).toBe("1. März 2025");
  });

  it("rejects malformed and impossible days", () => {
    expect(() => formatDay("2025-3-1")).toThrow(RangeError);
    expect(() => formatDay("2025-02-30")).toThrow(RangeError);
  });
});

describe("formatDayRange", () => {
  it("keeps both UTC dates in America/Los_Angeles", () => {
    setTimeZone("America/Los_Angeles");

    const label = formatDayRange(
      { from: "2025-03-01", to: "2025-03-28" },
      "en-US",
    );

    expect(label).toMatch(/^Mar 1\s*–\s*28, 2025$/);
  });

  it("names both years across a year end", () => {
    const label = formatDayRange(
      { from: "2024-12-25", to: "2025-01-07" },
      "en-US",
    );

    expect(label).toMatch(/^Dec 25, 2024\s*–\s*Jan 7, 2025$/);
  });

  it("writes only plain spaces", () => {
    const label = formatDayRange(
      { from: "2026-11-06", to: "2026-12-03" },
      "en-US",
    );

    // The same text on every ICU version, so server and browser agree.
    expect(label).toBe("Nov 6 – Dec 3, 2026");
  });
});

describe("addDays", () => {
  it("crosses month and leap day", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2025-01-01", -365)).toBe("2024-01-02");
  });
});

describe("computeChange", () => {
  it("returns absolute and ratio", () => {
    expect(computeChange(150, 120)).toEqual({ absolute: 30, ratio: 0.25 });
    expect(computeChange(90, 120)).toEqual({ absolute: -30, ratio: -0.25 });
    expect(computeChange(0, 40)).toEqual({ absolute: -40, ratio: -1 });
  });

  it("returns null when previous is 0", () => {
    expect(computeChange(50, 0)).toBeNull();
    expect(computeChange(0, 0)).toBeNull();
  });

  it("returns null when a value is missing", () => {
    expect(computeChange(null, 10)).toBeNull();
    expect(computeChange(10, null)).toBeNull();
  });
});

describe("number formatting", () => {
  it("groups digits for the locale", () => {
    expect(formatNumber(1234567, "en-US")).toBe("1,234,567");
    expect(formatNumber(1234567, "de-DE")).toBe("1.234.567");
  });

  it("shortens large numbers", () => {
    expect(formatCompactNumber(12_300, "en-US")).toBe("12.3K");
    expect(formatCompactNumber(1_250_000, "en-US")).toBe("1.3M");
    expect(formatCompactNumber(950, "en-US")).toBe("950");
  });

  it("signs differences and percentages", () => {
    expect(formatSignedNumber(120, "en-US")).toBe("+120");
    expect(formatSignedNumber(-4, "en-US")).toBe("-4");
    expect(formatSignedNumber(0, "en-US")).toBe("0");
    expect(formatPercentChange(0.125, "en-US")).toBe("+12.5%");
    expect(formatPercentChange(-0.5, "en-US")).toBe("-50%");
  });
});

const STORED_LOCALE = "en-US";

describe("describeStoredTotal", () => {
  it("gives the total of a fully stored series", () => {
    const buckets = [
      { day: "2026-03-01", value: 2 },
      { day: "2026-03-02", value: 0 },
    ];
    expect(describeStoredTotal(buckets, STORED_LOCALE)).toBe("total 2");
  });

  it("names the first stored bucket after leading gaps", () => {
    const buckets = [
      { day: "2026-03-01", value: null },
      { day: "2026-03-02", value: 3 },
      { day: "2026-03-03", value: 4 },
    ];
    expect(describeStoredTotal(buckets, STORED_LOCALE)).toBe(
      "total 7, no data before Mar 2, 2026",
    );
  });

  it("counts gaps after the first stored bucket", () => {
    const buckets = [
      { day: "2026-03-01", value: 1 },
      { day: "2026-03-02", value: null },
      { day: "2026-03-03", value: null },
      { day: "2026-03-04", value: 5 },
    ];
    expect(describeStoredTotal(buckets, STORED_LOCALE)).toBe(
      "total 6, no data for 2 of the 4 points",
    );
  });

  it("says no data without any stored bucket", () => {
    const buckets = [{ day: "2026-03-01", value: null }];
    expect(describeStoredTotal(buckets, STORED_LOCALE)).toBe("no data");
  });
});
