import Link from "next/link";
import { DEFAULT_LOCALE } from "@/lib/format";
import { STALE_AFTER_HOURS, type StaleData } from "@/lib/metrics/freshness";

const SYNC_TIME = new Intl.DateTimeFormat(DEFAULT_LOCALE, {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Tells the person the figures are the stored ones, as of the last successful sync. */
export function StaleDataNotice({ stale }: { stale: StaleData | null }) {
  if (!stale) return null;
  const cause =
    stale.reason === "sync_failed"
      ? "The last sync from LinkedIn failed; Inview retries it automatically."
      : `No sync has finished in the last ${STALE_AFTER_HOURS} hours.`;
  return (
    <div
      role="status"
      data-testid="stale-data-notice"
      className="rounded-md border border-warning bg-warning-surface p-3 text-sm"
    >
      {stale.asOf ? (
        <>
          Data as of{" "}
          <time dateTime={stale.asOf} data-testid="data-as-of">
            {SYNC_TIME.format(new Date(stale.asOf))} UTC
          </time>
          .{" "}
        </>
      ) : (
        "No sync has finished yet, so only imported data is shown. "
      )}
      {cause} See{" "}
      <Link href="/connections" className="font-medium underline">
        Connections
      </Link>{" "}
      for each connection&apos;s state.
    </div>
  );
}
