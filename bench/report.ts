import { NOT_MEASURED, type Results } from "./results";

// Writes docs/benchmarks.md from one run's results. The page is generated,
// so every number in it comes from the same run as bench/results.json.

type Row = [figure: string, value: string, spread: string, target: string];

function spreadText(spread: { min: number; max: number } | undefined) {
  return spread ? `${spread.min} – ${spread.max}` : "";
}

function verdict(met: boolean | null): string {
  if (met === null) return "";
  return met ? " (met)" : " (missed)";
}

function dashboardRows(results: Results): Row[] {
  const rows: Row[] = [];
  const query = results.dashboard_query;
  rows.push(
    [
      "`dashboard_query.p50_ms`",
      `${query.p50_ms}`,
      spreadText(query.spread.p50_ms),
      "",
    ],
    [
      "`dashboard_query.p95_ms`",
      `${query.p95_ms}`,
      spreadText(query.spread.p95_ms),
      `< 50 at scale 100${results.scale === 100 ? verdict(Number(query.p95_ms) < 50) : ""}`,
    ],
    [
      "`dashboard_query.bare_p50_ms`",
      `${query.bare_p50_ms}`,
      spreadText(query.spread.bare_p50_ms),
      "",
    ],
    [
      "`dashboard_query.bare_p95_ms`",
      `${query.bare_p95_ms}`,
      spreadText(query.spread.bare_p95_ms),
      "",
    ],
    [
      "`dashboard_query.ratio_p95`",
      `${query.ratio_p95}`,
      spreadText(query.spread.ratio_p95),
      `<= 1.5${verdict(Number(query.ratio_p95) <= 1.5)}`,
    ],
  );
  const growth = results.dashboard_growth;
  rows.push([
    "`dashboard_growth.ratio`",
    `${growth.ratio}`,
    `p95 ${growth.p95_ms.join(" / ")} ms, ${growth.buffers.join(" / ")} buffers, at scale ${growth.scales.join(" / ")}`,
    `<= 1.5${verdict(growth.ratio === null ? null : growth.ratio <= 1.5)}`,
  ]);
  rows.push([
    "`dashboard_growth.buffers_ratio`",
    `${growth.buffers_ratio}`,
    "pages read, from EXPLAIN; not a time, so the load does not move it",
    "",
  ]);
  return rows;
}

function httpRows(results: Results): Row[] {
  const rows: Row[] = [];
  const http = results.dashboard_http;
  if (typeof http === "object") {
    rows.push(
      [
        "`dashboard_http.requests_per_second`",
        `${http.requests_per_second}`,
        spreadText(http.spread.requests_per_second),
        "",
      ],
      [
        "`dashboard_http.p50_ms`",
        `${http.p50_ms}`,
        spreadText(http.spread.p50_ms),
        "",
      ],
      [
        "`dashboard_http.p99_ms`",
        `${http.p99_ms}`,
        spreadText(http.spread.p99_ms),
        "",
      ],
      [
        "`dashboard_http.errors`",
        `${http.errors}`,
        "sum over runs",
        `0${verdict(http.errors === 0)}`,
      ],
      [
        "`dashboard_http.health_p99_ms`",
        `${http.health_p99_ms}`,
        spreadText(http.spread.health_p99_ms),
        "",
      ],
      [
        "`dashboard_http.ratio_p99`",
        `${http.ratio_p99}`,
        spreadText(http.spread.ratio_p99),
        `<= 3${verdict(Number(http.ratio_p99) <= 3)}`,
      ],
    );
    // Runs measured while the server rendered the dashboard's frame have no
    // account figures.
    if (http.account_p99_ms !== undefined) {
      rows.push(
        [
          "`dashboard_http.account_requests_per_second`",
          `${http.account_requests_per_second}`,
          spreadText(http.spread.account_requests_per_second),
          "",
        ],
        [
          "`dashboard_http.account_p50_ms`",
          `${http.account_p50_ms}`,
          spreadText(http.spread.account_p50_ms),
          "",
        ],
        [
          "`dashboard_http.account_p99_ms`",
          `${http.account_p99_ms}`,
          spreadText(http.spread.account_p99_ms),
          "",
        ],
        [
          "`dashboard_http.account_errors`",
          `${http.account_errors}`,
          "sum over runs",
          `0${verdict(http.account_errors === 0)}`,
        ],
        [
          "`dashboard_http.account_ratio_p99`",
          `${http.account_ratio_p99}`,
          spreadText(http.spread.account_ratio_p99),
          "",
        ],
      );
    }
    // Runs measured before the series moved to the server action have no
    // data figures.
    if (http.data_p99_ms !== undefined) {
      rows.push(
        [
          "`dashboard_http.data_requests_per_second`",
          `${http.data_requests_per_second}`,
          spreadText(http.spread.data_requests_per_second),
          "",
        ],
        [
          "`dashboard_http.data_p50_ms`",
          `${http.data_p50_ms}`,
          spreadText(http.spread.data_p50_ms),
          "",
        ],
        [
          "`dashboard_http.data_p99_ms`",
          `${http.data_p99_ms}`,
          spreadText(http.spread.data_p99_ms),
          "",
        ],
        [
          "`dashboard_http.data_errors`",
          `${http.data_errors}`,
          "sum over runs",
          `0${verdict(http.data_errors === 0)}`,
        ],
        [
          "`dashboard_http.data_ratio_p99`",
          `${http.data_ratio_p99}`,
          spreadText(http.spread.data_ratio_p99),
          "",
        ],
      );
      if (http.data_response_kb !== undefined)
        rows.push([
          "`dashboard_http.data_response_kb`",
          `${http.data_response_kb}`,
          "one response, before compression",
          "",
        ]);
    }
  }
  rows.push([
    "`first_load_js_kb`",
    `${results.first_load_js_kb}`,
    "one measurement",
    "",
  ]);
  return rows;
}

