import type { Metadata } from "next";
import { formatUtcTime } from "@/lib/format";
import Link from "next/link";
import { redirect } from "next/navigation";
import { authorize, roleAllows } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { listConnections, type ConnectionView } from "@/lib/connections/list";
import { db } from "@/lib/db/client";
import { analyticsConsentState } from "@/lib/privacy/consent";
import { ConsentBanner } from "@/components/consent-banner";
import { ANALYTICS_SCOPES, SCOPES } from "@/lib/linkedin/scopes";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { AutoRefresh } from "./auto-refresh";
import { ImportForm } from "./import-form";
import { RemoveConnection } from "./remove-connection";

export const metadata: Metadata = { title: "Connections" };
export const dynamic = "force-dynamic";

const CONNECT_ERRORS: Record<string, string> = {
  user_cancelled_authorize:
    "You cancelled on LinkedIn, so nothing was connected.",
  user_cancelled_login:
    "You cancelled the LinkedIn sign-in, so nothing was connected.",
  unauthorized_scope_error:
    "This Inview app is not approved by LinkedIn for the analytics scopes. Ask the administrator to enable the Community Management API.",
  invalid_state:
    "The connection attempt expired or did not start here. Start again.",
  missing_code: "LinkedIn did not return an authorization code. Start again.",
  missing_id_token: "LinkedIn did not confirm your identity. Start again.",
  different_account:
    "You authorized a different LinkedIn account than the one you signed in with. Start again and pick the same member.",
  not_found: "The workspace was not found.",
  forbidden: "Your role in this workspace cannot connect LinkedIn accounts.",
  connect_failed: "Connecting failed on our side. Try again.",
};

const STATUS_TONES: Record<ConnectionView["status"], BadgeTone> = {
  active: "positive",
  needs_reauth: "warning",
  missing_permission: "warning",
  revoked: "negative",
  paused: "neutral",
};

const STATUS_LABELS: Record<ConnectionView["status"], string> = {
  active: "Active",
  needs_reauth: "Needs reconnecting",
  missing_permission: "Missing permission",
  revoked: "Access revoked",
  paused: "Paused",
};

function formatTime(date: Date | null): string {
  return date ? formatUtcTime(date) : "never";
}

function UnavailableMetrics({ connection }: { connection: ConnectionView }) {
  if (connection.unavailable.length === 0) return null;
  const scopes = [
    ...new Set(
      connection.unavailable.flatMap((entry) =>
        entry.missingScope ? [entry.missingScope] : [],
      ),
    ),
  ];
  return (
    <div className="space-y-2 rounded-md bg-warning-surface p-3 text-sm">
      <h3 className="font-medium">Metrics LinkedIn did not allow</h3>
      <ul className="list-disc space-y-1 pl-5" data-testid="unavailable">
        {connection.unavailable.map((entry) => (
          <li key={entry.metric}>{entry.reason}</li>
        ))}
      </ul>
      {scopes.map((scope) => (
        <Link
          key={scope}
          href={`/connections/connect?scope=${encodeURIComponent(scope)}`}
          className={buttonClassName("secondary")}
        >
          Re-authorize for {scope}
        </Link>
      ))}
    </div>
  );
}

/**
 * Reports whether a sync is running or about to start. A sync deferred to the
 * next quota reset stays queued for hours, so it does not count.
 */
function syncInProgress(connections: ConnectionView[]): boolean {
  const now = Date.now();
  return connections.some(
    (connection) =>
      connection.syncState === "running" ||
      (connection.syncState === "queued" &&
        (!connection.nextSyncAt || connection.nextSyncAt.getTime() <= now)),
  );
}

function daysLeft(expiresAt: Date | null): number | null {
  if (!expiresAt) return null;
  return Math.max(
    0,
    Math.floor((expiresAt.getTime() - Date.now()) / 86_400_000),
  );
}

