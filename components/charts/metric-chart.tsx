"use client";

import dynamic from "next/dynamic";
import { useCallback, useId, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import {
  describeStoredDays,
  describeStoredTotal,
  formatComparisonValue,
  formatDayRange,
  formatNumber,
  formatStoredValue,
  NO_VALUE,
} from "@/lib/format";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type { DayRange, SeriesPoint } from "@/lib/metrics/types";
import type { Granularity } from "@/lib/metrics/view";

import { CURRENT_STROKE, PREVIOUS_STROKE } from "./chart-strokes";
import { formatBucket } from "./format-bucket";

// recharts is loaded in the browser only, after hydration, so it stays out
// of the page's first JavaScript. The placeholder has the chart's height, so
// nothing moves when the chart replaces it.
const LineChartPlot = dynamic(() => import("./line-chart-plot"), {
  ssr: false,
  loading: () => <ChartPlaceholder />,
});

type ChartRow = SeriesPoint;

/** The legend's name for the hollow dot on a partly stored point. */
const PARTIAL_LABEL = "Only part of the days stored";

type MetricChartProps = {
  metric: MetricName;
  /** The chart's points, or null while they are still loading. */
  points: SeriesPoint[] | null;
  range: DayRange;
  /** Label of the comparison period, or null without a comparison. */
  comparisonLabel: string | null;
  /** The comparison period's days, or null without a comparison. */
  comparisonRange: DayRange | null;
  granularity: Granularity;
  locale: string;
  /** The PNG's file name, or null when the caller may not export the view. */
  pngFileName: string | null;
};

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
  let peak: { row: ChartRow; value: number } | undefined;
  for (const row of rows) {
    if (row.value !== null && (peak === undefined || row.value > peak.value))
      peak = { row, value: row.value };
  }
  const dates = formatDayRange(range, locale);
  const parts = [
    `${label} ${UNIT_LABELS[granularity]}, ${dates}: ${describeStoredTotal(rows, locale)}`,
  ];
  const partial = rows.filter((row) => row.storedDays !== null).length;
  if (partial > 0)
    parts.push(
      partial === 1
        ? "1 point has only part of its days stored"
        : `${formatNumber(partial, locale)} points have only part of their days stored`,
    );

  if (peak !== undefined && peak.value > 0) {
    const peakDay = formatBucket(peak.row.day, peak.row.to, locale);
    parts.push(`highest ${formatNumber(peak.value, locale)} on ${peakDay}`);
  }
  if (comparisonLabel) {
    const previous = rows.flatMap((row) =>
      row.previousDay === null
        ? []
        : [{ day: row.previousDay, value: row.previous }],
    );
    parts.push(
      `${comparisonLabel.toLowerCase()} ${describeStoredTotal(previous, locale)}`,
    );
  }
  return parts.join(", ") + ".";
}

