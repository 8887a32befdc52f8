import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import type pg from "pg";
import pino from "pino";
import { startEmulator } from "@/emulator/server";
import { encryptSecret, type KeyRing } from "@/lib/crypto/tokens";
import type { DatabaseHandle } from "@/lib/db/client";
import { linkedinGrants } from "@/lib/db/schema";
import {
  ANALYTICS_CONSENT,
  ANALYTICS_CONSENT_SHA256,
  ANALYTICS_PURPOSE,
} from "@/lib/privacy/consent";
import { eraseUser } from "@/lib/privacy/erasure";
import { TEST_CLIENT, TEST_REDIRECT_URI } from "@/tests/helpers/emulator";
import { benchContext } from "./dashboard";
import { loadBenchDashboard } from "./dashboard-adapter";
import type { ExportChildFigures } from "./export-child";
import { BENCH_SERIES } from "./seed";
import { elapsedMs, percentile } from "./stats";

// Measures the personal-data export and the erasure of one person who owns
// a workspace of their own with many connections. The export runs in a child
// process (bench/export-child.ts) so that its memory is measured apart from
// the seeding, and the erasure runs while the dashboard of another workspace
// is loaded in a loop.

const PRIVACY_USER = "bench-privacy-user";
/** Days of history per connection of the person, so rows divide evenly. */
const PRIVACY_DAYS = 1000;

// Every statement but the workspace's takes the user id as $1.
const SEED_ACCOUNT_SQL = `
insert into workspaces (id, name)
values (md5('bench-privacy-workspace')::uuid, 'Bench privacy workspace');

insert into users (id, name, email)
values ($1::text, 'Bench privacy user', 'bench-privacy@example.test');

insert into memberships (workspace_id, user_id, role)
values (md5('bench-privacy-workspace')::uuid, $1::text, 'owner');

insert into consents (id, user_id, purpose, version, text_sha256, scopes)
values (md5('bench-privacy-consent')::uuid, $1::text, '${ANALYTICS_PURPOSE}',
  '${ANALYTICS_CONSENT.version}', '${ANALYTICS_CONSENT_SHA256}',
  array['r_member_postAnalytics', 'r_member_profileAnalytics', 'rw_organization_admin']);

insert into linkedin_grants (id, user_id, workspace_id, consent_id, member_urn, scopes, expires_at)
values (md5('bench-privacy-grant')::uuid, $1::text, md5('bench-privacy-workspace')::uuid,
  md5('bench-privacy-consent')::uuid, 'urn:li:person:benchprivacy',
  array['openid', 'r_member_postAnalytics', 'r_member_profileAnalytics', 'rw_organization_admin'],
  now() + interval '60 days');

`;

// $1: user id; $2: number of connections.
const SEED_PRIVACY_CONNECTIONS_SQL = `
insert into linkedin_connections
  (id, workspace_id, user_id, grant_id, kind, urn, name, last_synced_at, created_at)
select md5('bench-privacy-connection-' || c)::uuid,
  md5('bench-privacy-workspace')::uuid, $1::text, md5('bench-privacy-grant')::uuid,
  'organization', 'urn:li:organization:' || (900000000 + c),
  'Bench privacy page ' || c, now(), now() - (c || ' minutes')::interval
from generate_series(1, $2::int) as c`;

// $1: user id; $2: series; $3: first day; $4: last day.
const SEED_PRIVACY_METRICS_SQL = `
insert into metric_daily (workspace_id, connection_id, metric, day, value, source)
select c.workspace_id, c.id, m.metric, d.day::date,
  floor(random() * 400)::bigint, 'api'
from linkedin_connections c
  cross join unnest($2::text[]) as m(metric)
  cross join generate_series($3::date, $4::date, interval '1 day') as d(day)
where c.user_id = $1::text`;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Seeds the person with `rows` metric_daily rows, rounded up to whole
 * connections of eight series over 1,000 days, and gives their grant an
 * encrypted access and refresh token for the erasure to revoke. Returns the
 * person's metric_daily row count.
 */