function SyncProgress({ connection }: { connection: ConnectionView }) {
  if (connection.syncState === "queued")
    return <p className="text-sm text-muted">Sync queued…</p>;
  if (connection.syncState !== "running") return null;
  return (
    <div className="space-y-1">
      <p className="text-sm">Syncing… {connection.syncProgress}%</p>
      <div
        role="progressbar"
        aria-label={`Sync progress of ${connection.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={connection.syncProgress}
        className="h-2 w-full overflow-hidden rounded bg-surface-muted"
      >
        <div
          className="h-full bg-accent"
          style={{ width: `${connection.syncProgress}%` }}
        />
      </div>
    </div>
  );
}

function ImportedFiles({
  connection,
  linkedName,
}: {
  connection: ConnectionView;
  linkedName: string | null;
}) {
  return (
    <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="text-muted">Source</dt>
      <dd>
        LinkedIn export files uploaded here; not synced from the API, so new
        days arrive only with a new upload.
      </dd>
      <dt className="text-muted">Same member or page as</dt>
      <dd data-testid="import-link">
        {linkedName ? (
          <>{linkedName}, whose API values count on days both have.</>
        ) : (
          <>
            No API connection. To link one, import a file of this member or page
            again with the connection chosen below.
          </>
        )}
      </dd>
      <dt className="text-muted">Files</dt>
      <dd>
        <ul className="space-y-0.5" data-testid="imported-files">
          {connection.files.map((file) => (
            <li key={`${file.fileName}-${file.importedAt.toISOString()}`}>
              <span className="break-all">{file.fileName}</span>
              <span className="text-muted">
                {file.firstDay && file.lastDay
                  ? `, ${file.firstDay} to ${file.lastDay}`
                  : ""}
                , imported {formatTime(file.importedAt)}
              </span>
            </li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}

function ConnectionCard({
  connection,
  workspaceId,
  canRemove,
  alsoRemoved,
  linkedName,
}: {
  connection: ConnectionView;
  workspaceId: string;
  canRemove: boolean;
  alsoRemoved: string[];
  /** For an import connection, the name of its linked API connection. */
  linkedName: string | null;
}) {
  const left = daysLeft(connection.tokenExpiresAt);
  const imported = connection.source === "import";
  return (
    <li>
      <Card
        className="space-y-3 p-4"
        aria-label={connection.name}
        data-testid="connection"
        data-kind={connection.kind}
      >
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="font-medium">{connection.name}</h2>
          <span className="text-xs text-muted">
            {connection.kind === "person" ? "Member profile" : "Company page"}
          </span>
          {imported ? (
            <Badge tone="neutral">Imported from files</Badge>
          ) : (
            <Badge tone={STATUS_TONES[connection.status]}>
              {STATUS_LABELS[connection.status]}
            </Badge>
          )}
          {connection.syncState === "failed" ? (
            <Badge tone="negative">Last sync failed</Badge>
          ) : null}
        </div>
        <SyncProgress connection={connection} />
        {connection.statusReason ? (
          <p className="text-sm" data-testid="status-reason">
            {connection.statusReason}
          </p>
        ) : null}
        {connection.syncState === "queued" && connection.nextSyncAt ? (
          <p className="text-sm text-muted">
            Next try at {formatTime(connection.nextSyncAt)}.
          </p>
        ) : null}
        <UnavailableMetrics connection={connection} />
        {imported ? (
          <ImportedFiles connection={connection} linkedName={linkedName} />
        ) : null}
        <dl
          hidden={imported}
          className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]"
        >
          <dt className="text-muted">LinkedIn URN</dt>
          <dd className="break-all" data-testid="connection-urn">
            {connection.urn}
          </dd>
          <dt className="text-muted">Last sync</dt>
          <dd data-testid="last-synced">
            {formatTime(connection.lastSyncedAt)}
          </dd>
          <dt className="text-muted">Granted scopes</dt>
          <dd>
            {connection.scopes.length ? connection.scopes.join(", ") : "none"}
          </dd>
          {left !== null ? (
            <>
              <dt className="text-muted">Access expires</dt>
              <dd
                className={left <= 14 ? "font-medium text-warning" : undefined}
              >
                in {left} days
                {left <= 3
                  ? ": reconnect now to avoid a gap"
                  : left <= 14
                    ? ": reconnect soon"
                    : ""}
              </dd>
            </>
          ) : null}
        </dl>
        {connection.source === "import" && connection.apiConnectionId ? (
          <Link
            href={`/connections/${connection.id}/reconcile`}
            className={buttonClassName("secondary")}
          >
            Compare with API data
          </Link>
        ) : null}
        <div className="flex flex-wrap items-start gap-2">
          {!imported &&
          (connection.status === "needs_reauth" ||
            connection.status === "revoked") ? (
            <Link
              href="/connections/connect"
              className={buttonClassName("primary")}
            >
              Reconnect
            </Link>
          ) : null}
          {canRemove ? (
            <RemoveConnection
              workspaceId={workspaceId}
              connectionId={connection.id}
              name={connection.name}
              source={connection.source}
              alsoRemoved={alsoRemoved}
            />
          ) : null}
        </div>
      </Card>
    </li>
  );
}

type Props = {
  searchParams: Promise<{
    connected?: string;
    error?: string;
    removed?: string;
    rows?: string;
    unrevoked?: string;
  }>;
};

/** Names of the other connections that share the connection's LinkedIn authorization. */
function sharingAuthorization(
  connection: ConnectionView,
  connections: ConnectionView[],
): string[] {
  if (connection.source === "import" || !connection.grantId) return [];
  return connections
    .filter(
      (other) =>
        other.id !== connection.id && other.grantId === connection.grantId,
    )
    .map((other) => other.name);
}

export default async function ConnectionsPage({ searchParams }: Props) {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "connections.view",
  );
  const connections = await listConnections(db(), context);
  const consent = await analyticsConsentState(db(), user.id);
  const { connected, error, removed, rows, unrevoked } = await searchParams;
  const canConnect = roleAllows(context.role, "connections.connect");
  const canManage = roleAllows(context.role, "connections.manage");
  const syncing = syncInProgress(connections);

  return (
    <div className="space-y-6">
      <AutoRefresh active={syncing} />
      <ConsentBanner state={consent.state} />
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-2xl font-semibold">Connections</h1>
        {canConnect ? (
          <Link
            href="/connections/connect"
            className={buttonClassName("primary", "ml-auto")}
          >
            {connections.length
              ? "Connect again"
              : "Connect LinkedIn analytics"}
          </Link>
        ) : null}
      </div>
      {connected ? (
        <p role="status" className="rounded-md bg-surface-muted p-3 text-sm">
          {syncing
            ? "LinkedIn analytics connected. The first sync fetches the last 365 days and shows its progress below."
            : "LinkedIn analytics connected. Each connection below shows when it last synced."}
        </p>
      ) : null}
      {removed ? (
        <p role="status" className="rounded-md bg-surface-muted p-3 text-sm">
          Removed {removed.slice(0, 300)}
          {rows && /^\d+$/.test(rows)
            ? ` with ${Number(rows).toLocaleString("en-US")} stored daily values`
            : ""}
          .
          {unrevoked
            ? " LinkedIn did not confirm revoking the access token; remove Inview under Permitted services in your LinkedIn settings."
            : ""}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
          {CONNECT_ERRORS[error] ?? `Connecting failed (${error}). Try again.`}
        </p>
      ) : null}
      {connections.length === 0 ? (
        <EmptyState title="No LinkedIn connection yet">
          Connect your LinkedIn account to sync your post analytics, followers
          and the company pages you administer.
        </EmptyState>
      ) : (
        <ul className="space-y-4">
          {connections.map((connection) => (
            <ConnectionCard
              key={connection.id}
              connection={connection}
              workspaceId={context.workspaceId}
              canRemove={
                canConnect &&
                (canManage || connection.userId === context.userId)
              }
              alsoRemoved={sharingAuthorization(connection, connections)}
              linkedName={
                connections.find(
                  (other) => other.id === connection.apiConnectionId,
                )?.name ?? null
              }
            />
          ))}
        </ul>
      )}
      {canConnect ? (
        <Card className="space-y-3 p-4">
          <h2 id="import-heading" className="font-medium">
            Import LinkedIn&apos;s export files
          </h2>
          <p className="text-sm text-muted">
            Without API access, download your content analytics from LinkedIn
            (or a company page&apos;s content, followers or visitors export) and
            upload it here. Importing the same file again changes nothing.
          </p>
          <ImportForm
            workspaceId={context.workspaceId}
            apiConnections={connections
              .filter((connection) => connection.source === "api")
              .map(({ id, name, kind }) => ({ id, name, kind }))}
          />
        </Card>
      ) : null}
      <section
        aria-labelledby="scopes-heading"
        className="space-y-1 text-xs text-muted"
      >
        <h2 id="scopes-heading" className="font-medium">
          What each LinkedIn scope enables
        </h2>
        <ul>
          {ANALYTICS_SCOPES.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>: {SCOPES[scope].description}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
