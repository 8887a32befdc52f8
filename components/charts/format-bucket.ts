import { formatDay, formatDayRange } from "@/lib/format";
import type { IsoDay } from "@/lib/metrics/types";

/** Formats a bucket as its day, or its first and last day when longer. */
export function formatBucket(
  from: IsoDay,
  to: IsoDay | null,
  locale: string,
): string {
  return to && to !== from
    ? formatDayRange({ from, to }, locale)
    : formatDay(from, locale, "long");
}
