import type { BackfillFigures } from "./backfill";
import type { DashboardFigures } from "./dashboard";
import type { FirstLoadFigures, HttpFigures } from "./http";
import type { IngestFigures } from "./ingest";
import type { Machine } from "./machine";
import type { PrivacyFigures } from "./privacy";
import { round, type Spread } from "./stats";

// The machine-readable results. Every figure is the median over the runs;
// `spread` contains the min and max of the same figure under the same key.

export const NOT_MEASURED = "not measured yet";

export type DataSet = {
  workspaces: number;
  connectionsPerWorkspace: number;
  days: number;
  series: string[];
  metricDailyRows: number;
  tableMb: number;
  seedSeconds: number;
};

export type GrowthStep = { scale: number; figures: DashboardFigures };

export type BenchRun = {
  startedAt: Date;
  scale: number;
  quick: boolean;
  machine: Machine;
  dataSet: DataSet;
  iterations: number;
  growth: GrowthStep[];
  http: HttpFigures | null;
  firstLoad: FirstLoadFigures | null;
  ingest: IngestFigures | null;
  backfill: BackfillFigures | null;
  privacy: PrivacyFigures | null;
};

/** Medians under the figures' keys, with their min and max under `spread`. */
function section<Key extends string>(
  figures: Record<Key, Spread>,
  digits = 2,
): Record<Key, number> & { spread: Record<Key, { min: number; max: number }> } {
  const values = {} as Record<Key, number>;
  const spread = {} as Record<Key, { min: number; max: number }>;
  for (const key of Object.keys(figures) as Key[]) {
    const value = figures[key];
    values[key] = round(value.median, digits);
    spread[key] = {
      min: round(value.min, digits),
      max: round(value.max, digits),
    };
  }
  return { ...values, spread };
}

/** Buffers read at the largest scale over those at the smallest. */
function bufferRatio(growth: GrowthStep[]): number | null {
  const first = growth[0]?.figures.buffers;
  const last = growth.at(-1)?.figures.buffers;
  return first && last ? round(last / first) : null;
}

export function finalDashboard(run: BenchRun): DashboardFigures {
  const last = run.growth.at(-1);
  if (!last) throw new Error("no dashboard measurement");
  return last.figures;
}

export function buildResults(run: BenchRun) {
  const dashboard = finalDashboard(run);
  const first = run.growth[0]?.figures;
  const growthRatio = first
    ? dashboard.functionP95.median / first.functionP95.median
    : null;
  const { http, firstLoad, ingest, backfill } = run;
  return {
    generated_at: run.startedAt.toISOString(),
    scale: run.scale,
    quick: run.quick,
    machine: run.machine,
    data_set: run.dataSet,
    dashboard_query: {
      ...section({
        p50_ms: dashboard.functionP50,
        p95_ms: dashboard.functionP95,
        bare_p50_ms: dashboard.bareP50,
        bare_p95_ms: dashboard.bareP95,
        ratio_p95: dashboard.ratioP95,
      }),
      runs: dashboard.rounds.length,
      iterations_per_run: run.iterations,
      statements: dashboard.statements,
      waves: dashboard.waves,
      buffers: dashboard.buffers,
      targets: { ratio_p95: "<= 1.5", p95_ms: "< 50 at scale 100" },
    },
    // EXPLAIN (ANALYZE, BUFFERS) of each statement, after the timed runs.
    dashboard_explain: dashboard.explain,
    dashboard_growth: {
      scales: run.growth.map((step) => step.scale),
      p95_ms: run.growth.map((step) => round(step.figures.functionP95.median)),
      bare_p95_ms: run.growth.map((step) => round(step.figures.bareP95.median)),
      buffers: run.growth.map((step) => step.figures.buffers),
      buffers_ratio: bufferRatio(run.growth),
      ratio: growthRatio === null ? null : round(growthRatio),
      targets: { ratio: "<= 1.5" },
    },
    dashboard_http: http
      ? {
          ...section({
            requests_per_second: http.dashboardRps,
            p50_ms: http.dashboardP50,
            p99_ms: http.dashboardP99,
            health_p99_ms: http.healthP99,
            ratio_p99: http.ratioP99,
            account_requests_per_second: http.accountRps,
            account_p50_ms: http.accountP50,
            account_p99_ms: http.accountP99,
            account_ratio_p99: http.accountRatioP99,
            data_requests_per_second: http.dataRps,
            data_p50_ms: http.dataP50,
            data_p99_ms: http.dataP99,
            data_ratio_p99: http.dataRatioP99,
          }),
          errors: http.dashboardErrors,
          account_errors: http.accountErrors,
          data_errors: http.dataErrors,
          data_response_kb: round(http.dataResponseKb, 1),
          connections: http.connections,
          duration_seconds: http.durationSeconds,
          runs: http.rounds.length,
          targets: { errors: "0", ratio_p99: "<= 3" },
        }
      : NOT_MEASURED,
    first_load_js_kb: firstLoad ? round(firstLoad.gzipKb, 1) : NOT_MEASURED,
    first_load_js: firstLoad
      ? {
          scripts: firstLoad.scripts,
          raw_kb: round(firstLoad.rawKb, 1),
          html_kb: round(firstLoad.htmlKb, 1),
          gzip_kb: round(firstLoad.gzipKb, 1),
          nomodule_gzip_kb: round(firstLoad.noModuleGzipKb, 1),
          method:
            "external <script src> files of GET /dashboard from next start, each gzipped with zlib level 6; nomodule scripts apart",
        }
      : NOT_MEASURED,
    ingest: ingest
      ? {
          ...section(
            {
              upsert_rows_per_second: ingest.upsertRowsPerSecond,
              copy_rows_per_second: ingest.copyRowsPerSecond,
              ratio: ingest.ratio,
            },
            3,
          ),
          rows_per_run: ingest.rowsPerRun,
          runs: ingest.rounds.length,
          floor: "psql \\copy ... from pstdin (csv)",
          targets: { upsert_rows_per_second: ">= 100000", ratio: ">= 0.3" },
        }
      : NOT_MEASURED,
    backfill: backfill
      ? {
          ...section({
            wall_seconds: backfill.wallSeconds,
            calls_per_second: backfill.callsPerSecond,
          }),
          matches_truth: backfill.matchesTruth,
          connections: backfill.connections,
          days: backfill.days,
          concurrency: backfill.concurrency,
          calls_per_run: backfill.rounds.map((entry) => entry.calls),
          runs: backfill.rounds.length,
          targets: { matches_truth: "true" },
        }
      : NOT_MEASURED,
    ...privacyResults(run.privacy, run.startedAt, run.machine),
  };
}

