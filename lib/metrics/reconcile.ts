import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  importedSubjects,
  linkedinConnections,
  metricDaily,
} from "../db/schema";
import { NotFoundError } from "../errors";
import { METRIC_NAMES, type MetricName } from "./registry";
import type { IsoDay } from "./types";
import { resolveMetricsScope } from "./visibility";

/** One day and metric that both the API and an imported file have. */
export type ReconcileRow = {
  day: IsoDay;
  metric: MetricName;
  apiValue: number;
  importedValue: number;
  /** Imported value minus API value. */
  difference: number;
};

export type ReconcileSummary = {
  metric: MetricName;
  days: number;
  differingDays: number;
  apiTotal: number;
  importedTotal: number;
};

export type Reconciliation = {
  importConnection: { id: string; name: string };
  /** Null when the import is linked to no API connection. */
  apiConnection: { id: string; name: string } | null;
  /** Every overlapping day and metric, oldest first. */
  rows: ReconcileRow[];
  summary: ReconcileSummary[];
};

type ConnectionRef = { id: string; name: string; userId: string };

async function loadConnectionRef(
  database: Database,
  context: WorkspaceContext,
  id: string,
  source: "api" | "import",
): Promise<ConnectionRef | null> {
  const [row] = await database
    .select({
      id: linkedinConnections.id,
      name: linkedinConnections.name,
      userId: linkedinConnections.userId,
    })
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.id, id),
        eq(linkedinConnections.workspaceId, context.workspaceId),
        eq(linkedinConnections.source, source),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Compares an import connection with the API connection it is linked to,
 * day by day, for the days and metrics both have. The dashboard shows the
 * API value on those days. A connection the caller may not see under the
 * workspace's visibility setting is "not found", like another workspace's.
 */
export async function loadReconciliation(
  database: Database,
  context: WorkspaceContext,
  importConnectionId: string,
): Promise<Reconciliation> {
  const scope = await resolveMetricsScope(database, context);
  const visible = (connection: ConnectionRef | null) =>
    connection !== null &&
    (scope.seesEveryMember || connection.userId === context.userId);

  const imported = await loadConnectionRef(
    database,
    context,
    importConnectionId,
    "import",
  );
  if (!imported || !visible(imported)) throw new NotFoundError("The import");

  const [link] = await database
    .select({ apiConnectionId: importedSubjects.apiConnectionId })
    .from(importedSubjects)
    .where(eq(importedSubjects.connectionId, imported.id))
    .limit(1);
  const api = link?.apiConnectionId
    ? await loadConnectionRef(database, context, link.apiConnectionId, "api")
    : null;
  const importConnection = { id: imported.id, name: imported.name };
  if (!api) {
    return { importConnection, apiConnection: null, rows: [], summary: [] };
  }
  if (!visible(api)) throw new NotFoundError("The import");

  const apiRows = alias(metricDaily, "api_rows");
  const pairs = await database
    .select({
      day: metricDaily.day,
      metric: metricDaily.metric,
      apiValue: apiRows.value,
      importedValue: metricDaily.value,
    })
    .from(metricDaily)
    .innerJoin(
      apiRows,
      and(
        eq(apiRows.connectionId, api.id),
        eq(apiRows.metric, metricDaily.metric),
        eq(apiRows.day, metricDaily.day),
      ),
    )
    .where(
      and(
        eq(metricDaily.workspaceId, context.workspaceId),
        eq(metricDaily.connectionId, imported.id),
      ),
    )
    .orderBy(asc(metricDaily.day), asc(metricDaily.metric));

  const rows: ReconcileRow[] = pairs.flatMap((pair) => {
    const metric = METRIC_NAMES.find((name) => name === pair.metric);
    if (metric === undefined) return [];
    const difference = pair.importedValue - pair.apiValue;
    return [{ ...pair, metric, difference }];
  });
  return {
    importConnection,
    apiConnection: { id: api.id, name: api.name },
    rows,
    summary: summarize(rows),
  };
}

function summarize(rows: ReconcileRow[]): ReconcileSummary[] {
  const byMetric = new Map<MetricName, ReconcileSummary>();
  for (const row of rows) {
    const entry = byMetric.get(row.metric) ?? {
      metric: row.metric,
      days: 0,
      differingDays: 0,
      apiTotal: 0,
      importedTotal: 0,
    };
    entry.days += 1;
    if (row.difference !== 0) entry.differingDays += 1;
    entry.apiTotal += row.apiValue;
    entry.importedTotal += row.importedValue;
    byMetric.set(row.metric, entry);
  }
  return [...byMetric.values()].sort((a, b) =>
    a.metric.localeCompare(b.metric),
  );
}
