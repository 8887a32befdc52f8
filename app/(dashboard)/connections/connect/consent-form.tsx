"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { acceptConsentAndConnect } from "../actions";

export function ConsentForm({
  workspaceId,
  consentVersion,
  scope,
}: {
  workspaceId: string;
  consentVersion: string;
  /** A scope to ask for again on top of those already granted. */
  scope?: string;
}) {
  const [result, formAction, pending] = useActionState(
    acceptConsentAndConnect,
    null,
  );
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="consentVersion" value={consentVersion} />
      {scope ? <input type="hidden" name="scope" value={scope} /> : null}
      <Button type="submit" disabled={pending}>
        {pending ? "Opening LinkedIn…" : "Agree and connect with LinkedIn"}
      </Button>
      {result && !result.ok ? (
        <p role="alert" className="text-sm text-negative">
          {result.error.message}
        </p>
      ) : null}
    </form>
  );
}