function syncRows(results: Results): Row[] {
  const rows: Row[] = [];
  const ingest = results.ingest;
  if (typeof ingest === "object") {
    rows.push(
      [
        "`ingest.upsert_rows_per_second`",
        `${Math.round(Number(ingest.upsert_rows_per_second))}`,
        spreadText(ingest.spread.upsert_rows_per_second),
        `>= 100000${verdict(Number(ingest.upsert_rows_per_second) >= 100_000)}`,
      ],
      [
        "`ingest.copy_rows_per_second`",
        `${Math.round(Number(ingest.copy_rows_per_second))}`,
        spreadText(ingest.spread.copy_rows_per_second),
        "",
      ],
      [
        "`ingest.ratio`",
        `${ingest.ratio}`,
        spreadText(ingest.spread.ratio),
        `>= 0.3${verdict(Number(ingest.ratio) >= 0.3)}`,
      ],
    );
  }
  const backfill = results.backfill;
  if (typeof backfill === "object") {
    rows.push(
      [
        "`backfill.wall_seconds`",
        `${backfill.wall_seconds}`,
        spreadText(backfill.spread.wall_seconds),
        "",
      ],
      [
        "`backfill.calls_per_second`",
        `${backfill.calls_per_second}`,
        spreadText(backfill.spread.calls_per_second),
        "",
      ],
      [
        "`backfill.matches_truth`",
        `${backfill.matches_truth}`,
        "every run",
        `true${verdict(backfill.matches_truth)}`,
      ],
    );
  }
  return rows;
}

function summaryRows(results: Results): Row[] {
  return [
    ...dashboardRows(results),
    ...httpRows(results),
    ...syncRows(results),
    ...privacyRows(results),
  ];
}

