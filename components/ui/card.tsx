import type { ComponentProps } from "react";

import { classNames } from "./class-names";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section
      className={classNames(
        "border-border bg-surface rounded-lg border p-4 shadow-xs",
        className,
      )}
      {...props}
    />
  );
}

export function CardTitle({ className, ...props }: ComponentProps<"h2">) {
  return (
    <h2
      className={classNames("text-muted text-sm font-medium", className)}
      {...props}
    />
  );
}
