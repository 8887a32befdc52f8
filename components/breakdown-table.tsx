import { formatNumber, NO_VALUE } from "@/lib/format";
import { METRICS, type MetricName } from "@/lib/metrics/registry";
import type {
  ConnectionBreakdown,
  ConnectionSummary,
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
                </th>
                {metrics.map((metric) => {
                  const value = row.values[metric];
                  return (
                    <td key={metric} className="px-3 py-1.5 text-right">
                      {value === null || value === undefined ? (
                        <span title="Not available for this connection">
                          {NO_VALUE}
                          <span className="sr-only"> not available</span>
                        </span>
                      ) : (
                        formatNumber(value, locale)
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
