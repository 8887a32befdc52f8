import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { loadBenchDashboard } from "./dashboard-adapter";
import { userId, workspaceId } from "./seed";
import { percentile, spreadOf, timeMs, type Spread } from "./stats";

// Times the dashboard's metrics function against the bare SQL it sends. The
// SQL is recorded from the function itself, with the order in which its
// statements ran (one after another, or several at once), and replayed
// through a plain pg pool, so the floor follows the function when it changes.

type RecordedQuery = {
  text: string;
  values: unknown[];
  rowMode?: "array";
  startedAt: number;
  endedAt: number;
};

type QueryConfig = { text: string; rowMode?: "array" };

/** Opens a pg pool that records its `query` calls while `state.recording` is set. */
function recordingPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const state: { recording: RecordedQuery[] | null } = { recording: null };
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const recorded = async (...args: unknown[]): Promise<unknown> => {
    const list = state.recording;
    if (!list) return query(...args);
    const [first, values] = args as [QueryConfig | string, unknown[]?];
    const config = typeof first === "string" ? { text: first } : first;
    const startedAt = performance.now();
    const result = await query(...args);
    list.push({
      text: config.text,
      values: values ?? [],
      rowMode: config.rowMode,
      startedAt,
      endedAt: performance.now(),
    });
    return result;
  };
  (pool as unknown as { query: typeof recorded }).query = recorded;
  return { pool, state };
}

/** Groups queries into waves: a wave starts when every earlier query has ended. */
function toWaves(queries: RecordedQuery[]): RecordedQuery[][] {
  const sorted = [...queries].sort((a, b) => a.startedAt - b.startedAt);
  const waves: RecordedQuery[][] = [];
  let waveEnd = -Infinity;
  for (const entry of sorted) {
    const current = waves.at(-1);
    if (current && entry.startedAt < waveEnd) {
      current.push(entry);
    } else {
      waves.push([entry]);
    }
    waveEnd = Math.max(waveEnd, entry.endedAt);
  }
  return waves;
}

export type DashboardRound = {
  functionP50: number;
  functionP95: number;
  bareP50: number;
  bareP95: number;
  ratioP95: number;
};

export type DashboardFigures = {
  rounds: DashboardRound[];
  functionP50: Spread;
  functionP95: Spread;
  bareP50: Spread;
  bareP95: Spread;
  ratioP95: Spread;
  statements: number;
  waves: number;
  /** Shared buffers (8 KiB pages) the statements read, hit or not, by EXPLAIN. */
  buffers: number;
  explain: string[];
};

export type DashboardBench = {
  measure(options: {
    rounds: number;
    iterations: number;
  }): Promise<DashboardFigures>;
  close(): Promise<void>;
};

export function benchContext(): WorkspaceContext {
  return { userId: userId(1, 1), workspaceId: workspaceId(1), role: "owner" };
}

/** Reads hit + read of the first `Buffers:` line, which is the plan's top node. */
function planBuffers(plan: string): number {
  const line = /Buffers: shared(.*)/.exec(plan)?.[1] ?? "";
  const hit = Number(/hit=(\d+)/.exec(line)?.[1] ?? 0);
  const read = Number(/read=(\d+)/.exec(line)?.[1] ?? 0);
  return hit + read;
}

async function explainAll(
  pool: pg.Pool,
  queries: RecordedQuery[],
): Promise<string[]> {
  const plans: string[] = [];
  for (const entry of queries) {
    const result = await pool.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) ${entry.text}`,
      entry.values,
    );
    const plan = result.rows.map((row) => row["QUERY PLAN"]).join("\n");
    plans.push(`${entry.text}\n\n${plan}`);
  }
  return plans;
}

/** Opens the function's pool and the bare pool on the bench database. */
export function openDashboardBench(url: string, now: Date): DashboardBench {
  const recorder = recordingPool(url);
  const database = drizzle(recorder.pool, { schema }) as unknown as Database;
  const bare = new pg.Pool({ connectionString: url, max: 10 });
  const context = benchContext();

  const runFunction = () => loadBenchDashboard(database, context, now);

  async function recordWaves(): Promise<RecordedQuery[][]> {
    recorder.state.recording = [];
    await runFunction();
    const waves = toWaves(recorder.state.recording);
    recorder.state.recording = null;
    return waves;
  }

  async function runBare(waves: RecordedQuery[][]): Promise<void> {
    for (const wave of waves) {
      await Promise.all(
        wave.map((entry) =>
          bare.query({
            text: entry.text,
            values: entry.values,
            ...(entry.rowMode ? { rowMode: entry.rowMode } : {}),
          }),
        ),
      );
    }
  }

  async function measureRound(
    waves: RecordedQuery[][],
    iterations: number,
  ): Promise<DashboardRound> {
    const functionTimes: number[] = [];
    const bareTimes: number[] = [];
    // Alternating the two keeps load from other processes even between them.
    for (let index = 0; index < iterations; index++) {
      functionTimes.push(await timeMs(runFunction));
      bareTimes.push(await timeMs(() => runBare(waves)));
    }
    const functionP95 = percentile(functionTimes, 95);
    const bareP95 = percentile(bareTimes, 95);
    return {
      functionP50: percentile(functionTimes, 50),
      functionP95,
      bareP50: percentile(bareTimes, 50),
      bareP95,
      ratioP95: functionP95 / bareP95,
    };
  }

  return {
    async measure({ rounds, iterations }) {
      const waves = await recordWaves();
      for (let index = 0; index < 10; index++) {
        await runFunction();
        await runBare(waves);
      }
      const results: DashboardRound[] = [];
      for (let round = 0; round < rounds; round++) {
        results.push(await measureRound(waves, iterations));
      }
      const explain = await explainAll(bare, waves.flat());
      const pick = (key: keyof DashboardRound) =>
        spreadOf(results.map((entry) => entry[key]));
      return {
        rounds: results,
        functionP50: pick("functionP50"),
        functionP95: pick("functionP95"),
        bareP50: pick("bareP50"),
        bareP95: pick("bareP95"),
        ratioP95: pick("ratioP95"),
        statements: waves.flat().length,
        waves: waves.length,
        buffers: explain.reduce((sum, plan) => sum + planBuffers(plan), 0),
        explain,
      };
    },
    async close() {
      await recorder.pool.end();
      await bare.end();
    },
  };
}
