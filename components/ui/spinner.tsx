import { classNames } from "./class-names";

/**
 * Renders a spinning ring, hidden from screen readers unless `label` is set. Put it
 * in a `role="status"` region so the label is announced when it appears.
 */
export function Spinner({
  label,
  className,
}: {
  label?: string;
  className?: string;
} = {}) {
  return (
    <span className={classNames("inline-flex items-center", className)}>
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="size-4 motion-safe:animate-spin"
      >
        <circle
          cx="12"
          cy="12"
          r="9"
          fill="none"
          stroke="currentColor"
          strokeWidth="3"
          className="opacity-25"
        />
        <path
          d="M21 12a9 9 0 0 0-9-9"
          fill="none"
          stroke="currentColor"
          strokeWidth="3"
          strokeLinecap="round"
        />
      </svg>
      {label ? <span className="sr-only">{label}</span> : null}
    </span>
  );
}
