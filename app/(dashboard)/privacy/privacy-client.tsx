"use client";

import { useActionState, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import type { ConsentState } from "@/lib/privacy/consent";
import type { DeletionReceipt } from "@/lib/privacy/erasure";
import { plural } from "@/lib/privacy/labels";
import type { WithdrawalResult } from "@/lib/privacy/withdraw";
import { useShowDeletionReceipt } from "../account-shell";
import { reacceptConsent, withdrawConsent } from "./actions";
import { RemovedList } from "./removed-list";

function Reaccept({
  workspaceId,
  consentVersion,
  consentText,
}: {
  workspaceId: string;
  consentVersion: string;
  consentText: string;
}) {
  const [result, action, pending] = useActionState(reacceptConsent, null);
  return (
    <form action={action} className="space-y-2">
      <div className="space-y-2 text-sm">
        {consentText.split("\n\n").map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </div>
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <input type="hidden" name="consentVersion" value={consentVersion} />
      <Button type="submit" disabled={pending}>
        Accept the new text and resume syncing
      </Button>
      {result?.ok ? (
        <p role="status" className="text-sm">
          Accepted.{" "}
          {plural(
            result.data.resumed,
            "connection resumes",
            "connections resume",
          )}{" "}
          syncing.
        </p>
      ) : result ? (
        <p role="alert" className="text-sm text-negative">
          {result.error.message}
        </p>
      ) : null}
    </form>
  );
}

const IMPORTS_KEPT =
  "Files you imported and their numbers stay; you can remove them on the Connections page.";

function withdrawalSummary(result: WithdrawalResult): string {
  const parts = [
    "Consent withdrawn and syncing stopped.",
    result.jobsCancelled
      ? `${plural(result.jobsCancelled, "queued sync was", "queued syncs were")} cancelled.`
      : null,
    result.tokensRevoked
      ? `${plural(result.tokensRevoked, "LinkedIn authorization was", "LinkedIn authorizations were")} revoked.`
      : null,
    result.tokensNotRevoked
      ? `${plural(result.tokensNotRevoked, "LinkedIn authorization", "LinkedIn authorizations")} could not be revoked: remove Inview in LinkedIn's settings.`
      : null,
  ];
  return parts.filter(Boolean).join(" ");
}

// Stays mounted after a withdrawal, when the page re-renders with no
// consent, so the counts of what was removed remain on screen.
function Withdraw({ given }: { given: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<WithdrawalResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const withdraw = () =>
    startTransition(async () => {
      const outcome = await withdrawConsent();
      if (outcome.ok) setResult(outcome.data);
      else setError(outcome.error.message);
      setConfirming(false);
    });

  if (result)
    return (
      <div role="status" className="space-y-2">
        <p className="text-sm">{withdrawalSummary(result)}</p>
        <p className="text-sm">
          This data collected from LinkedIn was deleted:
        </p>
        <RemovedList label="Data deleted" counts={result.removed} />
        <p className="text-sm">{IMPORTS_KEPT}</p>
      </div>
    );
  if (!given)
    return (
      <p className="text-sm text-muted">
        No consent is in force, so there is nothing to withdraw.
      </p>
    );
  return (
    <div className="space-y-2">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm">
            Syncing stops, your LinkedIn access is revoked and the data
            collected from LinkedIn under this consent is deleted: the daily
            analytics, the members-reached totals, and the connected profiles
            and pages with their records of calls to LinkedIn. This cannot be
            undone. {IMPORTS_KEPT}
          </p>
          <Button type="button" onClick={withdraw} disabled={pending}>
            Confirm withdrawal
          </Button>
          <Button
            type="button"
            variant="secondary"
            onClick={() => setConfirming(false)}
          >
            Cancel
          </Button>
        </div>
      ) : (
        <Button
          type="button"
          variant="secondary"
          onClick={() => setConfirming(true)}
        >
          Withdraw consent
        </Button>
      )}
      {error ? (
        <p role="alert" className="text-sm text-negative">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function DeleteAccount({ soleOwnerRule }: { soleOwnerRule: string }) {
  const showReceipt = useShowDeletionReceipt();
  const [email, setEmail] = useState("");
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  const erase = () =>
    startTransition(async () => {
      setError(null);
      const response = await fetch("/api/me/data", {
        method: "DELETE",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ confirmEmail: email }),
      });
      const body = (await response.json()) as
        DeletionReceipt | { error: { message: string } };
      if ("error" in body) setError(body.error.message);
      else showReceipt(body);
    });

  return (
    <form
      className="space-y-2"
      onSubmit={(event) => {
        event.preventDefault();
        erase();
      }}
    >
      <p className="text-sm">
        Deletes everything Inview holds about you, ends all your sessions and
        revokes your LinkedIn access. {soleOwnerRule} Audit entries that other
        members keep show a pseudonym instead of you.
      </p>
      <label className="block text-sm">
        Type your email address to confirm
        <input
          type="email"
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          className="mt-1 block w-full max-w-sm rounded-md border border-border bg-surface px-2 py-1"
        />
      </label>
      <Button type="submit" disabled={pending || !email}>
        Delete my account
      </Button>
      {error ? (
        <p role="alert" className="text-sm text-negative">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function PrivacyClient(props: {
  workspaceId: string;
  consentVersion: string;
  consentText: string;
  consentState: ConsentState;
  soleOwnerRule: string;
}) {
  return (
    <>
      {props.consentState === "outdated" ? (
        <Card
          className="space-y-2 p-4"
          aria-label="Accept the new consent text"
        >
          <h2 className="text-lg font-medium">The consent text changed</h2>
          <Reaccept {...props} />
        </Card>
      ) : null}
      <Card className="space-y-2 p-4" aria-labelledby="download">
        <h2 id="download" className="text-lg font-medium">
          Download your data
        </h2>
        <p className="text-sm">
          A ZIP with one file per kind of data and a manifest of row counts and
          SHA-256 sums. Up to 5 downloads per hour.
        </p>
        <a className="text-sm font-medium underline" href="/api/me/data">
          Download my data
        </a>
      </Card>
      <Card className="space-y-2 p-4" aria-labelledby="withdraw">
        <h2 id="withdraw" className="text-lg font-medium">
          Withdraw consent
        </h2>
        <Withdraw given={props.consentState !== "none"} />
      </Card>
      <Card className="space-y-2 p-4" aria-labelledby="delete">
        <h2 id="delete" className="text-lg font-medium">
          Delete your account
        </h2>
        <DeleteAccount soleOwnerRule={props.soleOwnerRule} />
      </Card>
    </>
  );
}
