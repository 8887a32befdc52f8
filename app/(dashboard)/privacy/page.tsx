import type { Metadata } from "next";
import { formatUtcTime } from "@/lib/format";
import { desc, eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { authorize, roleAllows } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { consents, linkedinGrants, purgeRuns } from "@/lib/db/schema";
import { SCOPES, type ScopeName } from "@/lib/linkedin/scopes";
import {
  ANALYTICS_CONSENT,
  analyticsConsentState,
} from "@/lib/privacy/consent";
import { PERSONAL_DATA } from "@/lib/privacy/registry";
import { SOLE_OWNER_RULE } from "@/lib/privacy/workspaces";
import { Card } from "@/components/ui/card";
import { ConsentBanner } from "@/components/consent-banner";
import { describeRemoved } from "@/lib/privacy/labels";
import { PrivacyClient } from "./privacy-client";

export const metadata: Metadata = { title: "Privacy" };
export const dynamic = "force-dynamic";

function formatTime(date: Date | null): string {
  return date ? formatUtcTime(date) : "";
}

function isScope(name: string): name is ScopeName {
  return name in SCOPES;
}

export default async function PrivacyPage() {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "dashboard.view",
  );

  const { state } = await analyticsConsentState(db(), user.id);
  const history = await db()
    .select({
      id: consents.id,
      version: consents.version,
      textSha256: consents.textSha256,
      scopes: consents.scopes,
      grantedAt: consents.grantedAt,
      withdrawnAt: consents.withdrawnAt,
    })
    .from(consents)
    .where(eq(consents.userId, user.id))
    .orderBy(desc(consents.grantedAt));
  const grants = await db()
    .select({ scopes: linkedinGrants.scopes })
    .from(linkedinGrants)
    .where(eq(linkedinGrants.userId, user.id));
  const granted = [...new Set(grants.flatMap((grant) => grant.scopes))];
  const isAdmin = roleAllows(context.role, "audit.view");
  const runs = isAdmin
    ? await db()
        .select({
          id: purgeRuns.id,
          startedAt: purgeRuns.startedAt,
          status: purgeRuns.status,
          removed: purgeRuns.removed,
        })
        .from(purgeRuns)
        .orderBy(desc(purgeRuns.startedAt))
        .limit(10)
    : [];

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Privacy</h1>
      <ConsentBanner state={state} />

      <Card className="space-y-3 p-4" aria-labelledby="consent">
        <h2 id="consent" className="text-lg font-medium">
          Consent to collect LinkedIn analytics
        </h2>
        <p className="text-sm" data-testid="consent-state">
          {state === "current"
            ? `Given for the current text (version ${ANALYTICS_CONSENT.version}).`
            : state === "outdated"
              ? `Given for an earlier text. The current version is ${ANALYTICS_CONSENT.version}.`
              : "Not given. Nothing is collected from LinkedIn for analytics."}
        </p>
        {history.length ? (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Consent history</caption>
            <thead className="text-muted">
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Given</th>
                <th scope="col">Withdrawn</th>
                <th scope="col">Text SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {history.map((row) => (
                <tr key={row.id}>
                  <td>{row.version}</td>
                  <td>{formatTime(row.grantedAt)}</td>
                  <td>{formatTime(row.withdrawnAt)}</td>
                  <td className="font-mono text-xs">
                    {row.textSha256.slice(0, 16)}…
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <h3 className="font-medium">Scopes LinkedIn granted</h3>
        {granted.length ? (
          <ul className="text-sm">
            {granted.map((scope) => (
              <li key={scope}>
                <code>{scope}</code>
                {isScope(scope)
                  ? `: ${SCOPES[scope].description} (enables ${SCOPES[scope].features.join(", ")})`
                  : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-muted">No analytics scopes granted.</p>
        )}
      </Card>

      <Card className="space-y-3 p-4" aria-labelledby="stored">
        <h2 id="stored" className="text-lg font-medium">
          What Inview stores about you
        </h2>
        <table className="w-full text-left text-sm">
          <thead className="text-muted">
            <tr>
              <th scope="col">Data</th>
              <th scope="col">Kept</th>
              <th scope="col">File in the download</th>
            </tr>
          </thead>
          <tbody>
            {PERSONAL_DATA.map((entry) => (
              <tr key={entry.file} className="align-top">
                <td className="py-1 pr-4">{entry.description}</td>
                <td className="py-1 pr-4">{entry.retention}</td>
                <td className="py-1 font-mono text-xs">{entry.file}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <PrivacyClient
        workspaceId={workspace.id}
        consentVersion={ANALYTICS_CONSENT.version}
        consentText={ANALYTICS_CONSENT.text}
        consentState={state}
        soleOwnerRule={SOLE_OWNER_RULE}
      />

      {isAdmin ? (
        <Card className="space-y-2 p-4" aria-labelledby="purge-runs">
          <h2 id="purge-runs" className="text-lg font-medium">
            Retention purge runs
          </h2>
          {runs.length ? (
            <ul className="text-sm" data-testid="purge-runs">
              {runs.map((run) => (
                <li key={run.id}>
                  {formatTime(run.startedAt)}: {run.status},{" "}
                  {describeRemoved(run.removed)
                    .map((row) => row.text)
                    .join(", ") || "nothing removed"}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-muted">
              No purge has run yet. It runs daily at 04:00 UTC.
            </p>
          )}
        </Card>
      ) : null}
    </div>
  );
}
