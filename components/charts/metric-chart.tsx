"use client";

import { useId, useState } from "react";
import {
  CartesianGrid,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  addDays,
  formatCompactNumber,
  formatDay,
  formatDayRange,
  formatNumber,
} from "@/lib/format";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type { DayRange, IsoDay, SeriesPoint } from "@/lib/metrics/types";

type ChartRow = SeriesPoint & { previousDay: IsoDay };

type MetricChartProps = {
  metric: MetricName;
  points: SeriesPoint[];
  range: DayRange;
  previousRange: DayRange;
  locale: string;
};

const CURRENT_STROKE = "var(--color-chart-current)";
const PREVIOUS_STROKE = "var(--color-chart-previous)";

/** Pairs each day with the matching day of the previous period. */
function toChartRows(points: SeriesPoint[], previousRange: DayRange) {
  return points.map((point, index): ChartRow => ({
    ...point,
    previousDay: addDays(previousRange.from, index),
  }));
}

/** Builds the chart's accessible name from its totals and busiest day. */
function summarizeChart(
  label: string,
  rows: ChartRow[],
  range: DayRange,
  locale: string,
): string {
  const total = rows.reduce((sum, row) => sum + row.value, 0);
  const previousTotal = rows.reduce((sum, row) => sum + row.previous, 0);
  const peak = rows.reduce<ChartRow | undefined>(
    (best, row) => (best === undefined || row.value > best.value ? row : best),
    undefined,
  );
  const dates = formatDayRange(range, locale);
  const parts = [
    `${label} per day, ${dates}: total ${formatNumber(total, locale)}`,
  ];

  if (peak !== undefined && peak.value > 0) {
    const peakDay = formatDay(peak.day, locale);
    parts.push(`highest ${formatNumber(peak.value, locale)} on ${peakDay}`);
  }
  parts.push(`previous period total ${formatNumber(previousTotal, locale)}`);
  return parts.join(", ") + ".";
}

export function MetricChart({
  metric,
  points,
  range,
  previousRange,
  locale,
}: MetricChartProps) {
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const headingId = useId();
  const { label } = METRICS[metric];
  const rows = toChartRows(points, previousRange);

  return (
    <Card aria-labelledby={headingId} className="flex min-w-0 flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-sm font-semibold">
          {label}
        </h3>
        <ChartLegend />
      </div>

      <div
        role="img"
        aria-label={summarizeChart(label, rows, range, locale)}
        className="h-56 w-full"
      >
        <LineChart
          data={rows}
          responsive
          accessibilityLayer={false}
          style={{ width: "100%", height: "100%" }}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
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
            tickFormatter={(value: number) =>
              formatCompactNumber(value, locale)
            }
            tick={{ fill: "var(--color-muted)", fontSize: 12 }}
            stroke="var(--color-border)"
          />
          <Tooltip
            content={(props: TooltipContentProps) => (
              <ChartTooltip {...props} rows={rows} locale={locale} />
            )}
          />
          <Line
            dataKey="previous"
            name="Previous period"
            stroke={PREVIOUS_STROKE}
            strokeDasharray="4 4"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="value"
            name="This period"
            stroke={CURRENT_STROKE}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </div>

      <div>
        <Button
          variant="ghost"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((shown) => !shown)}
          className="-ml-3"
        >
          {showTable ? "Hide data table" : "Show data table"}
        </Button>
        <div id={tableId} hidden={!showTable}>
          {showTable ? (
            <ChartTable
              label={label}
              rows={rows}
              range={range}
              locale={locale}
            />
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function ChartLegend() {
  return (
    <ul className="flex gap-4 text-xs text-muted">
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className="w-4 border-t-2 border-chart-current"
        />
        This period
      </li>
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className="w-4 border-t-2 border-dashed border-chart-previous"
        />
        Previous period
      </li>
    </ul>
  );
}

function ChartTooltip({
  active,
  label,
  rows,
  locale,
}: TooltipContentProps & { rows: ChartRow[]; locale: string }) {
  // The tooltip's label is the hovered row's x value, its UTC day.
  const row = active
    ? rows.find((candidate) => candidate.day === label)
    : undefined;
  if (row === undefined) {
    return null;
  }

  return (
    <div className="rounded-md border border-border bg-surface px-3 py-2 text-xs shadow-md">
      <p className="flex justify-between gap-4">
        <span>{formatDay(row.day, locale, "long")}</span>
        <span className="font-semibold tabular-nums">
          {formatNumber(row.value, locale)}
        </span>
      </p>
      <p className="flex justify-between gap-4 text-muted">
        <span>{formatDay(row.previousDay, locale, "long")}</span>
        <span className="tabular-nums">
          {formatNumber(row.previous, locale)}
        </span>
      </p>
    </div>
  );
}

function ChartTable({
  label,
  rows,
  range,
  locale,
}: {
  label: string;
  rows: ChartRow[];
  range: DayRange;
  locale: string;
}) {
  const captionId = useId();

  return (
    // Focusable so keyboard users can scroll a long range.
    <div
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      className="max-h-80 overflow-auto rounded-md border border-border"
    >
      <table className="w-full text-left text-sm tabular-nums">
        <caption id={captionId} className="sr-only">
          {label} per day, {formatDayRange(range, locale)} (UTC)
        </caption>
        <thead className="sticky top-0 bg-surface-muted text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Day
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {label}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Previous period day
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Previous {label.toLowerCase()}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.day} className="border-t border-border">
              <th scope="row" className="px-3 py-1.5 font-normal">
                {formatDay(row.day, locale, "long")}
              </th>
              <td className="px-3 py-1.5 text-right">
                {formatNumber(row.value, locale)}
              </td>
              <td className="px-3 py-1.5 text-muted">
                {formatDay(row.previousDay, locale, "long")}
              </td>
              <td className="px-3 py-1.5 text-right text-muted">
                {formatNumber(row.previous, locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
