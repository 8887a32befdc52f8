import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The one reader of process.env. Every setting is validated here so a bad
// value fails at start-up with one line naming the variable and the fix.

const EMULATOR_CLIENT_ID = "inview-local";
const EMULATOR_CLIENT_SECRET = "inview-local-secret";

const booleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const retentionDays = (fallback: number) =>
  z.coerce.number().int().min(0).max(36_500).default(fallback);

const schema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// connection URL")
    .optional(),
  DATA_DIR: z.string().default(".data"),
  APP_URL: z.url().default("http://localhost:3000"),
  HOST: z.string().min(1).optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[\w-]+:[A-Za-z0-9+/=_-]+(,[\w-]+:[A-Za-z0-9+/=_-]+)*$/,
      "must be kid:base64key pairs separated by commas",
    )
    .optional(),
  LINKEDIN_CLIENT_ID: z.string().min(1).optional(),
  LINKEDIN_CLIENT_SECRET: z.string().min(1).optional(),
  LINKEDIN_OAUTH_BASE: z.url().optional(),
  LINKEDIN_API_BASE: z.url().optional(),
  LINKEDIN_EMULATOR_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(4010),
  RUN_WORKER_IN_WEB: booleanString.optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: z.string().min(3).default("Inview <no-reply@localhost>"),
  RECEIPT_SIGNING_KEY: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional(),
  RETENTION_API_CALLS_DAYS: retentionDays(30),
  RETENTION_AUDIT_EVENTS_DAYS: retentionDays(400),
  RETENTION_REVOKED_METRICS_DAYS: retentionDays(30),
  RETENTION_DELETED_WORKSPACE_DAYS: retentionDays(0),
  LINKEDIN_APP_DAILY_BUDGET: z.coerce.number().int().min(0).default(500),
  LINKEDIN_MEMBER_DAILY_BUDGET: z.coerce.number().int().min(0).default(100),
  SYNC_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).default(1800),
  SYNC_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  SYNC_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(30),
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).default(120),
  TRUSTED_PROXY: z
    .string()
    .regex(
      /^(true|false|\d{1,2})$/,
      "must be true, false or a number of proxies",
    )
    .transform((value) =>
      value === "true" ? 1 : value === "false" ? 0 : Number(value),
    )
    .default(0),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info"),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | null;
  dataDir: string;
  appUrl: string;
  authSecret: string;
  /** Encryption keys by key id; `currentKeyId` encrypts, every id decrypts. */
  encryptionKeys: Map<string, Buffer>;
  currentKeyId: string;
  linkedin: {
    clientId: string;
    clientSecret: string;
    oauthBase: string;
    apiBase: string;
    /** True when no LinkedIn app is configured, so the emulator is used instead. */
    emulated: boolean;
  };
  emulatorPort: number;
  /**
   * Address the web server listens on (HOST). Null: 127.0.0.1 for
   * `npm run dev`, every interface for `npm start`.
   */
  host: string | null;
  runWorkerInWeb: boolean;
  /** Invitation mail; null when no SMTP server is configured. */
  smtp: { url: string; from: string } | null;
  /** Key for deletion receipt signatures and audit pseudonyms. */
  receiptSigningKey: string;
  /** Days each data class is kept; the purge job deletes older rows. */
  retention: RetentionDays;
  /** LinkedIn calls allowed per UTC day, for the whole app and per member. */
  budgets: { appDaily: number; memberDaily: number };
  sync: {
    /** Days a revoked connection's LinkedIn data is kept before the purge. */
    revokedRetentionDays: number;
    /** Seconds a sync job may run before pg-boss expires and retries it. */
    jobExpireSeconds: number;
    retryLimit: number;
    /** Base delay of pg-boss's exponential retry backoff, in seconds. */
    retryDelaySeconds: number;
    /** How often pg-boss expires stalled jobs, in seconds. */
    maintenanceSeconds: number;
  };
  /**
   * Reverse proxies in front of the app that append to X-Forwarded-For; 0
   * means none, so the header is not trusted for per-IP limits.
   */
  trustedProxyHops: number;
  logLevel: string;
};

export type RetentionDays = {
  apiCalls: number;
  auditEvents: number;
  revokedMetrics: number;
  deletedWorkspaceData: number;
};

export class EnvError extends Error {
  override name = "EnvError";
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
    .join("; ");
}

