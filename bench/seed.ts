import { createHash } from "node:crypto";
import type pg from "pg";
import { DAILY_METRICS } from "@/lib/metrics/registry";
import {
  ANALYTICS_CONSENT,
  ANALYTICS_CONSENT_SHA256,
  ANALYTICS_PURPOSE,
} from "@/lib/privacy/consent";

// Generates the bench data set with set-based SQL (generate_series), so a
// hundred workspaces load in minutes. Ids derive from the workspace number
// (md5 of a label cast to uuid), so every step can find what an earlier step
// created and the data set grows in place from one scale to the next.

export const CONNECTIONS_PER_WORKSPACE = 20;
export const DAYS_OF_HISTORY = 730;
/** Users of each workspace, in order: owner, admin, two marketers, viewer. */
const ROLES = ["owner", "admin", "marketer", "marketer", "viewer"] as const;
/** The first four users each hold a grant and their own member connection. */
const GRANT_HOLDERS = 4;

/**
 * The eight daily series stored per connection: the six daily metrics of the
 * registry, plus the desktop and mobile page views that LinkedIn's page
 * statistics also return. The registry has no names for those two, so they
 * exist only in this data set. The dashboard never reads them, but they grow
 * `metric_daily` to its eight-series size. Member connections get all eight
 * too, although LinkedIn gives page views only for pages, so the dashboard
 * sums slightly more rows than real data of the same size would give it.
 */
export const BENCH_SERIES = [
  ...DAILY_METRICS,
  "page_views_desktop",
  "page_views_mobile",
];

/** Members-reached totals are stored for these range lengths, as the sync stores them. */
const RANGE_DAYS = [7, 28, 90, 365];

const WORKSPACES_PER_STATEMENT = 5;

export function workspaceId(index: number): string {
  return uuidOf(`bench-workspace-${index}`);
}

export function userId(workspace: number, position: number): string {
  return `bench-user-${workspace}-${position}`;
}

