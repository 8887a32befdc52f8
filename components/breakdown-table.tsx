import {
  describeCoverage,
  formatNumber,
  NO_DATA,
  NO_VALUE,
} from "@/lib/format";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type {
  ConnectionBreakdown,
  ConnectionSummary,
  RangeCoverage,
} from "@/lib/metrics/types";

/** Totals of the range per connection, one column per daily metric. */
export function BreakdownTable({
  breakdown,
  connections,
  metrics,
  locale,
}: {
  breakdown: ConnectionBreakdown[];
  connections: ConnectionSummary[];
  metrics: MetricName[];
  locale: string;
}) {
  return (
    <div
      role="region"
      aria-labelledby="breakdown-heading"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg border border-border"
    >
      <table className="w-full text-left text-sm tabular-nums">
        <thead className="bg-surface-muted text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Connection
            </th>
            {metrics.map((metric) => (
              <th
                key={metric}
                scope="col"
                className="px-3 py-2 text-right font-medium"
              >
                {METRICS[metric].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {breakdown.map((row) => {
            const connection = connections.find(
              (item) => item.id === row.connectionId,
            );
            const rowCoverage = sharedCoverage(row, metrics);
            return (
              <tr key={row.connectionId} className="border-t border-border">
                <th scope="row" className="px-3 py-1.5 font-normal">
                  {connection?.name}
                  <span className="block text-xs text-muted">
                    {connection?.kind === "organization"
                      ? "Company page"
                      : "Member"}
                    {connection?.source === "import" ? ", imported" : ", API"}
                  </span>
                  {rowCoverage ? (
                    <span className="block text-xs text-muted">
                      {describeCoverage(rowCoverage, "the", locale)}
                    </span>
                  ) : null}
                </th>
                {metrics.map((metric) => {
                  const value = row.values[metric];
                  const coverage = row.coverage[metric];
                  return (
                    <td
                      key={metric}
                      className="px-3 py-1.5 text-right"
                      data-testid={`breakdown-${row.connectionId}-${metric}`}
                    >
                      {value === null || value === undefined ? (
                        <span title="Not available for this connection">
                          {NO_VALUE}
                          <span className="sr-only"> not available</span>
                        </span>
                      ) : coverage?.storedDays === 0 ? (
                        <span className="text-muted">{NO_DATA}</span>
                      ) : (
                        <>
                          {formatNumber(value, locale)}
                          {coverage && !rowCoverage ? (
                            <span className="block text-xs text-muted">
                              {describeCoverage(coverage, "the", locale)}
                            </span>
                          ) : null}
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Returns the row's coverage when every shown metric the connection can
 * have is partly stored in the same way, so the row names it once instead
 * of in each cell.
 */
function sharedCoverage(
  row: ConnectionBreakdown,
  metrics: MetricName[],
): RangeCoverage | null {
  const available = metrics.filter((metric) => row.values[metric] != null);
  if (available.length === 0) return null;
  const first = row.coverage[available[0]!];
  if (!first || first.storedDays === 0) return null;
  const same = available.every((metric) => {
    const coverage = row.coverage[metric];
    return (
      coverage !== undefined &&
      coverage.storedDays === first.storedDays &&
      coverage.storedFrom === first.storedFrom
    );
  });
  return same ? first : null;
}
