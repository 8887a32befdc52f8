import type { Metadata } from "next";
import { formatUtcTime } from "@/lib/format";
import { redirect } from "next/navigation";
import { authorize, roleAllows } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { loadApiHealth, type JobView } from "@/lib/sync/health";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "API health" };
export const dynamic = "force-dynamic";

function formatTime(date: Date | null): string {
  return date ? formatUtcTime(date) : "never";
}

function JobTable({ jobs, caption }: { jobs: JobView[]; caption: string }) {
  if (jobs.length === 0) return <p className="text-sm text-muted">None.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-muted">
        <tr>
          <th scope="col">Connection</th>
          <th scope="col">Mode</th>
          <th scope="col">State</th>
          <th scope="col">Retries</th>
          <th scope="col">Starts after</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <tr key={job.id} className="border-t border-border">
            <td className="break-all">{job.connectionId}</td>
            <td>{job.mode}</td>
            <td>{job.state}</td>
            <td>{job.retryCount}</td>
            <td>{formatTime(job.startAfter)}</td>
            <td>{job.output ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function ApiHealthPage() {
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  if (!roleAllows(workspace.role, "connections.manage")) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">API health</h1>
        <p role="alert" className="rounded-md bg-danger-surface p-3 text-sm">
          Your role in this workspace ({workspace.role}) cannot view the API
          health. Ask an owner or admin.
        </p>
      </div>
    );
  }
  const context = await authorize(
    db(),
    user.id,
    workspace.id,
    "connections.manage",
  );
  const health = await loadApiHealth(db(), context, {
    limits: env().budgets,
    now: new Date(),
  });

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">API health</h1>
      <Card aria-labelledby="budgets-heading" className="space-y-3">
        <h2 id="budgets-heading" className="font-medium">
          LinkedIn calls today
        </h2>
        <p className="text-sm text-muted">
          Budgets reset at {formatTime(health.resetsAt)}. A sync that runs out
          waits until then and resumes where it stopped.
        </p>
        <ul className="space-y-2 text-sm">
          {health.budgets.map((budget) => (
            <li key={budget.label} className="space-y-1">
              <p>
                {budget.label}: {budget.used} of {budget.limit} calls used
              </p>
              <div
                role="meter"
                aria-label={`${budget.label} calls used`}
                aria-valuemin={0}
                aria-valuemax={budget.limit}
                aria-valuenow={budget.used}
                className="h-2 w-full overflow-hidden rounded bg-surface-muted"
              >
                <div
                  className="h-full bg-accent"
                  style={{
                    width: `${budget.limit ? Math.min(100, (budget.used / budget.limit) * 100) : 100}%`,
                  }}
                />
              </div>
            </li>
          ))}
        </ul>
      </Card>
      <Card aria-labelledby="queued-heading" className="space-y-3">
        <h2 id="queued-heading" className="font-medium">
          Queued and running syncs
        </h2>
        <JobTable jobs={health.queued} caption="Queued and running syncs" />
      </Card>
      <Card aria-labelledby="failed-heading" className="space-y-3">
        <h2 id="failed-heading" className="font-medium">
          Failed syncs
        </h2>
        <JobTable jobs={health.failed} caption="Failed syncs" />
      </Card>
      <Card aria-labelledby="errors-heading" className="space-y-3">
        <h2 id="errors-heading" className="font-medium">
          Last error per connection
        </h2>
        <ul className="space-y-2 text-sm">
          {health.connections.map((connection) => (
            <li key={connection.id} data-testid="connection-health">
              <span className="font-medium">{connection.name}</span>{" "}
              {connection.source === "import" ? (
                "(imported files): never calls LinkedIn, so it has no sync or API errors."
              ) : (
                <>
                  ({connection.status}, sync {connection.syncState}):{" "}
                </>
              )}
              {connection.source === "import" ? null : connection.lastError ? (
                <>
                  {connection.lastError}
                  {connection.lastErrorPath
                    ? ` Request: ${connection.lastErrorPath}.`
                    : ""}{" "}
                  <span className="text-muted">
                    {formatTime(connection.lastErrorAt)}
                  </span>
                </>
              ) : (
                "no error"
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
