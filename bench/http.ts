import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import type pg from "pg";
import { parseViewParams } from "@/lib/metrics/view";
import { userId, workspaceId } from "./seed";
import { spreadOf, type Spread } from "./stats";

// The dashboard over HTTP from `next start` under concurrent clients: the
// prerendered page, the server action call that loads the caller's frame
// (header, workspace, consent) and the one that brings the figures and
// series, beside /api/health under the same load. Also the gzipped
// JavaScript the dashboard page loads first.

export type HttpRound = {
  dashboardRps: number;
  dashboardP50: number;
  dashboardP99: number;
  dashboardErrors: number;
  accountRps: number;
  accountP50: number;
  accountP99: number;
  accountErrors: number;
  dataRps: number;
  dataP50: number;
  dataP99: number;
  dataErrors: number;
  healthRps: number;
  healthP50: number;
  healthP99: number;
  healthErrors: number;
  ratioP99: number;
  accountRatioP99: number;
  dataRatioP99: number;
};

export type HttpFigures = {
  connections: number;
  durationSeconds: number;
  rounds: HttpRound[];
  dashboardRps: Spread;
  dashboardP50: Spread;
  dashboardP99: Spread;
  dashboardErrors: number;
  accountRps: Spread;
  accountP50: Spread;
  accountP99: Spread;
  accountErrors: number;
  dataRps: Spread;
  dataP50: Spread;
  dataP99: Spread;
  dataErrors: number;
  healthP99: Spread;
  ratioP99: Spread;
  accountRatioP99: Spread;
  dataRatioP99: Spread;
  /** Size of one data response as sent, before compression, in KiB. */
  dataResponseKb: number;
};

export type FirstLoadFigures = {
  htmlKb: number;
  scripts: number;
  rawKb: number;
  gzipKb: number;
  /** Gzipped `<script nomodule>` files, which module-capable browsers skip. */
  noModuleGzipKb: number;
};

export type RunningApp = {
  url: string;
  cookie: string;
  stop(): Promise<void>;
};

/** Inserts a database session for the bench's first user and returns its cookie. */
async function createSessionCookie(client: pg.ClientBase): Promise<string> {
  const token = randomBytes(32).toString("hex");
  const hash = createHash("sha256").update(token).digest("hex");
  await client.query(
    `insert into sessions (session_token_hash, user_id, expires)
     values ($1, $2, now() + interval '1 day')`,
    [hash, userId(1, 1)],
  );
  return `authjs.session-token=${token}`;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`next start exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(
    `next start did not respond on ${url}/api/health within 60 s`,
  );
}

/** Starts the production build with `next start` on the bench database. */
export async function startApp(
  client: pg.ClientBase,
  databaseUrl: string,
  ports: { app: number; emulator: number },
): Promise<RunningApp> {
  if (!fs.existsSync(path.join(".next", "BUILD_ID")))
    throw new Error(
      "No production build in .next: run `npx next build` first.",
    );
  const url = `http://127.0.0.1:${ports.app}`;
  const child = spawn(
    "npx",
    ["next", "start", "-p", String(ports.app), "-H", "127.0.0.1"],
    {
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: databaseUrl,
        APP_URL: url,
        AUTH_SECRET: randomBytes(33).toString("base64"),
        TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64")}`,
        LINKEDIN_EMULATOR_PORT: String(ports.emulator),
        RUN_WORKER_IN_WEB: "false",
        LOG_LEVEL: "warn",
      },
    },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((done) => child.once("exit", done));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  };
  try {
    await waitForHealth(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, cookie: await createSessionCookie(client), stop };
}

function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  post?: { body: string },
) {
  return autocannon({
    url,
    connections: 20,
    duration: seconds,
    headers,
    ...(post ? { method: "POST" as const, body: post.body } : {}),
  });
}

/** The server actions a visit to the dashboard calls after hydration. */
const ACCOUNT_ACTION = {
  file: "app/(prerendered)/actions.ts",
  name: "loadAccount",
};
const DATA_ACTION = {
  file: "app/(prerendered)/dashboard/actions.ts",
  name: "loadDashboard",
};