export function MetricChart({
  metric,
  points,
  range,
  comparisonLabel,
  comparisonRange,
  granularity,
  locale,
  pngFileName,
}: MetricChartProps) {
  const [showTable, setShowTable] = useState(false);
  const [pngError, setPngError] = useState<string | null>(null);
  const [drawn, setDrawn] = useState(false);
  const onDrawn = useCallback(() => setDrawn(true), []);
  const cardRef = useRef<HTMLElement>(null);
  const tableId = useId();
  const headingId = useId();
  const { label } = METRICS[metric];
  const rows = points;

  const downloadPng = async () => {
    const card = cardRef.current;
    if (!card || !pngFileName) return;
    setPngError(null);
    const title = `${label}, ${formatDayRange(range, locale)} (UTC)`;
    const legend = [
      {
        label: `This period: ${formatDayRange(range, locale)}`,
        color: CURRENT_STROKE,
        swatch: "line" as const,
      },
      ...(comparisonLabel && comparisonRange
        ? [
            {
              label: `${comparisonLabel}: ${formatDayRange(comparisonRange, locale)}`,
              color: PREVIOUS_STROKE,
              swatch: "dashed" as const,
            },
          ]
        : []),
      ...(rows?.some((row) => row.storedDays !== null)
        ? [
            {
              label: PARTIAL_LABEL,
              color: CURRENT_STROKE,
              swatch: "hollow dot" as const,
            },
          ]
        : []),
    ];
    try {
      // Loaded on the first click; most visits export nothing.
      const { downloadChartPng } = await import("./chart-png");
      await downloadChartPng(card, title, legend, pngFileName);
    } catch (error: unknown) {
      setPngError(
        error instanceof Error
          ? `The PNG could not be made: ${error.message}`
          : "The PNG could not be made.",
      );
    }
  };

  return (
    <Card
      ref={cardRef}
      aria-labelledby={headingId}
      aria-busy={rows === null}
      className="flex min-w-0 flex-col gap-3"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="text-sm font-semibold">
          {label}
        </h3>
        <ChartLegend
          comparisonLabel={comparisonLabel}
          partial={rows?.some((row) => row.storedDays !== null) ?? false}
        />
      </div>

      {rows === null ? (
        <ChartPlaceholder />
      ) : (
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
          {rows.every((row) => row.value === null && row.previous === null) ? (
            // Axes without a line look broken, so the box gives the reason.
            <p className="flex size-full items-center justify-center rounded-md border border-dashed border-border text-sm text-muted">
              No data is stored for these days.
            </p>
          ) : (
            <LineChartPlot
              rows={rows}
              comparisonLabel={comparisonLabel}
              locale={locale}
              onDrawn={onDrawn}
            />
          )}
        </div>
      )}

      {pngError ? (
        <p role="alert" className="text-sm text-negative">
          {pngError}
        </p>
      ) : null}

      {/* The buttons show while the chart loads, disabled, so the card keeps its height. */}
      <div>
        {pngFileName ? (
          <Button
            variant="ghost"
            aria-label={`Download ${label} chart as PNG`}
            onClick={() => void downloadPng()}
            disabled={!drawn}
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
          disabled={rows === null}
          className="-ml-3"
        >
          {showTable ? "Hide data table" : "Show data table"}
        </Button>
        <div id={tableId} hidden={!showTable}>
          {showTable && rows !== null ? (
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

/**
 * Draws the chart area while its points or recharts load: the chart's
 * height and grid lines, so nothing moves when the chart replaces it.
 */
function ChartPlaceholder() {
  return (
    <div className="relative flex h-56 w-full flex-col justify-around pl-11">
      {[0, 1, 2, 3].map((line) => (
        <div key={line} aria-hidden="true" className="border-t border-border" />
      ))}
      <p className="absolute inset-0 flex items-center justify-center text-sm text-muted motion-safe:animate-pulse">
        Loading chart…
      </p>
    </div>
  );
}

function ChartLegend({
  comparisonLabel,
  partial,
}: {
  comparisonLabel: string | null;
  /** Whether a hollow dot marks a partly stored point. */
  partial: boolean;
}) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted">
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
      {partial ? (
        <li className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="size-2 rounded-full border-[1.5px] border-chart-current"
          />
          {PARTIAL_LABEL}
        </li>
      ) : null}
    </ul>
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
              <td
                className={`px-3 py-1.5 text-right ${row.value === null ? "text-muted" : ""}`}
              >
                {formatStoredValue(row.value, locale)}
                {row.storedDays !== null ? (
                  <span className="block text-xs text-muted">
                    {describeStoredDays(
                      row.storedDays,
                      { from: row.day, to: row.to },
                      locale,
                    )}
                  </span>
                ) : null}
              </td>
              {comparisonLabel ? (
                <>
                  <td className="px-3 py-1.5 text-muted">
                    {row.previousDay
                      ? formatBucket(row.previousDay, row.previousTo, locale)
                      : NO_VALUE}
                  </td>
                  <td className="px-3 py-1.5 text-right text-muted">
                    {row.previousDay
                      ? formatComparisonValue(row, locale)
                      : NO_VALUE}
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
