import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { DatabaseHandle } from "@/lib/db/client";
import { addDays } from "@/lib/linkedin/days";
import type { MetricName } from "@/lib/metrics/registry";
import { upsertDailyMetrics, type DailyRow } from "@/lib/sync/upsert";
import { BENCH_SERIES } from "./seed";
import { spreadOf, timeMs, type Spread } from "./stats";

// Rows per second of the sync's upsert path into metric_daily, beside a plain
// COPY of rows of the same shape. pg has no COPY FROM STDIN without
// pg-copy-streams, so the COPY goes through `psql \copy`, whose time
// includes starting psql (a few milliseconds).

/** Connections per run; each gets a backfill's 365 days of eight series. */
const CONNECTIONS_PER_RUN = 40;
const DAYS_PER_CONNECTION = 365;

export type IngestRound = {
  rows: number;
  upsertRowsPerSecond: number;
  copyRowsPerSecond: number;
  ratio: number;
};

export type IngestFigures = {
  rounds: IngestRound[];
  rowsPerRun: number;
  upsertRowsPerSecond: Spread;
  copyRowsPerSecond: Spread;
  ratio: Spread;
};

/** Creates a workspace with `count` page connections and returns their ids. */
async function createConnections(
  client: pg.ClientBase,
  label: string,
  count: number,
): Promise<{ workspaceId: string; connectionIds: string[] }> {
  const workspaceId = randomUUID();
  await client.query("insert into workspaces (id, name) values ($1, $2)", [
    workspaceId,
    `Bench ingest ${label}`,
  ]);
  await client.query(
    `insert into users (id, name) values ($1, $2) on conflict do nothing`,
    ["bench-ingest-user", "Bench ingest user"],
  );
  const connectionIds = Array.from({ length: count }, () => randomUUID());
  await client.query(
    `insert into linkedin_connections (id, workspace_id, user_id, kind, urn, name)
     select id, $1, 'bench-ingest-user', 'organization',
       'urn:li:organization:' || id, 'Bench ingest page'
     from unnest($2::uuid[]) as id`,
    [workspaceId, connectionIds],
  );
  return { workspaceId, connectionIds };
}

function buildRows(
  workspaceId: string,
  connectionIds: string[],
  lastDay: string,
): DailyRow[] {
  const rows: DailyRow[] = [];
  for (const connectionId of connectionIds) {
    for (const metric of BENCH_SERIES) {
      for (let offset = 0; offset < DAYS_PER_CONNECTION; offset++) {
        rows.push({
          workspaceId,
          connectionId,
          // The two page-view series of the bench are not registry names.
          metric: metric as MetricName,
          day: addDays(lastDay, -offset),
          value: (offset * 37 + metric.length) % 500,
          source: "api",
        });
      }
    }
  }
  return rows;
}

function toCsv(rows: DailyRow[]): string {
  return rows
    .map(
      (row) =>
        `${row.workspaceId},${row.connectionId},${row.metric},${row.day},${row.value},${row.source}`,
    )
    .join("\n");
}

/** Loads CSV text into metric_daily through `psql \copy ... from pstdin`. */
function copyWithPsql(url: string, csv: string): Promise<void> {
  const command =
    "\\copy metric_daily (workspace_id, connection_id, metric, day, value, source) from pstdin with (format csv)";
  return new Promise((resolve, reject) => {
    const child = spawn("psql", [url, "-X", "-q", "-v", "ON_ERROR_STOP=1"], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`psql \\copy failed (exit ${code}): ${stderr}`)),
    );
    child.stdin.write(`${command}\n${csv}\n\\.\n`);
    child.stdin.end();
  });
}

export async function measureIngest(
  handle: DatabaseHandle,
  client: pg.ClientBase,
  url: string,
  options: { rounds: number; lastDay: string },
): Promise<IngestFigures> {
  const rounds: IngestRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const upsertTarget = await createConnections(
      client,
      `upsert ${round}`,
      CONNECTIONS_PER_RUN,
    );
    const copyTarget = await createConnections(
      client,
      `copy ${round}`,
      CONNECTIONS_PER_RUN,
    );
    const upsertRows = buildRows(
      upsertTarget.workspaceId,
      upsertTarget.connectionIds,
      options.lastDay,
    );
    const csv = toCsv(
      buildRows(
        copyTarget.workspaceId,
        copyTarget.connectionIds,
        options.lastDay,
      ),
    );

    // One transaction, as the sync writes each step's rows.
    const upsertMs = await timeMs(() =>
      handle.db.transaction((tx) => upsertDailyMetrics(tx, upsertRows)),
    );
    const copyMs = await timeMs(() => copyWithPsql(url, csv));
    const rows = upsertRows.length;
    const upsertRowsPerSecond = rows / (upsertMs / 1000);
    const copyRowsPerSecond = rows / (copyMs / 1000);
    rounds.push({
      rows,
      upsertRowsPerSecond,
      copyRowsPerSecond,
      ratio: upsertRowsPerSecond / copyRowsPerSecond,
    });
  }
  return {
    rounds,
    rowsPerRun: rounds[0]?.rows ?? 0,
    upsertRowsPerSecond: spreadOf(rounds.map((r) => r.upsertRowsPerSecond)),
    copyRowsPerSecond: spreadOf(rounds.map((r) => r.copyRowsPerSecond)),
    ratio: spreadOf(rounds.map((r) => r.ratio)),
  };
}
