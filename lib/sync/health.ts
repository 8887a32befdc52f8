import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  connectionHealth,
  linkedinConnections,
  linkedinGrants,
} from "../db/schema";
import {
  APP_BUDGET_KEY,
  budgetUsage,
  nextUtcMidnight,
  type BudgetLimits,
} from "../linkedin/budget";

export type BudgetView = {
  label: string;
  used: number;
  limit: number;
};

export type JobView = {
  id: string;
  connectionId: string;
  state: string;
  mode: string;
  retryCount: number;
  startAfter: Date;
  output: string | null;
};

export type ConnectionErrorView = {
  id: string;
  name: string;
  /** `import` for a connection fed by uploaded files, which never syncs. */
  source: "api" | "import";
  status: string;
  syncState: string;
  lastError: string | null;
  lastErrorPath: string | null;
  lastErrorAt: Date | null;
};

export type ApiHealth = {
  budgets: BudgetView[];
  resetsAt: Date;
  queued: JobView[];
  failed: JobView[];
  connections: ConnectionErrorView[];
};

type Rows = { rows: Record<string, unknown>[] };

const jobRowSchema = z.object({
  id: z.string(),
  state: z.string(),
  data: z
    .object({ connectionId: z.string(), mode: z.string() })
    .partial()
    .nullish(),
  retry_count: z.coerce.number(),
  start_after: z.coerce.date(),
  // pg-boss stores a failed job's error as { message, stack, ... }.
  output: z.object({ message: z.string().optional() }).nullish(),
});

function parseJobRow(row: Record<string, unknown>): JobView {
  const job = jobRowSchema.parse(row);
  return {
    id: job.id,
    connectionId: job.data?.connectionId ?? "",
    state: job.state,
    mode: job.data?.mode ?? "",
    retryCount: job.retry_count,
    startAfter: job.start_after,
    output: job.output?.message ?? null,
  };
}

/**
 * Reads the workspace's sync jobs from pg-boss's tables. Returns none when
 * pg-boss has not created its schema yet (no worker ever started).
 */
async function workspaceJobs(
  database: Database,
  connectionIds: string[],
): Promise<JobView[]> {
  if (connectionIds.length === 0) return [];
  const exists = (await database.execute(
    sql`select to_regclass('pgboss.job') is not null as present`,
  )) as Rows;
  if (exists.rows[0]?.present !== true) return [];
  const ids = sql.join(
    connectionIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = (await database.execute(sql`
    select id, state, data, retry_count, start_after, output
    from pgboss.job
    where name = 'linkedin-sync'
      and data->>'connectionId' in (${ids})
      and state in ('created', 'retry', 'active', 'failed')
    order by created_on desc
    limit 100`)) as Rows;
  return result.rows.map(parseJobRow);
}

/** Loads what the API health page shows for the workspace. */
export async function loadApiHealth(
  database: Database,
  context: WorkspaceContext,
  input: { limits: BudgetLimits; now: Date },
): Promise<ApiHealth> {
  const connections = await database
    .select({
      id: linkedinConnections.id,
      name: linkedinConnections.name,
      urn: linkedinConnections.urn,
      source: linkedinConnections.source,
      status: linkedinConnections.status,
      syncState: linkedinConnections.syncState,
      statusReason: linkedinConnections.statusReason,
      memberUrn: linkedinGrants.memberUrn,
      lastError: connectionHealth.lastError,
      lastErrorPath: connectionHealth.lastErrorPath,
      lastErrorAt: connectionHealth.lastErrorAt,
    })
    .from(linkedinConnections)
    .leftJoin(
      linkedinGrants,
      eq(linkedinGrants.id, linkedinConnections.grantId),
    )
    .leftJoin(
      connectionHealth,
      eq(connectionHealth.connectionId, linkedinConnections.id),
    )
    .where(eq(linkedinConnections.workspaceId, context.workspaceId))
    .orderBy(asc(linkedinConnections.createdAt));

  const members = [
    ...new Set(
      connections.flatMap((row) => (row.memberUrn ? [row.memberUrn] : [])),
    ),
  ];
  const usage = await budgetUsage(
    database,
    [APP_BUDGET_KEY, ...members],
    input.now,
  );
  // A member's budget is named after the member's own profile connection,
  // not after the pages the member's token also syncs.
  const names = new Map(
    connections
      .filter((row) => row.urn === row.memberUrn)
      .map((row) => [row.urn, row.name] as const),
  );
  const budgets: BudgetView[] = [
    {
      label: "All of Inview (app)",
      used: usage.get(APP_BUDGET_KEY) ?? 0,
      limit: input.limits.appDaily,
    },
    ...members.map((urn) => ({
      label: `Member ${names.get(urn) ?? urn}`,
      used: usage.get(urn) ?? 0,
      limit: input.limits.memberDaily,
    })),
  ];

  const jobs = await workspaceJobs(
    database,
    connections.map((row) => row.id),
  );
  return {
    budgets,
    resetsAt: nextUtcMidnight(input.now),
    queued: jobs.filter((job) => job.state !== "failed"),
    failed: jobs.filter((job) => job.state === "failed"),
    connections: connections.map((row) => ({
      id: row.id,
      name: row.name,
      source: row.source,
      status: row.status,
      syncState: row.syncState,
      lastError:
        row.lastError ?? (row.syncState === "failed" ? row.statusReason : null),
      lastErrorPath: row.lastErrorPath,
      lastErrorAt: row.lastErrorAt,
    })),
  };
}
