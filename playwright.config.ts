import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { defineConfig } from "@playwright/test";

// End-to-end tests drive the system Chromium (no browser download here)
// against the production build and the bundled LinkedIn emulator. The
// database is PGlite in a fresh folder, or the Postgres in E2E_DATABASE_URL.

const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3210);
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 4210);
export const APP_URL = `http://localhost:${APP_PORT}`;
export const EMULATOR_URL = `http://127.0.0.1:${EMULATOR_PORT}`;
// Specs connect some demo members several times a day, beyond LinkedIn's
// development-tier budgets; see connectAnalytics in e2e/helpers.ts.
export const E2E_APP_DAILY_BUDGET = 100_000;
export const E2E_MEMBER_DAILY_BUDGET = 10_000;

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  throw new Error(
    `Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
}

// With DATABASE_URL the app runs as in production, which requires its
// secrets from the environment; the run makes throwaway ones.
const databaseEnv: Record<string, string> = process.env.E2E_DATABASE_URL
  ? {
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      RUN_WORKER_IN_WEB: "true",
      AUTH_SECRET: randomBytes(33).toString("base64"),
      TOKEN_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
    }
  : { DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e" };

export default defineConfig({
  testDir: "e2e",
  timeout: 180_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "npx tsx scripts/start.ts",
    url: `${APP_URL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...databaseEnv,
      APP_URL,
      LINKEDIN_EMULATOR_PORT: String(EMULATOR_PORT),
      LOG_LEVEL: "warn",
      LINKEDIN_APP_DAILY_BUDGET: String(E2E_APP_DAILY_BUDGET),
      LINKEDIN_MEMBER_DAILY_BUDGET: String(E2E_MEMBER_DAILY_BUDGET),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
