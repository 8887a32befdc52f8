import { Card } from "@/components/ui/card";
import {
  computeChange,
  formatNumber,
  formatPercentChange,
  formatSignedNumber,
  NO_VALUE,
  type Change,
} from "@/lib/format";
import {
  METRICS,
  type MetricName,
  type SubjectKind,
} from "@/lib/metrics/registry";
import type { KpiValue } from "@/lib/metrics/types";

/**
 * Explains a missing value. A metric is missing when no connection of a
 * kind that reports it exists, when the permission it needs was not
 * granted, or when a range-only total has not been stored yet.
 */
function describeUnavailable(
  metric: MetricName,
  connectedKinds: readonly SubjectKind[],
): string {
  const subjects = Object.keys(METRICS[metric].sources);

  if (connectedKinds.some((kind) => subjects.includes(kind))) {
    return "Not reported for this range yet. Check the granted permissions.";
  }
  if (subjects.length === 1 && subjects[0] === "organization") {
    return "Reported for company pages only.";
  }
  if (subjects.length === 1 && subjects[0] === "person") {
    return "Reported for member profiles only.";
  }
  return "No connection reports this metric.";
}

type KpiCardProps = {
  kpi: KpiValue;
  locale: string;
  /** Kinds of the workspace's connections, to explain a missing value. */
  connectedKinds: readonly SubjectKind[];
};

export function KpiCard({ kpi, locale, connectedKinds }: KpiCardProps) {
  const { label, description } = METRICS[kpi.metric];
  const testId = `kpi-${kpi.metric}`;
  const headingId = `${testId}-label`;

  return (
    <Card
      aria-labelledby={headingId}
      data-testid={testId}
      className="relative flex flex-col gap-2"
    >
      <div className="flex items-start justify-between gap-2">
        <h3 id={headingId} className="text-sm font-medium text-muted">
          {label}
        </h3>
        <MetricInfo label={label} description={description} />
      </div>

      {kpi.value === null ? (
        <>
          <p
            data-testid={`${testId}-value`}
            className="text-lg font-semibold text-muted"
          >
            Not available
          </p>
          <p className="text-xs text-muted">
            {describeUnavailable(kpi.metric, connectedKinds)}
          </p>
        </>
      ) : (
        <>
          <p
            data-testid={`${testId}-value`}
            data-value={kpi.value}
            className="text-2xl font-semibold tabular-nums"
          >
            {formatNumber(kpi.value, locale)}
          </p>
          <p className="text-xs text-muted">
            Previous period:{" "}
            <span className="tabular-nums">
              {kpi.previous === null
                ? NO_VALUE
                : formatNumber(kpi.previous, locale)}
            </span>
          </p>
          <ChangeLine
            change={computeChange(kpi.value, kpi.previous)}
            locale={locale}
          />
        </>
      )}
    </Card>
  );
}

/** Shows the description in a native disclosure: click, tap or keyboard. */
function MetricInfo({
  label,
  description,
}: {
  label: string;
  description: string;
}) {
  return (
    <details>
      <summary
        title={description}
        className="flex size-6 cursor-pointer list-none items-center justify-center rounded-full text-xs text-muted hover:bg-surface-muted [&::-webkit-details-marker]:hidden"
      >
        <span aria-hidden="true">ⓘ</span>
        <span className="sr-only">About {label}</span>
      </summary>
      {/* Placed against the card, not the icon, so it fits narrow cards. */}
      <p className="absolute inset-x-3 top-11 z-10 rounded-md border border-border bg-surface p-2 text-xs shadow-md">
        {description}
      </p>
    </details>
  );
}

// Every current metric is better when it goes up, so a rise is positive.
function pickChangeStyle(absolute: number) {
  if (absolute > 0) {
    return { arrow: "▲", tone: "text-positive" };
  }
  if (absolute < 0) {
    return { arrow: "▼", tone: "text-negative" };
  }
  return { arrow: "■", tone: "text-muted" };
}

function ChangeLine({
  change,
  locale,
}: {
  change: Change | null;
  locale: string;
}) {
  if (change === null) {
    return (
      <p className="text-sm text-muted">
        <span aria-hidden="true">{NO_VALUE}</span>
        <span className="sr-only">No change to compare</span>
      </p>
    );
  }

  const { arrow, tone } = pickChangeStyle(change.absolute);

  return (
    <p className={`text-sm font-medium tabular-nums ${tone}`}>
      <span aria-hidden="true">{arrow} </span>
      {formatSignedNumber(change.absolute, locale)} (
      {formatPercentChange(change.ratio, locale)})
      <span className="sr-only"> compared with the previous period</span>
    </p>
  );
}
