import type { ReactNode } from "react";

import { classNames } from "./class-names";

/** Renders a centred message for an empty view, with an optional action. */
export function EmptyState({
  title,
  children,
  action,
  headingLevel = 2,
  className,
}: {
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  headingLevel?: 2 | 3;
  className?: string;
}) {
  const Heading = headingLevel === 2 ? "h2" : "h3";

  return (
    <div
      className={classNames(
        "flex flex-col items-center gap-3 rounded-lg border border-dashed border-border px-4 py-10 text-center",
        className,
      )}
    >
      <Heading className="text-base font-semibold">{title}</Heading>
      {children ? (
        <div className="max-w-prose text-sm text-muted">{children}</div>
      ) : null}
      {action}
    </div>
  );
}