/**
 * Reads the id of a server action from the build's server-reference
 * manifest, the id the browser sends in `Next-Action`.
 */
function actionId(action: { file: string; name: string }): string {
  const manifestPath = path.join(
    ".next",
    "server",
    "server-reference-manifest.json",
  );
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const entry = Object.entries(manifest.node).find(
    ([, found]) =>
      found.filename === action.file && found.exportedName === action.name,
  );
  if (!entry)
    throw new Error(
      `${manifestPath} has no server action ${action.name} of ${action.file}: rebuild with \`npx next build\``,
    );
  return entry[0];
}

/**
 * Builds a server action call from `/dashboard?range=365`: a POST to the
 * page with the action id and the arguments as React encodes plain JSON.
 */
function actionRequest(
  app: RunningApp,
  action: { file: string; name: string },
  args: unknown[],
) {
  return {
    url: `${app.url}/dashboard?range=365`,
    headers: {
      cookie: app.cookie,
      accept: "text/x-component",
      "content-type": "text/plain;charset=UTF-8",
      "next-action": actionId(action),
    },
    body: JSON.stringify(args),
  };
}

/** Builds the call that loads the caller's frame: header, workspace and consent. */
function accountRequest(app: RunningApp) {
  return actionRequest(app, ACCOUNT_ACTION, []);
}

/** Builds the call that loads the view of `/dashboard?range=365` with its series. */
function dataRequest(app: RunningApp) {
  const view = parseViewParams({ range: "365" });
  return actionRequest(app, DATA_ACTION, [
    { workspaceId: workspaceId(1), view },
  ]);
}

/**
 * Sends a server action call once and returns its response's body, after
 * checking that it succeeded and contains `expected`.
 */
async function sendOnce(
  request: ReturnType<typeof actionRequest>,
  action: { name: string },
  expected: { text: string; what: string },
): Promise<string> {
  const response = await fetch(request.url, {
    method: "POST",
    headers: request.headers,
    body: request.body,
    redirect: "manual",
  });
  const text = await response.text();
  if (response.status !== 200 || !text.includes(expected.text))
    throw new Error(
      `POST /dashboard with the ${action.name} action returned ${response.status} without ${expected.what}: ${text.slice(0, 300)}`,
    );
  return text;
}

const errorsOf = (result: autocannon.Result) =>
  result.errors + result.timeouts + result.non2xx;