/**
 * The export and erasure sections. Each carries its own run date and load
 * average, because `--only export,erasure` rewrites them alone.
 */
export function privacyResults(
  privacy: PrivacyFigures | null,
  startedAt: Date,
  machine: Machine,
) {
  const measuredAt = startedAt.toISOString();
  const exported = privacy?.export;
  const erased = privacy?.erasure;
  return {
    export: exported
      ? {
          wall_seconds: round(exported.wallSeconds),
          rows_per_second: Math.round(exported.rowsPerSecond),
          zip_mb_per_second: round(exported.zipMbPerSecond),
          zip_mb: round(exported.zipBytes / 1024 ** 2, 1),
          peak_rss_above_idle_mb: round(exported.peakAboveIdleMb, 1),
          max_rss_above_idle_mb: round(exported.maxRssAboveIdleMb, 1),
          idle_rss_mb: round(exported.idleRssMb, 1),
          rss_samples: exported.samples,
          metric_daily_rows: exported.metricRows,
          runs: 1,
          measured_at: measuredAt,
          load_average: machine.loadAverage,
          method:
            "exportPersonalData streamed to the end in a child process (bench/export-child.ts); RSS sampled every 50 ms",
          targets: { peak_rss_above_idle_mb: "< 256" },
        }
      : { status: NOT_MEASURED },
    erasure: erased
      ? {
          wall_seconds: round(erased.wallSeconds),
          removed_metric_daily_rows: erased.removedMetricRows,
          workspaces_deleted: erased.workspacesDeleted,
          tokens_revoked: erased.tokensRevoked,
          tokens_not_revoked: erased.tokensNotRevoked,
          other_dashboard_max_ms: round(erased.dashboardMaxMs),
          other_dashboard_p50_ms: round(erased.dashboardP50Ms),
          other_dashboard_loads: erased.dashboardLoads,
          other_dashboard_lock_waits: erased.dashboardWaits.lockWaits,
          other_dashboard_active_samples: erased.dashboardWaits.active,
          other_dashboard_wait_events: erased.dashboardWaits.byEvent,
          baseline_dashboard_max_ms: round(erased.baselineMaxMs),
          baseline_dashboard_p50_ms: round(erased.baselineP50Ms),
          baseline_dashboard_loads: erased.baselineLoads,
          baseline_dashboard_lock_waits: erased.baselineWaits.lockWaits,
          baseline_dashboard_active_samples: erased.baselineWaits.active,
          baseline_dashboard_wait_events: erased.baselineWaits.byEvent,
          runs: 1,
          measured_at: measuredAt,
          load_average: machine.loadAverage,
          method:
            "eraseUser while another workspace's dashboard loads in a loop, then the same loop alone for as long; pg_stat_activity sampled every 10 ms for the dashboard pool's active backends",
          targets: { other_dashboard_max_ms: "<= 100" },
        }
      : { status: NOT_MEASURED },
  };
}

export type Results = ReturnType<typeof buildResults>;
