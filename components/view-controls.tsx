"use client";

import { useId, useState } from "react";

import { classNames } from "@/components/ui/class-names";
import { Spinner } from "@/components/ui/spinner";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type { ConnectionSummary, IsoDay } from "@/lib/metrics/types";
import {
  COMPARISON_LABELS,
  COMPARISONS,
  GRANULARITIES,
  RANGE_LABELS,
  RANGE_PRESETS,
  knownConnections,
  startCustomRange,
  type DashboardView,
  type Granularity,
  type ViewChange,
} from "@/lib/metrics/view";

const SELECT_CLASS =
  "min-h-9 rounded-md border border-border bg-surface px-2 py-1.5 text-sm";

const GRANULARITY_LABELS: Record<Granularity, string> = {
  day: "Day",
  week: "Week",
  month: "Month",
};

type ViewControlsProps = {
  view: DashboardView;
  lastCompleteDay: IsoDay;
  /** First stored day, where "all time" and a custom range made from it start. */
  firstStoredDay: IsoDay | null;
  /** Receives each change, to apply to the latest requested view. */
  onChange: (change: ViewChange) => void;
};

/** Range, comparison and granularity pickers, all native form controls. */
export function ViewControls({
  view,
  lastCompleteDay,
  firstStoredDay,
  onChange,
}: ViewControlsProps) {
  const rangeId = useId();
  const compareId = useId();

  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
      <div className="flex flex-col gap-1">
        <label htmlFor={rangeId} className="text-xs font-medium text-muted">
          Date range
        </label>
        <select
          id={rangeId}
          value={view.range}
          className={SELECT_CLASS}
          onChange={(event) => {
            const range = event.target.value as DashboardView["range"];
            onChange((current) => {
              if (range === current.range) return current;
              return range === "custom"
                ? startCustomRange(current, lastCompleteDay, firstStoredDay)
                : { ...current, range, from: undefined, to: undefined };
            });
          }}
        >
          {[...RANGE_PRESETS, "custom" as const].map((preset) => (
            <option key={preset} value={preset}>
              {RANGE_LABELS[preset]}
            </option>
          ))}
        </select>
      </div>

      {view.range === "custom" ? (
        <CustomRange
          view={view}
          lastCompleteDay={lastCompleteDay}
          firstStoredDay={firstStoredDay}
          onChange={onChange}
        />
      ) : null}

      <div className="flex flex-col gap-1">
        <label htmlFor={compareId} className="text-xs font-medium text-muted">
          Compare with
        </label>
        <select
          id={compareId}
          value={view.comparison}
          className={SELECT_CLASS}
          onChange={(event) => {
            const comparison = event.target
              .value as DashboardView["comparison"];
            onChange((current) => ({ ...current, comparison }));
          }}
        >
          {COMPARISONS.map((comparison) => (
            <option key={comparison} value={comparison}>
              {COMPARISON_LABELS[comparison]}
            </option>
          ))}
        </select>
      </div>

      <div
        role="group"
        aria-label="Granularity"
        className="inline-grid grid-cols-3 gap-1 self-start rounded-lg border border-border bg-surface-muted p-1 sm:self-end"
      >
        {GRANULARITIES.map((granularity) => (
          <button
            key={granularity}
            type="button"
            aria-pressed={view.granularity === granularity}
            onClick={() => onChange((current) => ({ ...current, granularity }))}
            className={classNames(
              "rounded-md px-3 py-1 text-sm font-medium",
              view.granularity === granularity
                ? "bg-surface text-foreground shadow-xs"
                : "text-muted hover:text-foreground",
            )}
          >
            {GRANULARITY_LABELS[granularity]}
          </button>
        ))}
      </div>
    </div>
  );
}

/** Two native date inputs; the range applies when both are valid. */
function CustomRange({ view, lastCompleteDay, onChange }: ViewControlsProps) {
  const [from, setFrom] = useState(view.from ?? lastCompleteDay);
  const [to, setTo] = useState(view.to ?? lastCompleteDay);
  const fromId = useId();
  const toId = useId();
  const errorId = useId();
  const invalid = !from || !to || from > to || to > lastCompleteDay;

  function apply(nextFrom: string, nextTo: string) {
    setFrom(nextFrom);
    setTo(nextTo);
    const valid =
      nextFrom && nextTo && nextFrom <= nextTo && nextTo <= lastCompleteDay;
    if (valid) {
      onChange((current) => ({
        ...current,
        range: "custom",
        from: nextFrom,
        to: nextTo,
      }));
    }
  }

  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="sr-only">Custom range (UTC days)</legend>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={fromId} className="text-xs font-medium text-muted">
            From
          </label>
          <input
            id={fromId}
            type="date"
            value={from}
            max={lastCompleteDay}
            aria-describedby={invalid ? errorId : undefined}
            className={SELECT_CLASS}
            onChange={(event) => apply(event.target.value, to)}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={toId} className="text-xs font-medium text-muted">
            To
          </label>
          <input
            id={toId}
            type="date"
            value={to}
            max={lastCompleteDay}
            aria-describedby={invalid ? errorId : undefined}
            className={SELECT_CLASS}
            onChange={(event) => apply(from, event.target.value)}
          />
        </div>
      </div>
      {invalid ? (
        <p id={errorId} className="text-xs text-negative">
          The start must be on or before the end, and the end on or before{" "}
          {lastCompleteDay}.
        </p>
      ) : null}
    </fieldset>
  );
}

