import type { ComponentProps } from "react";

import { classNames } from "./class-names";

export type BadgeTone = "neutral" | "positive" | "warning" | "negative";

const TONE_CLASSES: Record<BadgeTone, string> = {
  neutral: "border-border bg-surface-muted text-muted",
  positive: "border-positive/30 text-positive",
  warning: "border-warning/40 bg-warning-surface text-foreground",
  negative: "border-negative/30 bg-danger-surface text-negative",
};

/**
 * Renders a status pill. The text carries the meaning, and the colour only
 * repeats it.
 */
export function Badge({
  tone = "neutral",
  className,
  ...props
}: ComponentProps<"span"> & { tone?: BadgeTone }) {
  return (
    <span
      className={classNames(
        "inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium",
        TONE_CLASSES[tone],
        className,
      )}
      {...props}
    />
  );
}
