"use client";

import { useEffect, useRef } from "react";

import {
  COMPARISON_LABELS,
  COMPARISONS,
  RANGE_LABELS,
  type RangePreset,
  type ViewChange,
} from "@/lib/metrics/view";

/** Keys that pick a range preset. */
export const RANGE_KEYS: Record<string, RangePreset> = {
  "1": "7",
  "2": "28",
  "3": "90",
  "4": "365",
  m: "mtd",
  l: "last_month",
  y: "ytd",
  a: "all",
};

const GRANULARITY_KEYS = { d: "day", w: "week", o: "month" } as const;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName))
  );
}

/**
 * Listens for the dashboard's single-key shortcuts, except while a form
 * control has focus, and shows the list in a dialog on `?`.
 */
export function KeyboardShortcuts({
  onChange,
}: {
  /** Receives each change, to apply to the latest requested view. */
  onChange: (change: ViewChange) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;

      if (event.key === "?") {
        dialog.current?.showModal();
        return;
      }
      const preset = RANGE_KEYS[event.key];
      if (preset) {
        onChange((view) => ({
          ...view,
          range: preset,
          from: undefined,
          to: undefined,
        }));
        return;
      }
      if (event.key === "c") {
        onChange((view) => ({
          ...view,
          comparison:
            COMPARISONS[
              (COMPARISONS.indexOf(view.comparison) + 1) % COMPARISONS.length
            ] ?? view.comparison,
        }));
        return;
      }
      const granularity =
        GRANULARITY_KEYS[event.key as keyof typeof GRANULARITY_KEYS];
      if (granularity) onChange((view) => ({ ...view, granularity }));
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [onChange]);

  return (
    <>
      <button
        type="button"
        onClick={() => dialog.current?.showModal()}
        className="self-start text-xs text-muted underline"
      >
        Keyboard shortcuts (?)
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="shortcuts-heading"
        className="m-auto max-w-sm rounded-lg border border-border bg-surface p-4 text-sm text-foreground backdrop:bg-black/40"
      >
        <h2 id="shortcuts-heading" className="mb-3 text-base font-semibold">
          Keyboard shortcuts
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {Object.entries(RANGE_KEYS).map(([key, preset]) => (
            <Shortcut key={key} keys={key} action={RANGE_LABELS[preset]} />
          ))}
          <Shortcut
            keys="c"
            action={`Next comparison (${COMPARISONS.map((item) => COMPARISON_LABELS[item]).join(", ")})`}
          />
          <Shortcut keys="d / w / o" action="Group by day, week or month" />
          <Shortcut keys="?" action="Show this list" />
        </dl>
        <form method="dialog" className="mt-4">
          <button
            type="submit"
            className="rounded-md border border-border px-3 py-1.5"
          >
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}

function Shortcut({ keys, action }: { keys: string; action: string }) {
  return (
    <>
      <dt>
        <kbd className="rounded border border-border bg-surface-muted px-1.5 font-mono">
          {keys}
        </kbd>
      </dt>
      <dd>{action}</dd>
    </>
  );
}
