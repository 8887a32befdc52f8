import { describe, expect, it } from "vitest";
import { listDays } from "../linkedin/days";
import { splitAtMonths } from "./dashboard-queries";

/** Lists every day the split covers, edges and whole months, in order. */
function coveredDays(span: { from: string; to: string }): string[] {
  const { months, edges } = splitAtMonths(span);
  const days = edges.flatMap((edge) => listDays(edge));
  if (months) {
    // The last day of the month that `months.to` starts.
    const [year, month] = months.to.split("-").map(Number);
    const monthEnd = new Date(Date.UTC(year!, month, 0))
      .toISOString()
      .slice(0, 10);
    days.push(...listDays({ from: months.from, to: monthEnd }));
  }
  return days.sort();
}

describe("splitAtMonths", () => {
  it("keeps whole months whole and the rest as edges", () => {
    expect(splitAtMonths({ from: "2025-12-04", to: "2026-12-03" })).toEqual({
      months: { from: "2026-01-01", to: "2026-11-01" },
      edges: [
        { from: "2025-12-04", to: "2025-12-31" },
        { from: "2026-12-01", to: "2026-12-03" },
      ],
    });
  });

  it("has no edge when the span starts and ends on month bounds", () => {
    expect(splitAtMonths({ from: "2028-02-01", to: "2028-03-31" })).toEqual({
      months: { from: "2028-02-01", to: "2028-03-01" },
      edges: [],
    });
  });

  it("is all edge inside one month or across one boundary", () => {
    expect(splitAtMonths({ from: "2026-06-03", to: "2026-06-20" })).toEqual({
      months: null,
      edges: [{ from: "2026-06-03", to: "2026-06-20" }],
    });
    expect(splitAtMonths({ from: "2026-05-20", to: "2026-06-10" })).toEqual({
      months: null,
      edges: [{ from: "2026-05-20", to: "2026-06-10" }],
    });
  });

  it.each([
    { from: "2026-02-11", to: "2026-05-20" },
    { from: "2028-01-31", to: "2028-03-01" },
    { from: "2026-01-01", to: "2026-01-31" },
    { from: "2025-11-30", to: "2026-12-31" },
  ])("covers every day of $from to $to once", (span) => {
    expect(coveredDays(span)).toEqual(listDays(span));
  });
});
