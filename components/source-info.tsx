import type { KpiValue, MetricSource } from "@/lib/metrics/types";

function formatFetchedAt(iso: string | null): string {
  if (!iso) return "nothing stored in this range";
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

function describeOrigin(source: MetricSource): string {
  if (source.origin.kind === "api") {
    return `LinkedIn API ${source.origin.endpoint}, version ${source.origin.version}`;
  }
  const names = source.origin.fileNames;
  return names.length
    ? `Imported file ${names.join(", ")}`
    : "Imported export file";
}

/** Draws a circled "i" as SVG, so it renders whatever fonts are installed. */
function InfoIcon() {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      className="size-3.5"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
    >
      <circle cx="8" cy="8" r="6.75" />
      <path d="M8 7.25v4" strokeLinecap="round" />
      <circle cx="8" cy="4.75" r="0.9" fill="currentColor" stroke="none" />
    </svg>
  );
}

/**
 * Shows what a number means and where it came from, in a native disclosure
 * that opens with a click, a tap or Enter.
 */
export function SourceInfo({
  label,
  description,
  kpi,
}: {
  label: string;
  description: string;
  kpi: KpiValue;
}) {
  return (
    <details data-testid={`source-${kpi.metric}`}>
      <summary
        title={description}
        className="flex size-6 cursor-pointer list-none items-center justify-center rounded-full text-xs text-muted hover:bg-surface-muted [&::-webkit-details-marker]:hidden"
      >
        <InfoIcon />
        <span className="sr-only">About {label} and its source</span>
      </summary>
      {/* Placed against the card, not the icon, so it fits narrow cards. */}
      <div className="absolute inset-x-3 top-11 z-10 flex flex-col gap-2 rounded-md border border-border bg-surface p-2 text-xs shadow-md">
        <p>{description}.</p>
        {kpi.sources.length ? (
          <ul className="flex flex-col gap-1">
            {kpi.sources.map((source) => (
              <li key={source.connectionId}>
                <span className="font-medium">{source.connectionName}</span>:{" "}
                {describeOrigin(source)}; fetched{" "}
                {formatFetchedAt(source.fetchedAt)}.
              </li>
            ))}
          </ul>
        ) : null}
        <p className="text-muted">
          {kpi.value === null
            ? `Not available: ${kpi.unavailableReason ?? ""}`
            : "From the first stored day on, a day with no value counts as zero: LinkedIn leaves out days without activity, and export files list every day. Days before it have no data."}
        </p>
      </div>
    </details>
  );
}