function privacyRows(results: Results): Row[] {
  const rows: Row[] = [];
  const exported = results.export;
  if ("status" in exported) {
    rows.push(["`export`", NOT_MEASURED, "", ""]);
  } else {
    rows.push(
      [
        "`export.metric_daily_rows`",
        `${exported.metric_daily_rows}`,
        "one run",
        "",
      ],
      ["`export.wall_seconds`", `${exported.wall_seconds}`, "one run", ""],
      [
        "`export.rows_per_second`",
        `${exported.rows_per_second}`,
        "one run",
        "",
      ],
      [
        "`export.zip_mb_per_second`",
        `${exported.zip_mb_per_second}`,
        "one run",
        "",
      ],
      [
        "`export.peak_rss_above_idle_mb`",
        `${exported.peak_rss_above_idle_mb}`,
        "one run",
        `< 256${verdict(exported.peak_rss_above_idle_mb < 256)}`,
      ],
    );
  }
  const erased = results.erasure;
  if ("status" in erased) {
    rows.push(["`erasure`", NOT_MEASURED, "", ""]);
  } else {
    rows.push(
      ["`erasure.wall_seconds`", `${erased.wall_seconds}`, "one run", ""],
      [
        "`erasure.other_dashboard_max_ms`",
        `${erased.other_dashboard_max_ms}`,
        "one run",
        `<= 100${verdict(erased.other_dashboard_max_ms <= 100)}`,
      ],
      [
        "`erasure.baseline_dashboard_max_ms`",
        `${erased.baseline_dashboard_max_ms}`,
        "one run",
        "",
      ],
      [
        "`erasure.other_dashboard_p50_ms`",
        `${erased.other_dashboard_p50_ms}`,
        "one run",
        "",
      ],
      [
        "`erasure.baseline_dashboard_p50_ms`",
        `${erased.baseline_dashboard_p50_ms}`,
        "one run",
        "",
      ],
    );
    if ("other_dashboard_lock_waits" in erased)
      rows.push([
        "`erasure.other_dashboard_lock_waits`",
        `${erased.other_dashboard_lock_waits}`,
        `of ${erased.other_dashboard_active_samples} samples of its active backends`,
        "",
      ]);
  }
  return rows;
}

