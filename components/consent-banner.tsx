import Link from "next/link";
import type { ConsentState } from "@/lib/privacy/consent";

/** Asks the person to accept the consent text again when it changed since they accepted it. */
export function ConsentBanner({ state }: { state: ConsentState }) {
  if (state !== "outdated") return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-warning bg-surface-muted p-3 text-sm"
    >
      The consent text for collecting your LinkedIn analytics has changed.
      Syncing is paused until you{" "}
      <Link href="/privacy#consent" className="font-medium underline">
        review and accept it again
      </Link>
      .
    </div>
  );
}
