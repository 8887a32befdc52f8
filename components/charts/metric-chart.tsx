"use client";

import { useId, useRef, useState } from "react";
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
  formatCompactNumber,
  formatDay,
  formatDayRange,
  formatNumber,
  NO_VALUE,
} from "@/lib/format";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type { DayRange, IsoDay, SeriesPoint } from "@/lib/metrics/types";
import type { Granularity } from "@/lib/metrics/view";

import { downloadChartPng } from "./chart-png";

type ChartRow = SeriesPoint;

type MetricChartProps = {
  metric: MetricName;
  points: SeriesPoint[];
  range: DayRange;
  /** Label of the comparison period, or null without a comparison. */
  comparisonLabel: string | null;
  granularity: Granularity;
  locale: string;
  /** The PNG's file name, or null when the caller may not export the view. */
  pngFileName: string | null;
};

const CURRENT_STROKE = "var(--color-chart-current)";
const PREVIOUS_STROKE = "var(--color-chart-previous)";

/** Formats a bucket as its day, or its first and last day when longer. */
function formatBucket(from: IsoDay, to: IsoDay | null, locale: string) {
  return to && to !== from
    ? formatDayRange({ from, to }, locale)
    : formatDay(from, locale, "long");
}

const UNIT_LABELS: Record<Granularity, string> = {
  day: "per day",
  week: "per week (ISO weeks from Monday)",
  month: "per month",
};

/** Builds the chart's accessible name from its totals and busiest day. */
function summarizeChart(
  label: string,
  rows: ChartRow[],
  range: DayRange,
  granularity: Granularity,
  comparisonLabel: string | null,
  locale: string,
): string {
  const total = rows.reduce((sum, row) => sum + row.value, 0);
  const previousTotal = rows.reduce((sum, row) => sum + (row.previous ?? 0), 0);
  const peak = rows.reduce<ChartRow | undefined>(
    (best, row) => (best === undefined || row.value > best.value ? row : best),
    undefined,
  );
  const dates = formatDayRange(range, locale);
  const parts = [
    `${label} ${UNIT_LABELS[granularity]}, ${dates}: total ${formatNumber(total, locale)}`,
  ];

  if (peak !== undefined && peak.value > 0) {
    const peakDay = formatBucket(peak.day, peak.to, locale);
    parts.push(`highest ${formatNumber(peak.value, locale)} on ${peakDay}`);
  }
  if (comparisonLabel) {
    parts.push(
      `${comparisonLabel.toLowerCase()} total ${formatNumber(previousTotal, locale)}`,
    );
  }
  return parts.join(", ") + ".";
}

export function MetricChart({
  metric,
  points,
  range,
  comparisonLabel,
  granularity,
  locale,
  pngFileName,
}: MetricChartProps) {
  const [showTable, setShowTable] = useState(false);
  const [pngError, setPngError] = useState<string | null>(null);
  const cardRef = useRef<HTMLElement>(null);
  const tableId = useId();
  const headingId = useId();
  const { label } = METRICS[metric];
  const rows = points;

  const downloadPng = () => {
    const card = cardRef.current;
    if (!card || !pngFileName) return;
    setPngError(null);
    const title = `${label}, ${formatDayRange(range, locale)} (UTC)`;
    downloadChartPng(card, title, pngFileName).catch((error: unknown) => {
      setPngError(
        error instanceof Error
          ? `The PNG could not be made: ${error.message}`
          : "The PNG could not be made.",
      );
    });
  };

  return (
    <Card
      ref={cardRef}
      aria-labelledby={headingId}
      className="flex min-w-0 flex-col gap-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-sm font-semibold">
          {label}
        </h3>
        <ChartLegend comparisonLabel={comparisonLabel} />
      </div>

      <div
        role="img"
        aria-label={summarizeChart(
          label,
          rows,
          range,
          granularity,
          comparisonLabel,
          locale,
        )}
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
            />
          ) : null}
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

      {pngError ? (
        <p role="alert" className="text-sm text-negative">
          {pngError}
        </p>
      ) : null}

      <div>
        {pngFileName ? (
          <Button
            variant="ghost"
            aria-label={`Download ${label} chart as PNG`}
            onClick={downloadPng}
            className="-ml-3"
          >
            Download PNG
          </Button>
        ) : null}
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
              comparisonLabel={comparisonLabel}
              locale={locale}
            />
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function ChartLegend({ comparisonLabel }: { comparisonLabel: string | null }) {
  return (
    <ul className="flex gap-4 text-xs text-muted">
      <li className="flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className="w-4 border-t-2 border-chart-current"
        />
        This period
      </li>
      {comparisonLabel ? (
        <li className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="w-4 border-t-2 border-dashed border-chart-previous"
          />
          {comparisonLabel}
        </li>
      ) : null}
    </ul>
  );
}

function ChartTooltip({
  active,
  label,
  rows,
  comparisonLabel,
  locale,
}: TooltipContentProps & {
  rows: ChartRow[];
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
          {formatNumber(row.value, locale)}
        </span>
      </p>
      {comparisonLabel && row.previousDay ? (
        <p className="flex justify-between gap-4 text-muted">
          <span>{formatBucket(row.previousDay, row.previousTo, locale)}</span>
          <span className="tabular-nums">
            {row.previous === null
              ? NO_VALUE
              : formatNumber(row.previous, locale)}
          </span>
        </p>
      ) : null}
    </div>
  );
}

function ChartTable({
  label,
  rows,
  range,
  comparisonLabel,
  locale,
}: {
  label: string;
  rows: ChartRow[];
  range: DayRange;
  comparisonLabel: string | null;
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
          {label}, {formatDayRange(range, locale)} (UTC)
        </caption>
        <thead className="sticky top-0 bg-surface-muted text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Period
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {label}
            </th>
            {comparisonLabel ? (
              <>
                <th scope="col" className="px-3 py-2 font-medium">
                  {comparisonLabel}
                </th>
                <th scope="col" className="px-3 py-2 text-right font-medium">
                  {label} ({comparisonLabel.toLowerCase()})
                </th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.day} className="border-t border-border">
              <th scope="row" className="px-3 py-1.5 font-normal">
                {formatBucket(row.day, row.to, locale)}
              </th>
              <td className="px-3 py-1.5 text-right">
                {formatNumber(row.value, locale)}
              </td>
              {comparisonLabel ? (
                <>
                  <td className="px-3 py-1.5 text-muted">
                    {row.previousDay
                      ? formatBucket(row.previousDay, row.previousTo, locale)
                      : NO_VALUE}
                  </td>
                  <td className="px-3 py-1.5 text-right text-muted">
                    {row.previous === null
                      ? NO_VALUE
                      : formatNumber(row.previous, locale)}
                  </td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
