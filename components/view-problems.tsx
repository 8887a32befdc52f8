"use client";

import { useSearchParams } from "next/navigation";

/**
 * Shows what the dashboard could not use from the link it was opened with,
 * until the person changes the view and the URL no longer matches it.
 */
export function ViewProblems({
  problems,
  search,
}: {
  problems: string[];
  /** The query string the server read the problems from. */
  search: string;
}) {
  const current = useSearchParams();
  if (problems.length === 0 || current.toString() !== search) return null;
  return (
    <div
      role="status"
      data-testid="view-problems"
      className="rounded-md bg-warning-surface p-3 text-sm"
    >
      {problems.map((problem) => (
        <p key={problem}>{problem}</p>
      ))}
    </div>
  );
}