type FilterProps = {
  view: DashboardView;
  metrics: MetricName[];
  /**
   * The connections to choose from, or null before the first view has
   * loaded. With null the box shows a loading note at its closed height.
   */
  connections: ConnectionSummary[] | null;
  /** True while the view loads, so the filters show "Updating…". */
  updating: boolean;
  /** Receives each change, to apply to the latest requested view. */
  onChange: (change: ViewChange) => void;
};

function toggle<T extends string>(list: T[], all: T[], item: T): T[] {
  const next = list.includes(item)
    ? list.filter((entry) => entry !== item)
    : [...list, item];
  // At least one stays selected. Everything selected is stored as "all",
  // so connections added later join the view.
  if (next.length === 0) return list;
  return next.length === all.length ? [] : next;
}

/** Lists the metrics whose charts the view shows, among those on offer. */
function shownMetricsOf(view: DashboardView, metrics: MetricName[]) {
  return view.metrics.length ? view.metrics : metrics;
}

/**
 * Lists the connections the view includes. Ids of no listed connection are
 * left out, and with none left every connection is included, as on the
 * server.
 */
function shownConnectionsOf(view: DashboardView, ids: string[]): string[] {
  const known = knownConnections(view.connections, ids).ids;
  return known.length ? known : ids;
}

/**
 * The collapsible box of checkboxes for the charts shown and the
 * connections included. Before the first view has loaded it keeps the same
 * closed height, so the page below it does not move when the data arrives.
 */
export function ViewFilters({
  view,
  metrics,
  connections,
  updating,
  onChange,
}: FilterProps) {
  const loading = connections === null;
  return (
    <details className="rounded-lg border border-border bg-surface p-3 text-sm">
      <summary className="cursor-pointer font-medium">
        Metrics and connections
        {/* The negative margin keeps the spinner from making the line, and
            so the closed box, taller while it shows. */}
        {updating || loading ? (
          <span className="-my-1 ms-2 inline-flex items-center gap-1 text-xs font-normal text-muted">
            <Spinner />
            {loading ? "Loading…" : "Updating…"}
          </span>
        ) : null}
      </summary>
      {loading ? (
        <p className="mt-3 text-muted">
          The metrics and connections to choose from appear once the dashboard
          has loaded.
        </p>
      ) : (
        <FilterFields
          view={view}
          metrics={metrics}
          connections={connections}
          onChange={onChange}
        />
      )}
    </details>
  );
}

function FilterFields({
  view,
  metrics,
  connections,
  onChange,
}: Omit<FilterProps, "connections" | "updating"> & {
  connections: ConnectionSummary[];
}) {
  const connectionIds = connections.map((connection) => connection.id);
  const shownMetrics = shownMetricsOf(view, metrics);
  const shownConnections = shownConnectionsOf(view, connectionIds);

  return (
    <div className="mt-3 grid gap-4 sm:grid-cols-2">
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium text-muted">
          Charts shown
        </legend>
        {metrics.map((metric) => (
          <label key={metric} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={shownMetrics.includes(metric)}
              onChange={() =>
                onChange((current) => ({
                  ...current,
                  metrics: toggle(
                    shownMetricsOf(current, metrics),
                    metrics,
                    metric,
                  ),
                }))
              }
            />
            {METRICS[metric].label}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium text-muted">
          Connections included
        </legend>
        {connections.map((connection) => (
          <label key={connection.id} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={shownConnections.includes(connection.id)}
              onChange={() =>
                onChange((current) => ({
                  ...current,
                  connections: toggle(
                    shownConnectionsOf(current, connectionIds),
                    connectionIds,
                    connection.id,
                  ),
                }))
              }
            />
            {connection.name}
            <span className="text-xs text-muted">
              {connection.source === "import" ? "imported" : "API"}
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