async function seedPrivacyUser(
  client: pg.ClientBase,
  handle: DatabaseHandle,
  keyRing: KeyRing,
  rows: number,
  now: Date,
): Promise<number> {
  const perConnection = BENCH_SERIES.length * PRIVACY_DAYS;
  const connections = Math.ceil(rows / perConnection);

  const lastDay = new Date(now.getTime() - 86_400_000);
  const firstDay = new Date(
    lastDay.getTime() - (PRIVACY_DAYS - 1) * 86_400_000,
  );
  await client.query("begin");
  for (const statement of SEED_ACCOUNT_SQL.split(";\n")) {
    if (!statement.trim()) continue;
    // The workspace's statement takes no parameter.
    const params = statement.includes("$1") ? [PRIVACY_USER] : [];
    await client.query(statement, params);
  }
  await client.query(SEED_PRIVACY_CONNECTIONS_SQL, [PRIVACY_USER, connections]);
  const inserted = await client.query(SEED_PRIVACY_METRICS_SQL, [
    PRIVACY_USER,
    BENCH_SERIES,
    utcDay(firstDay),
    utcDay(lastDay),
  ]);
  await client.query("commit");

  await handle.db
    .update(linkedinGrants)
    .set({
      accessTokenEncrypted: encryptSecret("bench-privacy-access", keyRing),
      refreshTokenEncrypted: encryptSecret("bench-privacy-refresh", keyRing),
    })
    .where(eq(linkedinGrants.userId, PRIVACY_USER));
  await client.query(
    "vacuum (analyze) metric_daily, workspace_daily_sums, connection_monthly_sums",
  );
  return inserted.rowCount ?? 0;
}

export type ExportFigures = ExportChildFigures & {
  metricRows: number;
  rowsPerSecond: number;
  zipMbPerSecond: number;
};

const run = promisify(execFile);

/** Runs bench/export-child.ts under tsx and parses the figures it prints. */
async function measureExport(
  url: string,
  metricRows: number,
): Promise<ExportFigures> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--expose-gc",
      "bench/export-child.ts",
      url,
      PRIVACY_USER,
    ],
    { maxBuffer: 1024 * 1024 },
  );
  const figures = JSON.parse(
    stdout.trim().split("\n").at(-1) ?? "",
  ) as ExportChildFigures;
  return {
    ...figures,
    metricRows,
    rowsPerSecond: metricRows / figures.wallSeconds,
    zipMbPerSecond: figures.zipBytes / 1024 ** 2 / figures.wallSeconds,
  };
}

/**
 * Wait events of the dashboard pool's active backends, sampled from
 * pg_stat_activity every WAIT_SAMPLE_MS. "CPU" is a backend with no wait
 * event: running, or ready to run and waiting for a core.
 */
export type WaitSamples = {
  /** Reads of pg_stat_activity. */
  samples: number;
  /** Active dashboard backends seen, summed over the samples. */
  active: number;
  /** Those waiting for a heavyweight lock (wait_event_type "Lock"). */
  lockWaits: number;
  /** Active backends by "wait_event_type:wait_event", or "CPU". */
  byEvent: Record<string, number>;
};

export type ErasureFigures = {
  wallSeconds: number;
  removedMetricRows: number;
  workspacesDeleted: number;
  tokensRevoked: number;
  tokensNotRevoked: number;
  /** Dashboard loads of another workspace that overlapped the erasure. */
  dashboardLoads: number;
  dashboardP50Ms: number;
  dashboardMaxMs: number;
  dashboardWaits: WaitSamples;
  /** The same loop for as long as the erasure took, right after it ended. */
  baselineLoads: number;
  baselineP50Ms: number;
  baselineMaxMs: number;
  baselineWaits: WaitSamples;
};

/** application_name of the dashboard pool, to find its backends. */
const DASHBOARD_APPLICATION = "inview-bench-dashboard";
const WAIT_SAMPLE_MS = 10;

const WAITS_SQL = `
select coalesce(wait_event_type || ':' || wait_event, 'CPU') as event
from pg_stat_activity
where application_name = $1 and state = 'active'`;

/** Samples the dashboard backends' wait events until `done()` returns true. */
async function sampleWaits(
  client: pg.ClientBase,
  done: () => boolean,
): Promise<WaitSamples> {
  const waits: WaitSamples = {
    samples: 0,
    active: 0,
    lockWaits: 0,
    byEvent: {},
  };
  while (!done()) {
    const { rows } = await client.query<{ event: string }>(WAITS_SQL, [
      DASHBOARD_APPLICATION,
    ]);
    waits.samples += 1;
    for (const { event } of rows) {
      waits.active += 1;
      if (event.startsWith("Lock:")) waits.lockWaits += 1;
      waits.byEvent[event] = (waits.byEvent[event] ?? 0) + 1;
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_SAMPLE_MS));
  }
  return waits;
}

/** Loads the bench dashboard one call after another until `done()` returns true. */
async function dashboardLoop(
  handle: DatabaseHandle,
  now: Date,
  done: () => boolean,
): Promise<number[]> {
  const context = benchContext();
  const latencies: number[] = [];
  while (!done()) {
    const start = process.hrtime.bigint();
    await loadBenchDashboard(handle.db, context, now);
    latencies.push(elapsedMs(start));
  }
  return latencies;
}

