import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import {
  currentWorkspace,
  getSessionUser,
  signInRedirectPath,
} from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";
import { METRICS } from "@/lib/metrics/registry";
import {
  loadReconciliation,
  type Reconciliation,
} from "@/lib/metrics/reconcile";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Compare imported and API data" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ all?: string }>;
};

const NUMBER = new Intl.NumberFormat("en-US");

function signed(value: number): string {
  return value > 0 ? `+${NUMBER.format(value)}` : NUMBER.format(value);
}

async function load(
  userId: string,
  workspaceId: string,
  connectionId: string,
): Promise<Reconciliation> {
  const context = await authorize(
    db(),
    userId,
    workspaceId,
    "connections.view",
  );
  try {
    return await loadReconciliation(db(), context, connectionId);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function ReconcilePage({ params, searchParams }: Props) {
  const { id } = await params;
  const user = await getSessionUser();
  if (!user) redirect(await signInRedirectPath());
  const workspace = await currentWorkspace(user.id);
  if (!workspace) redirect("/welcome");
  if (!z.uuid().safeParse(id).success) notFound();

  const data = await load(user.id, workspace.id, id);
  const showAll = (await searchParams).all === "1";
  const differing = data.rows.filter((row) => row.difference !== 0);
  const rows = showAll ? data.rows : differing;

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link href="/connections" className="text-sm underline">
          Back to connections
        </Link>
        <h1 className="text-2xl font-semibold">
          Compare imported and API data
        </h1>
        <p className="text-sm text-muted">
          {data.importConnection.name}
          {data.apiConnection
            ? ` against ${data.apiConnection.name}. For days both have, the dashboard shows the API value.`
            : "."}
        </p>
      </div>

      {data.apiConnection === null ? (
        <EmptyState title="Not linked to an API connection">
          This import is not linked to a LinkedIn API connection, so there is
          nothing to compare. Import the file again and pick the member or page
          connection it belongs to.
        </EmptyState>
      ) : data.rows.length === 0 ? (
        <EmptyState title="No overlapping days">
          The imported files and the API have no day and metric in common yet.
        </EmptyState>
      ) : (
        <>
          <Summary data={data} />
          <Card className="space-y-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h2 className="font-medium" id="differences-heading">
                {showAll
                  ? `All ${data.rows.length} overlapping days and metrics`
                  : `${differing.length} days and metrics that differ`}
              </h2>
              <Link
                href={`/connections/${data.importConnection.id}/reconcile${showAll ? "" : "?all=1"}`}
                className={buttonClassName("secondary")}
              >
                {showAll
                  ? "Show only differences"
                  : "Show all overlapping days"}
              </Link>
            </div>
            {rows.length === 0 ? (
              <p className="text-sm">
                The imported values equal the API values on every overlapping
                day.
              </p>
            ) : (
              <DifferenceTable rows={rows} />
            )}
          </Card>
        </>
      )}
    </div>
  );
}

function Summary({ data }: { data: Reconciliation }) {
  return (
    <Card className="space-y-2">
      <h2 className="font-medium">By metric</h2>
      <table className="w-full text-left text-sm tabular-nums">
        <thead className="text-xs text-muted">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Metric
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Overlapping days
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Days that differ
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              API total
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              Imported total
            </th>
          </tr>
        </thead>
        <tbody>
          {data.summary.map((entry) => (
            <tr key={entry.metric} className="border-t border-border">
              <th scope="row" className="py-1 pr-3 font-normal">
                {METRICS[entry.metric].label}
              </th>
              <td className="py-1 pr-3 text-right">{entry.days}</td>
              <td className="py-1 pr-3 text-right">{entry.differingDays}</td>
              <td className="py-1 pr-3 text-right">
                {NUMBER.format(entry.apiTotal)}
              </td>
              <td className="py-1 pr-3 text-right">
                {NUMBER.format(entry.importedTotal)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function DifferenceTable({ rows }: { rows: Reconciliation["rows"] }) {
  return (
    <div
      role="region"
      aria-labelledby="differences-heading"
      tabIndex={0}
      className="max-h-[32rem] overflow-auto rounded-md border border-border"
    >
      <table
        className="w-full text-left text-sm tabular-nums"
        data-testid="reconcile-table"
      >
        <thead className="sticky top-0 bg-surface-muted text-xs text-muted">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Day (UTC)
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Metric
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              API value
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Imported value
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Difference
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={`${row.day}-${row.metric}`}
              className="border-t border-border"
            >
              <th scope="row" className="px-3 py-1.5 font-normal">
                {row.day}
              </th>
              <td className="px-3 py-1.5">{METRICS[row.metric].label}</td>
              <td className="px-3 py-1.5 text-right">
                {NUMBER.format(row.apiValue)}
              </td>
              <td className="px-3 py-1.5 text-right">
                {NUMBER.format(row.importedValue)}
              </td>
              <td
                className={
                  row.difference === 0
                    ? "px-3 py-1.5 text-right text-muted"
                    : "px-3 py-1.5 text-right font-medium"
                }
              >
                {signed(row.difference)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
