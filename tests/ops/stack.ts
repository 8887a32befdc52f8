import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import PgBoss from "pg-boss";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import type { KeyRing } from "@/lib/crypto/tokens";
import { openDatabase, type DatabaseHandle } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { metricDaily, sessions } from "@/lib/db/schema";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { QUEUES, createQueues, type SyncJob } from "@/lib/sync/queue";
import {
  TEST_CLIENT,
  TEST_REDIRECT_URI,
  fetchTruth,
} from "../helpers/emulator";

// Runs Inview as in production for the operations tests: `next start` web
// processes and `scripts/worker.ts` workers as child processes, on a fresh
// database of the Postgres server in TEST_DATABASE_URL, with the LinkedIn
// emulator in this process. The production build must exist (`npx next
// build`); scripts/test.sh builds it before this stage.

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/** Ports of the operations tests, apart from the e2e tests' and other suites'. */
export const OPS_PORTS = {
  apps: [3388, 3389],
  emulator: 4388,
  databaseProxy: 4389,
} as const;

export const SESSION_COOKIE = "authjs.session-token";

export const sleep = (ms: number) =>
  new Promise((done) => setTimeout(done, ms));

/** Polls `check` every 200 ms until it returns true, or throws after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  description: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A request to a process that is still starting; try again.
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${description}`,
      );
    await sleep(200);
  }
}

/** Returns the server URL from TEST_DATABASE_URL, or null when the stage is skipped. */
export function serverUrl(): string | null {
  return process.env.TEST_DATABASE_URL || null;
}

export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID")))
    throw new Error(
      "The production build is missing: run `npx next build` before `npm run test:ops`.",
    );
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export type OpsDatabase = DatabaseHandle & {
  url: string;
  drop(): Promise<void>;
};

/** Creates and migrates a database `inview_ops_<random>` on the test server. */
export async function createOpsDatabase(server: string): Promise<OpsDatabase> {
  const name = `inview_ops_${randomBytes(5).toString("hex")}`;
  await adminQuery(server, `create database ${name}`);
  const parsed = new URL(server);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const handle = openDatabase({ databaseUrl: url });
  await migrateDatabase(handle);
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      await adminQuery(server, `drop database if exists ${name} with (force)`);
    },
  };
}

/**
 * A TCP proxy on loopback between the processes and Postgres. `cut()`
 * destroys every open connection and stops listening, so new connections
 * are refused as by a server that is down; `restore()` listens again.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Returns the URL that reaches `databaseUrl`'s database through this proxy. */
  urlFor(databaseUrl: string): string {
    const parsed = new URL(databaseUrl);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async restore(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((done) => server.close(done));
  }
}

export type ProcessEnv = Record<string, string>;

/** A child process with its captured output, for failure messages. */
export class Child {
  readonly output: string[] = [];
  readonly process: ChildProcess;
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    args: string[],
    env: ProcessEnv,
  ) {
    this.process = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => {
      this.output.push(String(chunk));
      if (this.output.length > 400) this.output.splice(0, 100);
    };
    this.process.stdout?.on("data", keep);
    this.process.stderr?.on("data", keep);
    this.exited = new Promise((done) =>
      this.process.once("exit", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        done();
      }),
    );
  }

  get running(): boolean {
    return this.exitCode === null && this.exitSignal === null;
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (!this.running) return;
    this.process.kill(signal);
    const forced = setTimeout(() => this.process.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(forced);
  }

  /** Returns the last 40 lines of output, each cut to 600 characters. */
  describe(): string {
    const lines = this.output
      .join("")
      .split("\n")
      .map((line) => line.slice(0, 600))
      .slice(-40);
    return `--- ${this.name} (exit ${this.exitCode ?? this.exitSignal ?? "running"}) ---\n${lines.join("\n")}`;
  }
}

export type StackOptions = {
  /** Database URL the web processes and workers use (a proxy's, for outages). */
  databaseUrl: string;
  keyRing: KeyRing;
  emulatorUrl: string;
  extraEnv?: ProcessEnv;
};