async function measureErasure(
  client: pg.ClientBase,
  handle: DatabaseHandle,
  dashboardHandle: DatabaseHandle,
  keyRing: KeyRing,
  now: Date,
  emulatorPort: number,
): Promise<ErasureFigures> {
  const emulator = await startEmulator({
    port: emulatorPort,
    ...TEST_CLIENT,
    redirectUris: [TEST_REDIRECT_URI],
    latencyMs: 0,
  });
  try {
    // One load first, so the loop's first call does not pay for warming up.
    await loadBenchDashboard(dashboardHandle.db, benchContext(), now);
    let erasing = true;
    const loop = dashboardLoop(dashboardHandle, now, () => !erasing);
    const waits = sampleWaits(client, () => !erasing);
    const start = process.hrtime.bigint();
    const receipt = await eraseUser(
      {
        database: handle.db,
        keyRing,
        linkedin: { oauthBase: emulator.url, ...TEST_CLIENT },
        logger: pino({ level: "silent" }),
        signingSecret: randomBytes(32).toString("hex"),
      },
      PRIVACY_USER,
    );
    const wallMs = elapsedMs(start);
    erasing = false;
    const during = await loop;
    const duringWaits = await waits;

    // The baseline samples wait events too, so both loops share the
    // sampler's load.
    const baselineEnd = Date.now() + wallMs;
    const baselineDone = () => Date.now() >= baselineEnd;
    const [baseline, baselineWaits] = await Promise.all([
      dashboardLoop(dashboardHandle, now, baselineDone),
      sampleWaits(client, baselineDone),
    ]);
    return {
      wallSeconds: wallMs / 1000,
      removedMetricRows: receipt.removed.metric_daily ?? 0,
      workspacesDeleted: receipt.workspaces.deleted,
      tokensRevoked: receipt.linkedinTokens.revoked,
      tokensNotRevoked: receipt.linkedinTokens.notRevoked,
      dashboardLoads: during.length,
      dashboardP50Ms: percentile(during, 50),
      dashboardMaxMs: Math.max(...during),
      dashboardWaits: duringWaits,
      baselineLoads: baseline.length,
      baselineP50Ms: percentile(baseline, 50),
      baselineMaxMs: Math.max(...baseline),
      baselineWaits,
    };
  } finally {
    await emulator.close();
  }
}

export type PrivacyFigures = {
  export: ExportFigures | null;
  erasure: ErasureFigures | null;
};

/**
 * Seeds the person, streams their export in a child process and then erases
 * them while another workspace's dashboard loads. Workspace 1 of the bench
 * data set must exist, because its dashboard is the one loaded.
 */
export async function measurePrivacy(
  client: pg.ClientBase,
  url: string,
  openHandle: (applicationName?: string) => DatabaseHandle,
  options: {
    rows: number;
    export: boolean;
    erasure: boolean;
    now: Date;
    /** Port of the emulator that the erasure revokes tokens at. */
    emulatorPort: number;
  },
  say: (message: string) => void,
): Promise<PrivacyFigures> {
  const keyRing: KeyRing = {
    currentKeyId: "bench",
    keys: new Map([["bench", randomBytes(32)]]),
  };
  const handle = openHandle();
  const dashboardHandle = openHandle(DASHBOARD_APPLICATION);
  try {
    say(`seeding one person with ${options.rows} metric_daily rows`);
    const seedStart = process.hrtime.bigint();
    const metricRows = await seedPrivacyUser(
      client,
      handle,
      keyRing,
      options.rows,
      options.now,
    );
    say(`  ${metricRows} rows in ${Math.round(elapsedMs(seedStart) / 1000)} s`);

    let exported: ExportFigures | null = null;
    if (options.export) {
      say("streaming the export in a child process");
      exported = await measureExport(url, metricRows);
      say(
        `  ${exported.wallSeconds.toFixed(1)} s, peak RSS ${exported.peakAboveIdleMb.toFixed(0)} MB above idle`,
      );
    }
    let erased: ErasureFigures | null = null;
    if (options.erasure) {
      say("erasing the person while another workspace's dashboard loads");
      erased = await measureErasure(
        client,
        handle,
        dashboardHandle,
        keyRing,
        options.now,
        options.emulatorPort,
      );
      say(
        `  ${erased.wallSeconds.toFixed(1)} s, dashboard max ${erased.dashboardMaxMs.toFixed(0)} ms (baseline ${erased.baselineMaxMs.toFixed(0)} ms), lock waits in ${erased.dashboardWaits.lockWaits} of ${erased.dashboardWaits.active} active samples`,
      );
    }
    return { export: exported, erasure: erased };
  } finally {
    await handle.close();
    await dashboardHandle.close();
  }
}