export async function measureHttp(
  app: RunningApp,
  options: { rounds: number; durationSeconds: number },
): Promise<HttpFigures> {
  const dashboardUrl = `${app.url}/dashboard?range=365`;
  const check = await fetch(dashboardUrl, {
    headers: { cookie: app.cookie },
    redirect: "manual",
  });
  if (check.status !== 200)
    throw new Error(
      `GET /dashboard with the bench session returned ${check.status}, expected 200`,
    );

  const account = accountRequest(app);
  await sendOnce(account, ACCOUNT_ACTION, {
    text: workspaceId(1),
    what: "the bench workspace",
  });
  const data = dataRequest(app);
  const dataResponseBytes = Buffer.byteLength(
    await sendOnce(data, DATA_ACTION, {
      text: '"series":{"buckets":[{"day"',
      what: "chart series",
    }),
  );

  const rounds: HttpRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const health = await load(
      `${app.url}/api/health`,
      {},
      options.durationSeconds,
    );
    const dashboard = await load(
      dashboardUrl,
      { cookie: app.cookie },
      options.durationSeconds,
    );
    const accountLoad = await load(
      account.url,
      account.headers,
      options.durationSeconds,
      { body: account.body },
    );
    const dataLoad = await load(
      data.url,
      data.headers,
      options.durationSeconds,
      { body: data.body },
    );
    rounds.push({
      dashboardRps: dashboard.requests.average,
      dashboardP50: dashboard.latency.p50,
      dashboardP99: dashboard.latency.p99,
      dashboardErrors: errorsOf(dashboard),
      accountRps: accountLoad.requests.average,
      accountP50: accountLoad.latency.p50,
      accountP99: accountLoad.latency.p99,
      accountErrors: errorsOf(accountLoad),
      dataRps: dataLoad.requests.average,
      dataP50: dataLoad.latency.p50,
      dataP99: dataLoad.latency.p99,
      dataErrors: errorsOf(dataLoad),
      healthRps: health.requests.average,
      healthP50: health.latency.p50,
      healthP99: health.latency.p99,
      healthErrors: errorsOf(health),
      ratioP99: dashboard.latency.p99 / health.latency.p99,
      accountRatioP99: accountLoad.latency.p99 / health.latency.p99,
      dataRatioP99: dataLoad.latency.p99 / health.latency.p99,
    });
  }
  const pick = (key: keyof HttpRound) =>
    spreadOf(rounds.map((entry) => entry[key]));
  return {
    connections: 20,
    durationSeconds: options.durationSeconds,
    rounds,
    dashboardRps: pick("dashboardRps"),
    dashboardP50: pick("dashboardP50"),
    dashboardP99: pick("dashboardP99"),
    dashboardErrors: rounds.reduce((sum, r) => sum + r.dashboardErrors, 0),
    accountRps: pick("accountRps"),
    accountP50: pick("accountP50"),
    accountP99: pick("accountP99"),
    accountErrors: rounds.reduce((sum, r) => sum + r.accountErrors, 0),
    dataRps: pick("dataRps"),
    dataP50: pick("dataP50"),
    dataP99: pick("dataP99"),
    dataErrors: rounds.reduce((sum, r) => sum + r.dataErrors, 0),
    healthP99: pick("healthP99"),
    ratioP99: pick("ratioP99"),
    accountRatioP99: pick("accountRatioP99"),
    dataRatioP99: pick("dataRatioP99"),
    dataResponseKb: dataResponseBytes / 1024,
  };
}

/** Fetches one script and returns its size raw and gzipped, in bytes. */
async function scriptSize(
  app: RunningApp,
  source: string,
): Promise<{ raw: number; gzip: number }> {
  const response = await fetch(new URL(source, app.url));
  if (!response.ok)
    throw new Error(`GET ${source} returned ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  return { raw: body.length, gzip: gzipSync(body).length };
}

/**
 * Fetches /dashboard as the signed-in bench user, then every script its HTML
 * names in a `<script src>` tag, and sums their sizes raw and gzipped
 * (zlib's default level 6). Inline scripts, such as the React Server
 * Components payload, are data of this one response and are not counted.
 * Scripts marked `nomodule` (Next.js's polyfills for browsers without ES
 * modules) are summed apart, because browsers with module support neither
 * download nor run them. Next.js 16 supports only such browsers (Chrome and
 * Edge 111, Firefox 111, Safari 16.4 and newer, per its "Supported
 * Browsers" page).
 */
export async function measureFirstLoad(
  app: RunningApp,
): Promise<FirstLoadFigures> {
  const page = await fetch(`${app.url}/dashboard?range=365`, {
    headers: { cookie: app.cookie },
  });
  const html = await page.text();
  const modules = new Set<string>();
  const noModules = new Set<string>();
  for (const match of html.matchAll(/<script([^>]*)\ssrc="([^"]+)"[^>]*>/g)) {
    const tag = match[0];
    const source = match[2] ?? "";
    if (/\snomodule[\s=>]/i.test(tag)) noModules.add(source);
    else modules.add(source);
  }
  let raw = 0;
  let gzip = 0;
  for (const source of modules) {
    const size = await scriptSize(app, source);
    raw += size.raw;
    gzip += size.gzip;
  }
  let noModuleGzip = 0;
  for (const source of noModules) {
    noModuleGzip += (await scriptSize(app, source)).gzip;
  }
  return {
    htmlKb: Buffer.byteLength(html) / 1024,
    scripts: modules.size,
    rawKb: raw / 1024,
    gzipKb: gzip / 1024,
    noModuleGzipKb: noModuleGzip / 1024,
  };
}