function processEnv(options: StackOptions, dataDir: string): ProcessEnv {
  const [kid, key] = [...options.keyRing.keys.entries()][0]!;
  return {
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(33).toString("base64"),
    TOKEN_ENCRYPTION_KEYS: `${kid}:${key.toString("base64")}`,
    RUN_WORKER_IN_WEB: "false",
    LINKEDIN_CLIENT_ID: TEST_CLIENT.clientId,
    LINKEDIN_CLIENT_SECRET: TEST_CLIENT.clientSecret,
    LINKEDIN_API_BASE: options.emulatorUrl,
    LINKEDIN_OAUTH_BASE: options.emulatorUrl,
    SYNC_RETRY_LIMIT: "8",
    SYNC_RETRY_DELAY_SECONDS: "1",
    SYNC_JOB_EXPIRE_SECONDS: "20",
    JOB_MAINTENANCE_SECONDS: "1",
    LOG_LEVEL: "warn",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.extraEnv,
  };
}

/** Web processes and workers started from one set of options; `stop()` ends them all. */
export class Stack {
  readonly apps: Child[] = [];
  readonly workers: Child[] = [];
  readonly dataDir = mkdtempSync(path.join(tmpdir(), "inview-ops-"));
  // Every process gets the same AUTH_SECRET, as replicas must.
  private readonly env: ProcessEnv;

  constructor(readonly options: StackOptions) {
    this.env = processEnv(options, this.dataDir);
  }

  appUrl(index = 0): string {
    return `http://127.0.0.1:${OPS_PORTS.apps[index]}`;
  }

  /** Starts `next start` on the index's port and waits for /api/health. */
  async startApp(index = 0): Promise<Child> {
    const port = OPS_PORTS.apps[index]!;
    const child = new Child(
      `web ${port}`,
      [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"],
      { ...this.env, APP_URL: `http://127.0.0.1:${port}` },
    );
    this.apps[index] = child;
    await waitFor(
      async () => {
        if (!child.running) throw new Error(child.describe());
        return (await fetch(`${this.appUrl(index)}/api/health`)).ok;
      },
      60_000,
      `the web process on port ${port}\n${child.describe()}`,
    ).catch((error: unknown) => {
      if (!child.running) throw new Error(child.describe());
      throw error;
    });
    return child;
  }

  /** Starts a worker and waits for its "worker running" log line. */
  async startWorker(): Promise<Child> {
    const child = new Child(
      `worker ${this.workers.length + 1}`,
      ["--import", "tsx", "scripts/worker.ts"],
      { ...this.env, LOG_LEVEL: "info" },
    );
    this.workers.push(child);
    await waitFor(
      async () => {
        if (!child.running) throw new Error(child.describe());
        return child.output.join("").includes("worker running");
      },
      60_000,
      `${child.name} to start`,
    );
    return child;
  }

  describe(): string {
    return [...this.apps, ...this.workers]
      .map((child) => child.describe())
      .join("\n");
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.apps, ...this.workers].map((child) => child.stop()),
    );
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function newKeyRing(): KeyRing {
  return { currentKeyId: "ops", keys: new Map([["ops", randomBytes(32)]]) };
}

export async function startOpsEmulator(): Promise<RunningEmulator> {
  return startEmulator({
    port: OPS_PORTS.emulator,
    ...TEST_CLIENT,
    redirectUris: [TEST_REDIRECT_URI],
  });
}

/**
 * Inserts a database session for the user, as Auth.js does at sign-in, and
 * returns the cookie value. The row stores the SHA-256 hex of the value.
 */
export async function createSession(
  handle: DatabaseHandle,
  userId: string,
): Promise<string> {
  const token = randomUUID();
  await handle.db.insert(sessions).values({
    sessionToken: createHash("sha256").update(token).digest("hex"),
    userId,
    expires: new Date(Date.now() + 24 * 3_600_000),
  });
  return token;
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * Opens `path` of the app in Chromium with the session `cookie` (as
 * `sessionCookie` writes it) and returns what `read` takes from the page.
 * The browser is closed afterwards.
 */
export async function readInBrowser<T>(
  app: string,
  cookie: string,
  path: string,
  read: (page: Page) => Promise<T>,
): Promise<T> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const context = await browser.newContext();
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url: app }]);
    const page = await context.newPage();
    await page.goto(`${app}${path}`);
    return await read(page);
  } finally {
    await browser.close();
  }
}

