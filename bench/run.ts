// npm run bench [-- --scale S | --quick] [--app-port P] [--emulator-port Q] [--database NAME]
// npm run bench -- --only export,erasure [--export-rows N] [--emulator-port Q] [--database NAME]
// npm run bench -- --report    (rewrites docs/benchmarks.md from bench/results.json)
//
// Builds the bench data set in its own database, measures Inview against
// the floor of its stack and writes bench/results.json and
// docs/benchmarks.md. Progress goes to stderr.

import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import * as prettier from "prettier";
import { measureBackfill } from "./backfill";
import { openDashboardBench } from "./dashboard";
import {
  createBenchDatabase,
  DEFAULT_BENCH_DATABASE,
  DEFAULT_SERVER_URL,
  openBenchDatabase,
} from "./database";
import { measureFirstLoad, measureHttp, startApp } from "./http";
import { measureIngest } from "./ingest";
import { describeMachine } from "./machine";
import { measurePrivacy } from "./privacy";
import { renderReport } from "./report";
import {
  buildResults,
  privacyResults,
  type BenchRun,
  type GrowthStep,
  type Results,
} from "./results";
import {
  BENCH_SERIES,
  CONNECTIONS_PER_WORKSPACE,
  DAYS_OF_HISTORY,
  growDataSet,
} from "./seed";
import { elapsedMs, round } from "./stats";

const QUICK_SCALE = 5;
const DEFAULT_SCALE = 100;
const DEFAULT_EXPORT_ROWS = 1_000_000;
const QUICK_EXPORT_ROWS = 100_000;
/** Sections that `--only` can run alone; the others need the full data set. */
const ONLY_SECTIONS = ["export", "erasure"] as const;
type OnlySection = (typeof ONLY_SECTIONS)[number];

/** Run counts and lengths, smaller with --quick so the harness checks in a minute or two. */
function plan(quick: boolean) {
  return quick
    ? {
        dashboardRounds: 3,
        dashboardIterations: 20,
        ingestRounds: 2,
        backfillConnections: 10,
        backfillRounds: 1,
        httpRounds: 1,
        httpSeconds: 5,
      }
    : {
        dashboardRounds: 5,
        dashboardIterations: 40,
        ingestRounds: 5,
        backfillConnections: 100,
        backfillRounds: 3,
        httpRounds: 3,
        httpSeconds: 30,
      };
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      scale: { type: "string" },
      quick: { type: "boolean", default: false },
      report: { type: "boolean", default: false },
      "app-port": { type: "string", default: "3355" },
      "emulator-port": { type: "string", default: "4355" },
      only: { type: "string" },
      "export-rows": { type: "string" },
      database: { type: "string", default: DEFAULT_BENCH_DATABASE },
    },
  });
  const scale = values.quick
    ? QUICK_SCALE
    : Number(values.scale ?? DEFAULT_SCALE);
  if (!Number.isInteger(scale) || scale < 1)
    throw new Error(
      `--scale must be a whole number of workspaces of at least 1, got "${values.scale}"`,
    );
  const exportRows = Number(
    values["export-rows"] ??
      (values.quick ? QUICK_EXPORT_ROWS : DEFAULT_EXPORT_ROWS),
  );
  if (!Number.isInteger(exportRows) || exportRows < 1)
    throw new Error(
      `--export-rows must be a whole number of metric_daily rows of at least 1, got "${values["export-rows"]}"`,
    );
  return {
    scale,
    exportRows,
    only: values.only === undefined ? null : parseOnly(values.only),
    quick: values.quick,
    reportOnly: values.report,
    appPort: Number(values["app-port"]),
    emulatorPort: Number(values["emulator-port"]),
    database: values.database,
  };
}

