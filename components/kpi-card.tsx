import { Card } from "@/components/ui/card";
import {
  computeChange,
  describeCoverage,
  formatNumber,
  formatPercentChange,
  formatSignedNumber,
  NO_VALUE,
  type Change,
} from "@/lib/format";
import { METRICS } from "@/lib/metrics/registry";
import type { KpiValue } from "@/lib/metrics/types";
import { SourceInfo } from "./source-info";

type KpiCardProps = {
  kpi: KpiValue;
  locale: string;
  /** Label of the comparison period, or null without a comparison. */
  comparisonLabel: string | null;
};

export function KpiCard({ kpi, locale, comparisonLabel }: KpiCardProps) {
  const { label, description, upIsGood } = METRICS[kpi.metric];
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
        <SourceInfo label={label} description={description} kpi={kpi} />
      </div>

      {kpi.value === null ? (
        <>
          <p
            data-testid={`${testId}-value`}
            className="text-lg font-semibold text-muted"
          >
            Not available
          </p>
          <p className="text-xs text-muted">{kpi.unavailableReason}</p>
        </>
      ) : kpi.coverage?.storedDays === 0 ? (
        <>
          <p
            data-testid={`${testId}-value`}
            className="text-lg font-semibold text-muted"
          >
            No data
          </p>
          <p className="text-xs text-muted" data-testid={`${testId}-coverage`}>
            No data is stored for these days.
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
          {kpi.coverage ? (
            <p
              className="text-xs text-muted"
              data-testid={`${testId}-coverage`}
            >
              {describeCoverage(kpi.coverage, "the", locale)}
            </p>
          ) : null}
          {comparisonLabel ? (
            <>
              <p
                className="text-xs text-muted"
                data-testid={`${testId}-previous`}
                data-value={kpi.previous ?? undefined}
              >
                {comparisonLabel}:{" "}
                <span className="tabular-nums">
                  {kpi.previous === null
                    ? NO_VALUE
                    : formatNumber(kpi.previous, locale)}
                </span>
              </p>
              <ChangeLine
                change={computeChange(kpi.value, kpi.previous)}
                upIsGood={upIsGood}
                comparisonLabel={comparisonLabel}
                missingReason={
                  kpi.previousUnavailable
                    ? describeCoverage(kpi.previousUnavailable, "its", locale)
                    : kpi.previousReason
                }
                locale={locale}
              />
            </>
          ) : null}
        </>
      )}
    </Card>
  );
}

/** Arrow and colour: green when the metric moved the good way. */
function pickChangeStyle(absolute: number, upIsGood: boolean) {
  if (absolute === 0) return { arrow: "■", tone: "text-muted" };
  const good = absolute > 0 === upIsGood;
  return {
    arrow: absolute > 0 ? "▲" : "▼",
    tone: good ? "text-positive" : "text-negative",
  };
}

function ChangeLine({
  change,
  upIsGood,
  comparisonLabel,
  missingReason,
  locale,
}: {
  change: Change | null;
  upIsGood: boolean;
  comparisonLabel: string;
  /** The reason the comparison period has no value, shown in place of a change. */
  missingReason: string | null;
  locale: string;
}) {
  if (missingReason !== null) {
    return (
      <p className="text-xs text-muted" data-testid="kpi-change">
        <span className="sr-only">No change to show: </span>
        {missingReason}
      </p>
    );
  }
  if (change === null) {
    return (
      <p className="text-sm text-muted" data-testid="kpi-change">
        <span aria-hidden="true">{NO_VALUE}</span>
        <span className="sr-only">
          No change to show: the earlier value is zero or missing
        </span>
      </p>
    );
  }

  const { arrow, tone } = pickChangeStyle(change.absolute, upIsGood);

  return (
    <p
      className={`text-sm font-medium tabular-nums ${tone}`}
      data-testid="kpi-change"
    >
      <span aria-hidden="true">{arrow} </span>
      {formatSignedNumber(change.absolute, locale)} (
      {formatPercentChange(change.ratio, locale)})
      <span className="sr-only">
        {" "}
        compared with {comparisonLabel.toLowerCase()}
      </span>
    </p>
  );
}
