/** Stroke of the current period's line, shared by the chart and its PNG legend. */
export const CURRENT_STROKE = "var(--color-chart-current)";

/** Stroke of the comparison period's dashed line. */
export const PREVIOUS_STROKE = "var(--color-chart-previous)";