function parseOnly(text: string): Set<OnlySection> {
  const names = text.split(",").map((name) => name.trim());
  const unknown = names.filter(
    (name) => !(ONLY_SECTIONS as readonly string[]).includes(name),
  );
  if (unknown.length || names.length === 0)
    throw new Error(
      `--only accepts a comma-separated list of ${ONLY_SECTIONS.join(", ")}; got "${text}"`,
    );
  return new Set(names as OnlySection[]);
}

/** Returns the growth steps: S/20, S/4 and S workspaces (5, 25, 100 at the default scale). */
function growthSteps(scale: number): number[] {
  const steps = [Math.ceil(scale / 20), Math.ceil(scale / 4), scale];
  return [...new Set(steps)];
}

const say = (message: string) => console.error(`bench: ${message}`);

async function tableFacts(client: pg.ClientBase) {
  const result = await client.query<{ rows: string; bytes: string }>(
    `select count(*) as rows,
       pg_total_relation_size('metric_daily') as bytes from metric_daily`,
  );
  const row = result.rows[0];
  return {
    rows: Number(row?.rows ?? 0),
    mb: Math.round(Number(row?.bytes ?? 0) / 1024 ** 2),
  };
}

/** Writes a file as Prettier formats it, so `npm test`'s format check passes. */
async function writeFormatted(file: string, text: string): Promise<void> {
  const config = await prettier.resolveConfig(file);
  const formatted = await prettier.format(text, { ...config, filepath: file });
  fs.writeFileSync(file, formatted);
}

const RESULTS_PATH = "bench/results.json";
const REPORT_PATH = "docs/benchmarks.md";

/** Marks where docs/benchmarks.md's hand-written sections start. */
const HAND_WRITTEN_MARKER =
  "<!-- Sections below are written by hand; npm run bench keeps them. -->";

/**
 * Appends the hand-written tail of the current report (from the marker on)
 * to a newly generated one, so rerunning the bench keeps sections such as
 * the load test's figures.
 */
function withHandWrittenSections(generated: string): string {
  const current = fs.existsSync(REPORT_PATH)
    ? fs.readFileSync(REPORT_PATH, "utf8")
    : "";
  const start = current.indexOf(HAND_WRITTEN_MARKER);
  return start === -1
    ? generated
    : `${generated.trimEnd()}\n\n${current.slice(start)}`;
}

function readResults(): Results {
  return JSON.parse(fs.readFileSync(RESULTS_PATH, "utf8")) as Results;
}

/**
 * Measures the selected privacy sections on a fresh bench database with one
 * workspace, whose dashboard is loaded during the erasure, and rewrites only
 * those sections of bench/results.json and the page.
 */