/** Computes the uuid that `md5(label)::uuid` gives in Postgres. */
function uuidOf(label: string): string {
  const hex = createHash("md5").update(label).digest("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join("-");
}

// Each statement takes the first and last workspace number as $1 and $2.
const SEED_ACCOUNTS_SQL = `
with w as (select generate_series($1::int, $2::int) as n)
insert into workspaces (id, name)
select md5('bench-workspace-' || n)::uuid, 'Bench workspace ' || n from w;

with u as (
  select w.n, k from generate_series($1::int, $2::int) as w(n),
    generate_series(1, ${ROLES.length}) as k
)
insert into users (id, name, email)
select 'bench-user-' || n || '-' || k, 'Bench user ' || n || '-' || k,
  'bench-' || n || '-' || k || '@example.test'
from u;

with u as (
  select w.n, k from generate_series($1::int, $2::int) as w(n),
    generate_series(1, ${ROLES.length}) as k
)
insert into memberships (workspace_id, user_id, role)
select md5('bench-workspace-' || n)::uuid, 'bench-user-' || n || '-' || k,
  (array[${ROLES.map((role) => `'${role}'`).join(", ")}])[k]
from u;

with u as (
  select w.n, k from generate_series($1::int, $2::int) as w(n),
    generate_series(1, ${GRANT_HOLDERS}) as k
)
insert into consents (id, user_id, purpose, version, text_sha256, scopes)
select md5('bench-consent-' || n || '-' || k)::uuid,
  'bench-user-' || n || '-' || k, '${ANALYTICS_PURPOSE}',
  '${ANALYTICS_CONSENT.version}', '${ANALYTICS_CONSENT_SHA256}',
  array['r_member_postAnalytics', 'r_member_profileAnalytics', 'rw_organization_admin']
from u;

with u as (
  select w.n, k from generate_series($1::int, $2::int) as w(n),
    generate_series(1, ${GRANT_HOLDERS}) as k
)
insert into linkedin_grants (id, user_id, workspace_id, consent_id, member_urn, scopes, expires_at)
select md5('bench-grant-' || n || '-' || k)::uuid,
  'bench-user-' || n || '-' || k, md5('bench-workspace-' || n)::uuid,
  md5('bench-consent-' || n || '-' || k)::uuid,
  'urn:li:person:bench' || n || 'x' || k,
  array['openid', 'r_member_postAnalytics', 'r_member_profileAnalytics', 'rw_organization_admin'],
  now() + interval '60 days'
from u;

with c as (
  select w.n, c, ((c - 1) % ${GRANT_HOLDERS}) + 1 as k
  from generate_series($1::int, $2::int) as w(n),
    generate_series(1, ${CONNECTIONS_PER_WORKSPACE}) as c
)
insert into linkedin_connections
  (id, workspace_id, user_id, grant_id, kind, urn, name, last_synced_at, created_at)
select md5('bench-connection-' || n || '-' || c)::uuid,
  md5('bench-workspace-' || n)::uuid, 'bench-user-' || n || '-' || k,
  md5('bench-grant-' || n || '-' || k)::uuid,
  case when c <= ${GRANT_HOLDERS} then 'person' else 'organization' end,
  case when c <= ${GRANT_HOLDERS} then 'urn:li:person:bench' || n || 'x' || k
    else 'urn:li:organization:' || (n * 100 + c) end,
  case when c <= ${GRANT_HOLDERS} then 'Bench member ' || n || '-' || k
    else 'Bench page ' || n || '-' || c end,
  now(), now() - (c || ' minutes')::interval
from c;
`;

// $1, $2: workspace numbers; $3: series names; $4: first day; $5: last day.
const SEED_METRICS_SQL = `
insert into metric_daily (workspace_id, connection_id, metric, day, value, source)
select c.workspace_id, c.id, m.metric, d.day::date,
  floor(random() * 400)::bigint, 'api'
from linkedin_connections c
  cross join unnest($3::text[]) as m(metric)
  cross join generate_series($4::date, $5::date, interval '1 day') as d(day)
where c.workspace_id in (
  select md5('bench-workspace-' || n)::uuid from generate_series($1::int, $2::int) as n
)`;

// $1, $2: workspace numbers; $3: range lengths; $4: yesterday.
const SEED_RANGE_TOTALS_SQL = `
insert into metric_range_totals
  (workspace_id, connection_id, metric, range_days, period, range_start, range_end, value)
select c.workspace_id, c.id, 'members_reached', r.days, p.period,
  case p.period when 'current' then $4::date - r.days + 1 else $4::date - 2 * r.days + 1 end,
  case p.period when 'current' then $4::date else $4::date - r.days end,
  floor(random() * 5000)::bigint
from linkedin_connections c
  cross join unnest($3::int[]) as r(days)
  cross join (values ('current'), ('previous')) as p(period)
where c.kind = 'person' and c.workspace_id in (
  select md5('bench-workspace-' || n)::uuid from generate_series($1::int, $2::int) as n
)`;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export type SeedProgress = (done: number, total: number) => void;

/**
 * Grows the data set from `fromCount` to `toCount` workspaces, each with
 * five users, four grants, twenty connections and 730 days of eight series
 * ending yesterday (UTC). Returns the number of metric_daily rows written.
 */
export async function growDataSet(
  client: pg.ClientBase,
  fromCount: number,
  toCount: number,
  now: Date,
  onProgress?: SeedProgress,
): Promise<number> {
  const yesterday = new Date(now.getTime() - 86_400_000);
  const firstDay = new Date(
    yesterday.getTime() - (DAYS_OF_HISTORY - 1) * 86_400_000,
  );
  let rows = 0;
  for (
    let first = fromCount + 1;
    first <= toCount;
    first += WORKSPACES_PER_STATEMENT
  ) {
    const last = Math.min(first + WORKSPACES_PER_STATEMENT - 1, toCount);
    await client.query("begin");
    for (const statement of SEED_ACCOUNTS_SQL.split(";\n")) {
      if (statement.trim()) await client.query(statement, [first, last]);
    }
    const inserted = await client.query(SEED_METRICS_SQL, [
      first,
      last,
      BENCH_SERIES,
      utcDay(firstDay),
      utcDay(yesterday),
    ]);
    await client.query(SEED_RANGE_TOTALS_SQL, [
      first,
      last,
      RANGE_DAYS,
      utcDay(yesterday),
    ]);
    await client.query("commit");
    rows += inserted.rowCount ?? 0;
    onProgress?.(last - fromCount, toCount - fromCount);
  }
  // Sets the visibility map, so the dashboard's index-only scans skip the
  // heap. Autovacuum would set it too, some time after the inserts.
  await client.query(
    "vacuum (analyze) metric_daily, workspace_daily_sums, connection_monthly_sums",
  );
  await client.query("analyze");
  return rows;
}
