import type { ComponentProps } from "react";

import { classNames } from "./class-names";

export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section
      className={classNames(
        "rounded-lg border border-border bg-surface p-4 shadow-xs",
        className,
      )}
      {...props}
    />
  );
}

export function CardTitle({ className, ...props }: ComponentProps<"h2">) {
  return (
    <h2
      className={classNames("text-sm font-medium text-muted", className)}
      {...props}
    />
  );
}