/**
 * Starts the test's pg-boss client, which sends sync jobs and reads their
 * state. Its queue settings overwrite the processes' ones, so
 * `jobExpireSeconds` must match their SYNC_JOB_EXPIRE_SECONDS.
 */
export async function startTestBoss(
  databaseUrl: string,
  jobExpireSeconds = 20,
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: 2,
  });
  boss.on("error", () => {
    // The test database is dropped at the end; nothing to report.
  });
  await boss.start();
  await createQueues(boss, {
    retryLimit: 8,
    retryDelaySeconds: 1,
    jobExpireSeconds,
  });
  return boss;
}

export async function sendSync(
  boss: PgBoss,
  connectionId: string,
  mode: SyncJob["mode"] = "backfill",
): Promise<string | null> {
  return boss.send(QUEUES.sync, { connectionId, mode } satisfies SyncJob, {
    singletonKey: connectionId,
  });
}

/** Waits until no sync job is active, retrying or due. */
export async function waitForSyncsIdle(
  handle: DatabaseHandle,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () => {
      const result = (await handle.db.execute(sql`
        select count(*)::int as due from pgboss.job
        where name = ${QUEUES.sync}
          and (state in ('active', 'retry')
            or (state = 'created' and start_after <= now()))`)) as {
        rows: { due: number }[];
      };
      return result.rows[0]?.due === 0;
    },
    timeoutMs,
    "the sync jobs to finish",
  );
}

export type EmulatorCalls = {
  total: number;
  byEndpoint: Record<string, number>;
  byMember: Record<string, number>;
};

export async function emulatorCalls(
  emulator: RunningEmulator,
): Promise<EmulatorCalls> {
  const response = await fetch(`${emulator.url}/__emulator/calls`);
  return (await response.json()) as EmulatorCalls;
}

/**
 * Compares every daily series stored for the connection with the emulator's
 * truth over the backfill range (the 365 days before today, UTC) and
 * returns the mismatches as "metric day: stored != truth" lines.
 */
export async function compareWithTruth(
  handle: DatabaseHandle,
  emulator: RunningEmulator,
  input: { connectionId: string; subject: string },
): Promise<{ metrics: string[]; rows: number; mismatches: string[] }> {
  const yesterday = addDays(todayUtc(new Date()), -1);
  const range = { from: addDays(yesterday, -364), to: yesterday };
  const stored = await handle.db
    .select({
      metric: metricDaily.metric,
      day: metricDaily.day,
      value: metricDaily.value,
    })
    .from(metricDaily)
    .where(eq(metricDaily.connectionId, input.connectionId));
  const metrics = [...new Set(stored.map((row) => row.metric))].sort();
  const mismatches: string[] = [];
  for (const metric of metrics) {
    const truth = await fetchTruth(emulator, input.subject, metric, range);
    const truthByDay = new Map(truth.map((point) => [point.day, point.value]));
    const rows = stored.filter((row) => row.metric === metric);
    if (rows.length !== 365)
      mismatches.push(`${metric}: ${rows.length} days stored, expected 365`);
    for (const row of rows) {
      const expected = truthByDay.get(row.day) ?? 0;
      if (row.value !== expected)
        mismatches.push(`${metric} ${row.day}: ${row.value} != ${expected}`);
    }
  }
  return { metrics, rows: stored.length, mismatches };
}