async function runOnly(
  sections: Set<OnlySection>,
  exportRows: number,
  database: string,
  emulatorPort: number,
): Promise<void> {
  const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL;
  const startedAt = new Date();
  say(`creating the bench database on ${new URL(serverUrl).host}`);
  const url = await createBenchDatabase(serverUrl, database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    say("seeding one workspace for the dashboard loaded during the erasure");
    await growDataSet(client, 0, 1, startedAt);
    const privacy = await measurePrivacy(
      client,
      url,
      (applicationName) => openBenchDatabase(url, applicationName),
      {
        rows: exportRows,
        export: sections.has("export"),
        erasure: sections.has("erasure"),
        now: startedAt,
        emulatorPort,
      },
      say,
    );
    const measured = privacyResults(
      privacy,
      startedAt,
      await describeMachine(url),
    );
    const results = readResults();
    if (sections.has("export")) results.export = measured.export;
    if (sections.has("erasure")) results.erasure = measured.erasure;
    await writeFormatted(RESULTS_PATH, JSON.stringify(results, null, 2));
    await writeFormatted(
      REPORT_PATH,
      withHandWrittenSections(renderReport(results)),
    );
    say(
      `rewrote ${[...sections].join(", ")} in ${RESULTS_PATH}, ${REPORT_PATH}`,
    );
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.reportOnly) {
    await writeFormatted(
      REPORT_PATH,
      withHandWrittenSections(renderReport(readResults())),
    );
    say(`rewrote ${REPORT_PATH} from ${RESULTS_PATH}`);
    return;
  }
  if (options.only) {
    await runOnly(
      options.only,
      options.exportRows,
      options.database,
      options.emulatorPort,
    );
    return;
  }
  const counts = plan(options.quick);
  // The bench is a script outside the app, so it reads its one setting here.
  const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL;
  const startedAt = new Date();
  const now = new Date();

  say(`creating the bench database on ${new URL(serverUrl).host}`);
  const url = await createBenchDatabase(serverUrl, options.database);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const handle = openBenchDatabase(url);

  try {
    const growth: GrowthStep[] = [];
    let workspaces = 0;
    let seedMs = 0;
    for (const step of growthSteps(options.scale)) {
      say(`growing the data set to ${step} workspaces`);
      const seedStart = process.hrtime.bigint();
      await growDataSet(client, workspaces, step, now, (done, total) =>
        say(`  ${done} of ${total} new workspaces written`),
      );
      seedMs += elapsedMs(seedStart);
      workspaces = step;
      say(`timing the dashboard query at ${step} workspaces`);
      const bench = openDashboardBench(url, now);
      try {
        const figures = await bench.measure({
          rounds: counts.dashboardRounds,
          iterations: counts.dashboardIterations,
        });
        growth.push({ scale: step, figures });
        say(
          `  p95 ${round(figures.functionP95.median)} ms, bare ${round(figures.bareP95.median)} ms`,
        );
      } finally {
        await bench.close();
      }
    }
    const facts = await tableFacts(client);

    say("starting next start for the HTTP figures");
    const app = await startApp(client, url, {
      app: options.appPort,
      emulator: options.emulatorPort,
    });
    let firstLoad;
    let http;
    try {
      firstLoad = await measureFirstLoad(app);
      say(`loading /dashboard and /api/health, ${counts.httpRounds} runs`);
      http = await measureHttp(app, {
        rounds: counts.httpRounds,
        durationSeconds: counts.httpSeconds,
      });
    } finally {
      await app.stop();
    }

    say("timing the upsert path against COPY");
    const lastDay = new Date(now.getTime() - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const ingest = await measureIngest(handle, client, url, {
      rounds: counts.ingestRounds,
      lastDay,
    });

    say(`backfilling ${counts.backfillConnections} connections`);
    const backfill = await measureBackfill(handle, {
      connections: counts.backfillConnections,
      concurrency: 4,
      rounds: counts.backfillRounds,
    });

    const privacy = await measurePrivacy(
      client,
      url,
      (applicationName) => openBenchDatabase(url, applicationName),
      {
        rows: options.exportRows,
        export: true,
        erasure: true,
        now,
        emulatorPort: options.emulatorPort,
      },
      say,
    );

    const run: BenchRun = {
      startedAt,
      scale: options.scale,
      quick: options.quick,
      machine: await describeMachine(url),
      dataSet: {
        workspaces,
        connectionsPerWorkspace: CONNECTIONS_PER_WORKSPACE,
        days: DAYS_OF_HISTORY,
        series: BENCH_SERIES,
        metricDailyRows: facts.rows,
        tableMb: facts.mb,
        seedSeconds: round(seedMs / 1000, 1),
      },
      iterations: counts.dashboardIterations,
      growth,
      http,
      firstLoad,
      ingest,
      backfill,
      privacy,
    };
    const results = buildResults(run);
    await writeFormatted(RESULTS_PATH, JSON.stringify(results, null, 2));
    await writeFormatted(
      REPORT_PATH,
      withHandWrittenSections(renderReport(results)),
    );
    const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
    say(`done in ${seconds} s: ${RESULTS_PATH}, ${REPORT_PATH}`);
  } finally {
    await handle.close();
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error("bench: failed:", error);
  process.exitCode = 1;
});
