"use client";

// The recharts part of a metric chart. It is the largest client code of the
// dashboard, so metric-chart.tsx loads this module only in the browser,
// after the page has hydrated.

import { useEffect, useRef } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import {
  describeStoredDays,
  formatCompactNumber,
  formatComparisonValue,
  formatDay,
  formatStoredValue,
} from "@/lib/format";
import type { IsoDay, SeriesPoint } from "@/lib/metrics/types";

import { CURRENT_STROKE, PREVIOUS_STROKE } from "./chart-strokes";
import { formatBucket } from "./format-bucket";

export type LineChartPlotProps = {
  rows: SeriesPoint[];
  /** Label of the comparison period, or null without a comparison. */
  comparisonLabel: string | null;
  locale: string;
  /** Called once the chart's SVG is in the document, so it can be exported. */
  onDrawn: () => void;
};

/**
 * Calls `onDrawn` when an `svg.recharts-surface` appears inside the element.
 * A responsive recharts chart draws its SVG only after it has measured its
 * container, which can be a frame after mounting.
 */
function useDrawnSignal(onDrawn: () => void) {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const drawn = () => container.querySelector("svg.recharts-surface");
    if (drawn()) {
      onDrawn();
      return;
    }
    const observer = new MutationObserver(() => {
      if (!drawn()) return;
      observer.disconnect();
      onDrawn();
    });
    observer.observe(container, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [onDrawn]);

  return containerRef;
}

export default function LineChartPlot({
  rows,
  comparisonLabel,
  locale,
  onDrawn,
}: LineChartPlotProps) {
  const containerRef = useDrawnSignal(onDrawn);

  return (
    <div ref={containerRef} className="size-full">
      <LineChart
        data={rows}
        responsive
        accessibilityLayer={false}
        style={{ width: "100%", height: "100%" }}
        // The right margin fits half of the last x-axis label, which
        // recharts centres on the last point. With less, it was cut off.
        margin={{ top: 8, right: 24, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke="var(--color-border)" vertical={false} />
        <XAxis
          dataKey="day"
          tickFormatter={(day: IsoDay) => formatDay(day, locale)}
          minTickGap={24}
          tick={{ fill: "var(--color-muted)", fontSize: 12 }}
          stroke="var(--color-border)"
        />
        <YAxis
          width={44}
          allowDecimals={false}
          tickFormatter={(value: number) => formatCompactNumber(value, locale)}
          tick={{ fill: "var(--color-muted)", fontSize: 12 }}
          stroke="var(--color-border)"
        />
        <Tooltip
          // Recharts hides the tooltip when every value under the pointer is
          // null. Over a bucket without a stored day, it shows "No data".
          filterNull={false}
          content={(props: TooltipContentProps) => (
            <ChartTooltip
              {...props}
              rows={rows}
              comparisonLabel={comparisonLabel}
              locale={locale}
            />
          )}
        />
        {comparisonLabel ? (
          <Line
            dataKey="previous"
            name={comparisonLabel}
            stroke={PREVIOUS_STROKE}
            strokeDasharray="4 4"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        ) : null}
        <Line
          dataKey="value"
          name="This period"
          stroke={CURRENT_STROKE}
          strokeWidth={2}
          // A hollow dot marks a bucket of which only some days are stored,
          // whose dip is a gap in the data, not in the activity.
          dot={(props: PartialDotProps) => (
            <PartialDot key={props.index} {...props} />
          )}
          isAnimationActive={false}
          // A null value is a bucket without a stored day. The line leaves a
          // gap there instead of drawing it as zero or bridging it.
          connectNulls={false}
        />
      </LineChart>
    </div>
  );
}

type PartialDotProps = {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: SeriesPoint;
};

function PartialDot({ cx, cy, payload }: PartialDotProps) {
  if (payload?.storedDays == null || cx === undefined || cy === undefined)
    return <g />;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={3.5}
      fill="var(--color-surface)"
      stroke={CURRENT_STROKE}
      strokeWidth={1.5}
      data-testid="partial-dot"
    />
  );
}

function ChartTooltip({
  active,
  label,
  rows,
  comparisonLabel,
  locale,
}: TooltipContentProps & {
  rows: SeriesPoint[];
  comparisonLabel: string | null;
  locale: string;
}) {
  // The tooltip's label is the hovered row's x value, its first UTC day.
  const row = active
    ? rows.find((candidate) => candidate.day === label)
    : undefined;
  if (row === undefined) {
    return null;
  }

  return (
    <div className="rounded-md border border-border bg-surface px-3 py-2 text-xs shadow-md">
      <p className="flex justify-between gap-4">
        <span>{formatBucket(row.day, row.to, locale)}</span>
        <span className="font-semibold tabular-nums">
          {formatStoredValue(row.value, locale)}
        </span>
      </p>
      {row.storedDays !== null ? (
        <p className="text-muted">
          {describeStoredDays(
            row.storedDays,
            { from: row.day, to: row.to },
            locale,
          )}
        </p>
      ) : null}
      {comparisonLabel && row.previousDay ? (
        <p className="flex justify-between gap-4 text-muted">
          <span>{formatBucket(row.previousDay, row.previousTo, locale)}</span>
          <span className="tabular-nums">
            {formatComparisonValue(row, locale)}
          </span>
        </p>
      ) : null}
    </div>
  );
}