function table(header: string[], rows: string[][]): string {
  const lines = [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  return lines.join("\n");
}

function machineSection(results: Results): string {
  const { machine, data_set: data } = results;
  return `## Machine and data set

${table(
  ["", ""],
  [
    ["CPUs (nproc)", `${machine.cpus} × ${machine.cpuModel}`],
    ["memory", `${machine.memoryGb} GB`],
    ["Postgres", machine.postgres],
    ["Node.js", machine.node],
    ["load average at the end (1, 5, 15 min)", machine.loadAverage.join(", ")],
    ["scale", `${results.scale}${results.quick ? " (--quick)" : ""}`],
    ["workspaces", `${data.workspaces}`],
    ["connections per workspace", `${data.connectionsPerWorkspace}`],
    ["days of history", `${data.days}`],
    ["series per connection", data.series.join(", ")],
    ["metric_daily rows", data.metricDailyRows.toLocaleString("en-US")],
    ["metric_daily with indexes", `${data.tableMb} MB`],
    ["time to generate", `${data.seedSeconds} s`],
  ],
)}

Other processes shared the machine during the run; the load average shows
how much. Ratios are measured in the same run, alternating the two sides,
so they suffer less from that load than absolute times.`;
}

const METHOD = `## What each figure means

- **dashboard_query**: the metrics function behind the dashboard's server
  action (\`loadDashboardData\` in \`lib/metrics/dashboard.ts\`, called
  through \`bench/dashboard-adapter.ts\`) for the first workspace: 365 days
  ending yesterday, compared with the 365 days before, daily points. The
  bench records the SQL statements the function sends and the order they
  ran in (one after another, or at the same time), and replays exactly
  those statements through a plain \`pg\` pool: that is the floor
  (\`bare_*\`). Each run alternates the function and the floor; p50 and p95
  are taken over one run's calls, and the table shows the median over the
  runs with the min and max. \`ratio_p95\` is the function's p95 over the
  floor's p95 in the same run.
- **dashboard_growth**: the function's p95 after growing one database from
  5 to 25 to 100 workspaces (at \`--scale S\`: S/20, S/4 and S, rounded
  up). \`ratio\` is the p95 at the largest scale over the p95 at the
  smallest, so it is near 1 when the cost depends on the workspace's data
  only. \`buffers\` counts the 8 KiB pages the statements read (hit or
  read, from EXPLAIN ANALYZE) at each scale: unlike a time, it does not
  change with the load of other processes.
- **dashboard_http**: \`next start\` on the production build in \`.next\`,
  signed in through a session row inserted for the workspace's owner (the
  cookie \`authjs.session-token\` carries the value whose SHA-256 is
  stored). autocannon runs 20 connections against
  \`/api/health\`, then against \`/dashboard?range=365\`, then against the
  account request, then against the data request, each for the same
  duration. The page is prerendered at build time: its response is the
  same HTML file for everyone (the frame, a header placeholder and a
  loading state), with a Content-Security-Policy that allows its inline
  scripts by hash. After hydration the browser loads the caller's header,
  workspace and consent through the \`loadAccount\` server action, then
  the whole view, figures and series, through \`loadDashboard\`. The
  account and data requests are those calls, POSTs to the page with the
  action's id (read from the build's server-reference manifest), so one
  visit costs roughly \`p50_ms\` plus \`account_p50_ms\` plus
  \`data_p50_ms\` without load. Errors count connection errors, timeouts
  and non-2xx responses. \`ratio_p99\`, \`account_ratio_p99\` and
  \`data_ratio_p99\` are each request's p99 over the health check's p99
  in the same run.
  \`data_response_kb\` is the size of one data response before
  compression. The action sends each series' values with the buckets
  once (\`lib/metrics/series-wire.ts\`) instead of one object per point.
  autocannon runs in the bench's process on the same machine.
- **first_load_js_kb**: the JavaScript a browser downloads before
  \`/dashboard\` is interactive: every external \`<script src>\` file
  named in the page's HTML, fetched from \`next start\` and gzipped one by
  one with zlib level 6, summed, in KiB. Inline scripts (the React Server
  Components payload of that one response) are data and are not counted.
  Scripts marked \`nomodule\`, Next.js's polyfills for browsers without
  ES modules, are left out and shown as \`first_load_js.nomodule_gzip_kb\`
  in \`bench/results.json\`: every browser Next.js 16 supports skips them.
  recharts and the PNG export load after hydration and are not counted.
- **ingest**: rows per second of \`upsertDailyMetrics\`
  (\`lib/sync/upsert.ts\`) writing a backfill's rows (40 new page
  connections × 8 series × 365 days) into \`metric_daily\` in one
  transaction, as the sync does, on the full data set. The floor is a plain
  \`COPY\` of rows of the same shape for 40 other new connections through
  \`psql \\copy ... from pstdin\`, because \`pg\` has no COPY FROM STDIN
  without pg-copy-streams; its time includes starting psql. Both pay the
  same index updates and statement triggers: one checks and locks the
  rows' connections in place of a foreign key, and the others add the
  rows to the stored sums. New connections have no stored day, so the
  upsert path writes their rows with a plain INSERT, after one
  primary-key probe per connection and metric finds none. \`ratio\` =
  upsert rate / COPY rate, per run.
- **backfill**: member connections backfilled with \`syncConnection\`
  against the emulator with no added latency and raised quotas, four at a
  time as four queue workers would. The emulator has three demo members,
  so each is connected in many workspaces through its OAuth flow.
  Wall time covers the syncs only; calls per second counts the
  \`api_calls\` rows of those connections. \`matches_truth\` compares every
  stored day of the five member daily metrics with
  \`GET /__emulator/truth\`.
- **export**: one person who owns a workspace of their own with
  \`metric_daily_rows\` rows (eight series over 1,000 days per connection),
  exported with \`exportPersonalData\`, the function behind
  \`GET /api/me/data\`, and read to the end as a stream in a child process
  (\`bench/export-child.ts\`), so the seeding does not count. Its RSS is
  sampled every 50 ms; \`peak_rss_above_idle_mb\` is the peak sample minus
  the RSS after the database pool opened, and \`max_rss_above_idle_mb\` is
  \`process.resourceUsage().maxRSS\` minus the same idle level.
  \`rows_per_second\` counts the metric_daily rows only. The export reads
  those rows one connection at a time, 1,000 per query in primary-key
  order, so a query's cost does not grow with the person's connections.
- **erasure**: the same person erased with \`eraseUser\`, the function
  behind \`DELETE /api/me/data\`, revoking their tokens at the emulator.
  The person is the workspace's only member, so the erasure deletes the
  workspace with its connections and metrics in the same transaction.
  While it runs, the dashboard of bench workspace 1 loads one call after
  another on its own pool; \`other_dashboard_max_ms\` is the slowest of those
  loads. The \`baseline_\` figures are the same loop for as long right after
  the erasure, so a slow load can be told apart from the machine's load.
  During both loops the bench reads \`pg_stat_activity\` every 10 ms for
  the dashboard pool's active backends (found by their
  \`application_name\`) and counts their wait events:
  \`other_dashboard_lock_waits\` is the number of those samples in which a
  backend waited for a heavyweight lock (\`wait_event_type\` \`Lock\`).
  \`results.json\` holds the count of every wait event, where \`CPU\`
  means no wait event: running, or waiting for a core.
- **export** and **erasure** are one run each, with their own
  \`measured_at\` and \`load_average\`, because
  \`npm run bench -- --only export,erasure\` rewrites those two sections
  alone and keeps the other figures of the earlier full run. Compare their
  \`load_average\` with the machine's: other processes share the two cores.`;

const TARGETS = `## Reading the figures

- **Load.** The run shares two cores with other processes (see the load
  average), and every absolute time above includes waiting for a core.
  The ratios and the buffer counts are the figures that load distorts
  least.
- **erasure.other_dashboard_max_ms.** The next section says whether the
  other dashboard waited for a lock or for a core.`;

/**
 * Renders the section that reads the erasure's figures: whether the other
 * dashboard waited for a lock, or for a core like every process on the
 * machine.
 */
function erasureReading(results: Results): string {
  const erased = results.erasure;
  // Results of a bench from before the wait sampling have no such figures.
  if ("status" in erased || !("other_dashboard_wait_events" in erased))
    return "";
  const events = Object.entries(erased.other_dashboard_wait_events)
    .sort(([, a], [, b]) => b - a)
    .map(([event, count]) => `${event} ${count}`)
    .join(", ");
  const measured =
    erased.other_dashboard_lock_waits === 0
      ? "none of them was waiting for a lock"
      : `${erased.other_dashboard_lock_waits} of them were waiting for a lock`;
  return `## What delays another dashboard during an erasure

The erasure's transaction holds ROW EXCLUSIVE locks on the tables it deletes
from, including those its foreign keys cascade to, and row locks on the
deleted rows. In Postgres 15 neither blocks a plain \`SELECT\`, which takes
ACCESS SHARE and reads an older row version instead of waiting, so the
dashboard has no lock to queue behind. It would queue if a statement that
needs ACCESS EXCLUSIVE (an \`ALTER TABLE\` of a migration, a
\`TRUNCATE\`) waited for the erasure, because later readers wait behind it.

During the erasure the sampler saw the dashboard pool's backends active
${erased.other_dashboard_active_samples} times, and ${measured}.
Wait events: ${events}. Waits of type IO or LWLock are most likely
reads and buffer replacement in shared buffers, which the delete fills with
dirty pages.
The delete of ${erased.removed_metric_daily_rows.toLocaleString("en-US")}
rows keeps one backend busy for seconds, so the dashboard shares the two
cores with it and with the other processes: compare
\`other_dashboard_p50_ms\` with \`baseline_dashboard_p50_ms\`. When the
baseline's max is over 100 ms too, the machine's load alone misses the
target. The erasure stays one transaction, so no one sees a half-erased
account. The delete's statement trigger takes the deleted rows out of the
stored sums in the same transaction, reading them once per sums table.
Besides the delete itself, the cascade from the deleted
connections to \`metric_daily\` visits the index entries of the rows the
transaction already deleted (0.6 to 0.8 s at a million rows in EXPLAIN
ANALYZE on this machine). Deleting the connections first and letting the
cascade remove the metrics was slower (1.8 s).`;
}

const REPRODUCE = `## How to reproduce

\`\`\`sh
npx next build                  # the production build that dashboard_http starts
npm run bench                   # default scale 100, 12.5 minutes on two shared cores
npm run bench -- --quick        # scale 5, short runs: checks the harness
npm run bench -- --scale 25     # another scale
npm run bench -- --only export,erasure  # those two sections alone, in a few minutes
npm run bench -- --report       # rewrite this page from bench/results.json
\`\`\`

The bench drops and recreates the database \`inview_bench\` (or the one
named by \`--database\`) on the server of
\`DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/test\`), so
that server's user must be allowed to create databases. It starts
\`next start\` on port 3355 (\`--app-port\`), the erasure's emulator on
port 4355 (\`--emulator-port\`) and writes
\`bench/results.json\` and this page. It is not part of \`npm test\`.`;

const INGEST_TIME = `## Where the ingest's time goes

The ingest's statement, the same INSERT of a backfill's 116,800 rows run
by hand under auto_explain on a scratch database of this machine, took
about 770 ms. Its statement triggers took about 200 ms of that: the
workspace advisory lock 22 ms, the daily sums 68 ms, the monthly sums
85 ms and the connection check 23 ms. Most of the rest was the heap and
two index insertions, the primary key's and a workspace index's. Node.js
builds the statement's array literals in about 60 ms.
Before migration 0009 a foreign key checked each row's connection with a
trigger per row, and the upsert ran at about 66,000 rows a second, with
COPY at about 84,000. Removing the foreign key alone raised the upsert to
about 90,000 rows a second on the scratch database, and skipping ON
CONFLICT's probe for new connections to about 100,000. Reading the new
rows fewer times in the triggers and truncating months without a time
zone (migration 0010) took it to about 111,000 there. On the scale-100
data set of a later run it measured about 90,000, with COPY at about
107,000. Migration 0011 dropped the workspace index and made the primary
key carry the value and the workspace (INCLUDE), which serves every read
of \`metric_daily\`, since each filters on connection ids. That took the
upsert to about 150,000 rows a second and COPY to about 195,000 on the
same data set.
`;

function explainSection(results: Results): string {
  const query = results.dashboard_query;
  const html =
    typeof results.first_load_js === "object"
      ? `${results.first_load_js.html_kb} KiB`
      : "not measured";
  const plans = results.dashboard_explain
    .map((plan) => "```\n" + plan + "\n```")
    .join("\n\n");
  return `## Where the dashboard's time goes

The function sends ${query.statements} statements in ${query.waves} rounds:
the workspace's settings, connections and imported files first, then the
sums of both periods, the fetch times, the stored spans, the posts and
the range totals at the same time. Each period's sums are one statement.
Its chart part reads \`workspace_daily_sums\`, which triggers on
\`metric_daily\` keep per workspace, metric and day: 6 metrics × 365 days
= 2,190 entries. Its totals part reads \`connection_monthly_sums\` for
the whole months of the range (20 connections × 6 metrics × 11 or 12
months) and \`metric_daily\` for the days around them, about 5,000
entries in all. Without the stored sums the same statement read 20 × 6 ×
365 = 43,800 entries of \`metric_daily\` and aggregated them twice with
GROUPING SETS, which was most of its time. Every scan is index-only: the
sums' indexes end with the value, and \`metric_daily\`'s primary key
carries it. The fetch times take one index probe per
connection and metric, and the stored spans (first and last stored day,
and the not-synced gaps) three. That work grows with the
workspace's connections and range, not with the table, which is what
\`dashboard_growth\` checks. Beyond the SQL, the function builds the
zero-filled series in JavaScript (6 × 365 points with their previous
period), and that is most of the difference between its time and the
floor's.

Over HTTP the page is a file written by \`next build\` (${html} of HTML
in this run), so \`next start\` sends it without rendering and without
a database query, which is why it answers faster than the health check.
The session, the user's workspaces, the consent and the LinkedIn-Version
record come through the \`loadAccount\` server action
(\`dashboard_http.account_*\`), and the figures and the series through
\`loadDashboard\` (\`dashboard_http.data_*\`), so a visit computes the
view once. Under load on two cores rendering and serializing, not the
SQL, is most of the data request: compare \`dashboard_http.data_p50_ms\`
with \`dashboard_query.p50_ms\`. The page used to be rendered per
request: the server read the session, workspaces, consent and version
record, and rendered the layout and the view's controls to HTML. It then
served about 190 requests per second at a p99 4.6 times the health
check's. Most of
that was the work Next.js does for every rendered page, which a page
prerendered at build time skips. Its inline scripts cannot carry a
per-request nonce, so \`proxy.ts\` sends it a policy that allows them
by their SHA-256 hashes, read from the build and from the copy Next.js
serves (\`lib/security/prerendered.ts\`), and its script files by origin. No
\`'unsafe-inline'\` is needed, and every other page keeps its nonce.

EXPLAIN (ANALYZE, BUFFERS) of each statement at the largest scale, run once
after the timed runs:

${plans}`;
}

export function renderReport(results: Results): string {
  const rows = summaryRows(results);
  return `# Benchmarks

Generated by \`npm run bench\` (\`bench/run.ts\`) on
${results.generated_at.slice(0, 10)}; rerunning it rewrites this page and
\`bench/results.json\`, which holds the same figures under the same keys.
Times are in milliseconds unless the name says otherwise.

${table(["figure", "median", "min – max", "target"], rows)}

${machineSection(results)}

${METHOD}

${explainSection(results)}

${INGEST_TIME}

${TARGETS}

${erasureReading(results)}

${REPRODUCE}
`;
}