/** Reads a secret from the data folder, creating it on first start. */
function readOrCreateSecret(
  dataDir: string,
  file: string,
  bytes: number,
): string {
  const secretPath = path.join(dataDir, file);
  if (fs.existsSync(secretPath)) {
    return fs.readFileSync(secretPath, "utf8").trim();
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(bytes).toString("base64");
  try {
    fs.writeFileSync(secretPath, secret + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs so both agree.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return fs.readFileSync(secretPath, "utf8").trim();
  }
  return secret;
}

function parseKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const pair of value.split(",")) {
    const [kid = "", encoded = ""] = pair.split(":");
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) {
      throw new EnvError(
        `TOKEN_ENCRYPTION_KEYS: key "${kid}" is ${key.length} bytes, expected 32 (generate one with: openssl rand -base64 32)`,
      );
    }
    keys.set(kid, key);
  }
  return keys;
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty assignment such as `LINKEDIN_CLIENT_ID=` means "unset".
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new EnvError(`Invalid environment: ${describeIssues(parsed.error)}`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.DATA_DIR);
  const embedded = !raw.DATABASE_URL;
  const production = raw.NODE_ENV === "production" && !embedded;

  if (production && !raw.AUTH_SECRET) {
    throw new EnvError(
      "AUTH_SECRET is missing: set it to 32+ random characters (openssl rand -base64 33)",
    );
  }
  if (production && !raw.TOKEN_ENCRYPTION_KEYS) {
    throw new EnvError(
      "TOKEN_ENCRYPTION_KEYS is missing: set it to kid:key, e.g. k1:$(openssl rand -base64 32)",
    );
  }
  if (Boolean(raw.LINKEDIN_CLIENT_ID) !== Boolean(raw.LINKEDIN_CLIENT_SECRET)) {
    throw new EnvError(
      "LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET must be set together",
    );
  }

  const authSecret =
    raw.AUTH_SECRET ?? readOrCreateSecret(dataDir, "auth-secret", 33);
  const keyList =
    raw.TOKEN_ENCRYPTION_KEYS ??
    `local:${readOrCreateSecret(dataDir, "encryption-key", 32)}`;
  const encryptionKeys = parseKeys(keyList);
  const currentKeyId = keyList.split(",")[0]?.split(":")[0] ?? "";

  const emulated = !raw.LINKEDIN_CLIENT_ID;
  const emulatorUrl = `http://127.0.0.1:${raw.LINKEDIN_EMULATOR_PORT}`;

  return {
    nodeEnv: raw.NODE_ENV,
    databaseUrl: raw.DATABASE_URL ?? null,
    dataDir,
    appUrl: raw.APP_URL.replace(/\/$/, ""),
    authSecret,
    encryptionKeys,
    currentKeyId,
    linkedin: {
      clientId: raw.LINKEDIN_CLIENT_ID ?? EMULATOR_CLIENT_ID,
      clientSecret: raw.LINKEDIN_CLIENT_SECRET ?? EMULATOR_CLIENT_SECRET,
      oauthBase: (
        raw.LINKEDIN_OAUTH_BASE ??
        (emulated ? emulatorUrl : "https://www.linkedin.com")
      ).replace(/\/$/, ""),
      apiBase: (
        raw.LINKEDIN_API_BASE ??
        (emulated ? emulatorUrl : "https://api.linkedin.com")
      ).replace(/\/$/, ""),
      emulated,
    },
    emulatorPort: raw.LINKEDIN_EMULATOR_PORT,
    host: raw.HOST ?? null,
    runWorkerInWeb: raw.RUN_WORKER_IN_WEB ?? embedded,
    smtp: raw.SMTP_URL ? { url: raw.SMTP_URL, from: raw.SMTP_FROM } : null,
    receiptSigningKey: raw.RECEIPT_SIGNING_KEY ?? authSecret,
    retention: {
      apiCalls: raw.RETENTION_API_CALLS_DAYS,
      auditEvents: raw.RETENTION_AUDIT_EVENTS_DAYS,
      revokedMetrics: raw.RETENTION_REVOKED_METRICS_DAYS,
      deletedWorkspaceData: raw.RETENTION_DELETED_WORKSPACE_DAYS,
    },
    budgets: {
      appDaily: raw.LINKEDIN_APP_DAILY_BUDGET,
      memberDaily: raw.LINKEDIN_MEMBER_DAILY_BUDGET,
    },
    sync: {
      revokedRetentionDays: raw.RETENTION_REVOKED_METRICS_DAYS,
      jobExpireSeconds: raw.SYNC_JOB_EXPIRE_SECONDS,
      retryLimit: raw.SYNC_RETRY_LIMIT,
      retryDelaySeconds: raw.SYNC_RETRY_DELAY_SECONDS,
      maintenanceSeconds: raw.JOB_MAINTENANCE_SECONDS,
    },
    trustedProxyHops: raw.TRUSTED_PROXY,
    logLevel: raw.LOG_LEVEL,
  };
}

let cached: Env | undefined;

/** Returns the validated environment of this process, read once. */
export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
