"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { removeConnection } from "./actions";

/**
 * Renders a Remove button that first lists what goes with the connection,
 * then removes it and reports what was deleted.
 */
export function RemoveConnection({
  workspaceId,
  connectionId,
  name,
  source,
  alsoRemoved,
}: {
  workspaceId: string;
  connectionId: string;
  name: string;
  source: "api" | "import";
  /** Other profiles and pages connected by the same LinkedIn authorization. */
  alsoRemoved: string[];
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function remove() {
    setError(null);
    startTransition(async () => {
      const result = await removeConnection({ workspaceId, connectionId });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      const { removed, metricRowsRemoved, tokensNotRevoked } = result.data;
      const params = new URLSearchParams({
        removed: removed.join(", "),
        rows: String(metricRowsRemoved),
      });
      if (tokensNotRevoked > 0) params.set("unrevoked", "1");
      router.push(`/connections?${params.toString()}`);
      router.refresh();
    });
  }

  if (!confirming)
    return (
      <Button variant="secondary" onClick={() => setConfirming(true)}>
        Remove
      </Button>
    );
  return (
    <div
      role="group"
      aria-label={`Confirm removing ${name}`}
      className="space-y-2 rounded-md bg-surface-muted p-3 text-sm"
    >
      {source === "import" ? (
        <p>
          Removing {name} deletes the numbers and posts imported from its files.
          Your other connections keep theirs.
        </p>
      ) : (
        <p>
          Removing {name} disconnects the LinkedIn authorization it uses: Inview
          revokes the access token at LinkedIn, stops syncing and deletes every
          metric stored for{" "}
          {alsoRemoved.length
            ? `it and for ${alsoRemoved.join(", ")}, connected by the same authorization`
            : "it"}
          . Connect again at any time to start a new sync.
        </p>
      )}
      {error ? (
        <p role="alert" className="text-negative">
          {error}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button disabled={pending} onClick={remove}>
          {pending ? "Removing…" : "Confirm removal"}
        </Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => setConfirming(false)}
        >
          Cancel
        </Button>
      </div>
    </div>
  );
}
