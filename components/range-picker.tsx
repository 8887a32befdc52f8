import { classNames } from "@/components/ui/class-names";
import {
  PRESET_RANGE_DAYS,
  type PresetRangeDays,
} from "@/lib/metrics/registry";

/**
 * Renders the preset ranges as a segmented control. Each segment is a
 * toggle button with `aria-pressed`, which works with Tab and Enter and
 * needs none of the arrow-key handling that a radiogroup requires.
 */
export function RangePicker({
  value,
  onChange,
}: {
  value: PresetRangeDays;
  onChange: (days: PresetRangeDays) => void;
}) {
  return (
    <div
      role="group"
      aria-label="Date range"
      className="grid grid-cols-2 gap-1 rounded-lg border border-border bg-surface-muted p-1 sm:inline-grid sm:grid-cols-4"
    >
      {PRESET_RANGE_DAYS.map((days) => {
        const selected = days === value;

        return (
          <button
            key={days}
            type="button"
            aria-pressed={selected}
            onClick={() => onChange(days)}
            className={classNames(
              "rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
              selected
                ? "bg-surface text-foreground shadow-xs"
                : "text-muted hover:text-foreground",
            )}
          >
            Last {days} days
          </button>
        );
      })}
    </div>
  );
}
