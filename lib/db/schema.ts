import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () =>
  timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

// Auth.js tables. The property names are the ones @auth/drizzle-adapter
// reads; the SQL names follow the project's snake_case convention.

export const users = pgTable("users", {
  id: text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: timestamp("email_verified", {
    withTimezone: true,
    mode: "date",
  }),
  image: text("image"),
  createdAt: createdAt(),
  // Set while an erasure of this user runs, so a second request gets 409.
  erasureStartedAt: timestamp("erasure_started_at", { withTimezone: true }),
});

export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    // Sign-in tokens are never kept (see lib/auth/adapter.ts); the columns
    // exist because the adapter's table shape requires them.
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.providerAccountId] }),
    index("accounts_user_id_idx").on(table.userId),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the cookie value, so a database dump cannot be replayed.
    sessionToken: text("session_token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: timestamp("expires", {
      withTimezone: true,
      mode: "date",
    }).notNull(),
    // The sign-in time, so sensitive actions can require a recent sign-in.
    createdAt: createdAt(),
  },
  (table) => [index("sessions_user_id_idx").on(table.userId)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", {
      withTimezone: true,
      mode: "date",
    }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.identifier, table.token] })],
);

export const ROLES = ["owner", "admin", "marketer", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.workspaceId, table.userId] }),
    index("memberships_user_id_idx").on(table.userId),
  ],
);

export const consents = pgTable(
  "consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    version: text("version").notNull(),
    textSha256: text("text_sha256").notNull(),
    scopes: text("scopes").array().notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (table) => [
    index("consents_user_id_purpose_idx").on(table.userId, table.purpose),
  ],
);

/** One LinkedIn authorization of analytics scopes by one member. */
export const linkedinGrants = pgTable(
  "linkedin_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    consentId: uuid("consent_id").references(() => consents.id, {
      onDelete: "set null",
    }),
    memberUrn: text("member_urn").notNull(),
    // AES-256-GCM ciphertexts from lib/crypto/tokens.ts, never plaintext.
    accessTokenEncrypted: text("access_token_encrypted"),
    refreshTokenEncrypted: text("refresh_token_encrypted"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", {
      withTimezone: true,
    }),
    scopes: text("scopes").array().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    uniqueIndex("linkedin_grants_workspace_id_member_urn_idx").on(
      table.workspaceId,
      table.memberUrn,
    ),
    index("linkedin_grants_user_id_idx").on(table.userId),
  ],
);

export const CONNECTION_STATUSES = [
  "active",
  "needs_reauth",
  "missing_permission",
  "revoked",
  "paused",
] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export const linkedinConnections = pgTable(
  "linkedin_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    grantId: uuid("grant_id").references(() => linkedinGrants.id, {
      onDelete: "set null",
    }),
    kind: text("kind", { enum: ["person", "organization"] }).notNull(),
    urn: text("urn").notNull(),
    name: text("name").notNull(),
    source: text("source", { enum: ["api", "import"] })
      .notNull()
      .default("api"),
    status: text("status", { enum: CONNECTION_STATUSES })
      .notNull()
      .default("active"),
    statusReason: text("status_reason"),
    syncState: text("sync_state", {
      enum: ["idle", "queued", "running", "failed"],
    })
      .notNull()
      .default("idle"),
    syncProgress: integer("sync_progress").notNull().default(0),
    lastSyncedAt: timestamp("last_synced_at", { withTimezone: true }),
    nextSyncAt: timestamp("next_sync_at", { withTimezone: true }),
    // When the status became "revoked"; the retention purge counts from it.
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("linkedin_connections_workspace_id_urn_idx").on(
      table.workspaceId,
      table.urn,
    ),
    index("linkedin_connections_user_id_idx").on(table.userId),
    // The index behind metric_daily's reference check, which looks up a
    // row's connection and workspace together.
    uniqueIndex("linkedin_connections_id_workspace_id_idx").on(
      table.id,
      table.workspaceId,
    ),
  ],
);

/**
 * References kept by statement triggers instead of a foreign key, with the
 * same effect as one with ON DELETE CASCADE (migration 0009).
 */
export const TRIGGER_REFERENCES = [
  {
    table: "metric_daily",
    columns: ["connection_id", "workspace_id"],
    foreignTable: "linkedin_connections",
    foreignColumns: ["id", "workspace_id"],
  },
] as const;

/** The fact table every chart reads: one value per connection, metric and UTC day. */
export const metricDaily = pgTable(
  "metric_daily",
  {
    workspaceId: uuid("workspace_id").notNull(),
    connectionId: uuid("connection_id").notNull(),
    metric: text("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    source: text("source", { enum: ["api", "import"] }).notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    // Migration 0011 rebuilds this key with INCLUDE (value, workspace_id),
    // which drizzle 0.45 cannot express. Every read filters on connection
    // ids, so each is an index-only scan of the key: the rows of one
    // connection and metric are adjacent there, while the syncs of many
    // workspaces interleave them in the heap. One index instead of two (the
    // key and a workspace index) raised the backfill upsert from about
    // 90,000 to 150,000 rows a second at scale 100 (bench/ingest.ts, 2-core
    // VM).
    primaryKey({ columns: [table.connectionId, table.metric, table.day] }),
    // No foreign key: Postgres checks one with a trigger per inserted row,
    // which took about 30 % of a backfill's upsert time (bench/ingest.ts
    // rows on a 2-core VM). Statement triggers
    // (migration 0009) check and lock each statement's connections at once,
    // and deleting a connection deletes its rows. See TRIGGER_REFERENCES.
  ],
);

// The two tables below contain sums of `metric_daily` rows whose source is
// "api", kept up to date by statement triggers on `metric_daily` (migration
// 0008): every insert, update and delete there adds or subtracts its rows'
// values, in the same transaction. Imported rows are left out because the
// overlap rule hides some of them, so the dashboard reads import
// connections from `metric_daily` itself. A sum that a delete brings to
// zero is deleted, so erasing or purging a connection's rows leaves no
// sums behind. A daily year of a 20-connection workspace is 2,190 rows of
// workspace sums and 1,320 monthly sums, against 43,800 daily rows.

/** Per workspace, metric and day: the sum over the workspace's API connections. */
export const workspaceDailySums = pgTable(
  "workspace_daily_sums",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.workspaceId, table.metric, table.day] }),
    // `value` in the key makes the chart's read an index-only scan.
    index("workspace_daily_sums_workspace_id_metric_day_value_idx").on(
      table.workspaceId,
      table.metric,
      table.day,
      table.value,
    ),
  ],
);

/** Per API connection, metric and calendar month: the sum of its days. */
export const connectionMonthlySums = pgTable(
  "connection_monthly_sums",
  {
    workspaceId: uuid("workspace_id").notNull(),
    connectionId: uuid("connection_id").notNull(),
    metric: text("metric").notNull(),
    /** The first day of the month. */
    month: date("month", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.connectionId, table.metric, table.month] }),
    foreignKey({
      name: "connection_monthly_sums_connection_id_workspace_id_fk",
      columns: [table.connectionId, table.workspaceId],
      foreignColumns: [linkedinConnections.id, linkedinConnections.workspaceId],
    }).onDelete("cascade"),
    index("connection_monthly_sums_workspace_metric_month_idx").on(
      table.workspaceId,
      table.metric,
      table.month,
      table.connectionId,
      table.value,
    ),
  ],
);

/**
 * Metrics LinkedIn gives only as a total over a date range (members reached),
 * stored per preset range length and period at each sync.
 */
export const metricRangeTotals = pgTable(
  "metric_range_totals",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    rangeDays: integer("range_days").notNull(),
    period: text("period", { enum: ["current", "previous"] }).notNull(),
    rangeStart: date("range_start", { mode: "string" }).notNull(),
    rangeEnd: date("range_end", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    primaryKey({
      columns: [
        table.connectionId,
        table.metric,
        table.rangeDays,
        table.period,
      ],
    }),
    index("metric_range_totals_workspace_id_idx").on(table.workspaceId),
  ],
);

export const METRIC_GAP_KINDS = ["not_served", "not_synced"] as const;

/**
 * Days of a connection's series that hold no rows, kept so they read as
 * gaps, not zeros. `not_served` days lie outside what LinkedIn's endpoint
 * serves. `not_synced` days lie between the last stored day and the first
 * day a later sync wrote, after a break longer than the sync's reach.
 */
export const metricGaps = pgTable(
  "metric_gaps",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    rangeStart: date("range_start", { mode: "string" }).notNull(),
    rangeEnd: date("range_end", { mode: "string" }).notNull(),
    kind: text("kind", { enum: METRIC_GAP_KINDS })
      .notNull()
      .default("not_served"),
    reason: text("reason").notNull(),
  },
  (table) => [
    primaryKey({
      columns: [table.connectionId, table.metric, table.rangeStart],
    }),
  ],
);

/** Every LinkedIn call: no bodies, no tokens. */
export const apiCalls = pgTable(
  "api_calls",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    connectionId: uuid("connection_id").references(
      () => linkedinConnections.id,
      {
        onDelete: "set null",
      },
    ),
    endpoint: text("endpoint").notNull(),
    status: integer("status").notNull(),
    durationMs: integer("duration_ms").notNull(),
    attempt: integer("attempt").notNull().default(1),
    /** Calls left in the tighter of the app and member budgets after this one. */
    budgetRemaining: integer("budget_remaining"),
    calledAt: timestamp("called_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    index("api_calls_called_at_idx").on(table.calledAt),
    // Deleting a connection sets its calls' connection_id to null; without
    // this index every deleted connection scans the whole call log.
    index("api_calls_connection_id_idx").on(table.connectionId),
  ],
);

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, {
      onDelete: "cascade",
    }),
    actorUserId: text("actor_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details")
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    succeeded: boolean("succeeded").notNull().default(true),
    createdAt: createdAt(),
  },
  (table) => [
    index("audit_events_workspace_id_created_at_idx").on(
      table.workspaceId,
      table.createdAt,
    ),
    index("audit_events_actor_user_id_idx").on(table.actorUserId),
  ],
);

// Privacy: erasure receipts, the request limiter and retention runs.

/** Signed record of what one erasure removed. It contains no personal data. */
export const deletionReceipts = pgTable("deletion_receipts", {
  id: uuid("id").primaryKey(),
  erasedAt: timestamp("erased_at", { withTimezone: true }).notNull(),
  removed: jsonb("removed").$type<Record<string, number>>().notNull(),
  receipt: jsonb("receipt").$type<Record<string, unknown>>().notNull(),
  signature: text("signature").notNull(),
});

/**
 * Fixed-window request counters, shared by every web replica. `key` is the
 * limited party: `user:<id>`, `ip:<address>` or `workspace:<id>`. `userId` is
 * set for user keys only, so erasure and the data export find those rows.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (table) => [
    primaryKey({
      columns: [table.key, table.action, table.windowStart],
    }),
    index("rate_limits_user_id_idx").on(table.userId),
  ],
);

/** One run of the retention purge, with the rows it removed per table. */
export const purgeRuns = pgTable(
  "purge_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    status: text("status", { enum: ["running", "succeeded", "failed"] })
      .notNull()
      .default("running"),
    removed: jsonb("removed")
      .$type<Record<string, number>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    error: text("error"),
  },
  (table) => [index("purge_runs_started_at_idx").on(table.startedAt)],
);

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Consent = typeof consents.$inferSelect;
export type LinkedinGrant = typeof linkedinGrants.$inferSelect;
export type LinkedinConnection = typeof linkedinConnections.$inferSelect;
export type NewLinkedinConnection = typeof linkedinConnections.$inferInsert;
export type MetricDailyRow = typeof metricDaily.$inferInsert;

// Team management: invitations and per-workspace settings.

/** An invitation to join a workspace; only the SHA-256 of its token is stored. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** Lower-cased address the invitation was sent to. */
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** When true, any signed-in person holding the link may accept it. */
    allowAnyEmail: boolean("allow_any_email").notNull().default(false),
    tokenHash: text("token_hash").notNull(),
    invitedByUserId: text("invited_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedByUserId: text("accepted_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("invitations_token_hash_idx").on(table.tokenHash),
    index("invitations_workspace_id_email_idx").on(
      table.workspaceId,
      table.email,
    ),
  ],
);

export const METRICS_VISIBILITIES = [
  "everyone",
  "totals_and_own",
  "own",
] as const;
/**
 * Whose numbers marketers and viewers see: every member's, the workspace
 * totals plus their own, or only their own. Owners and admins see all.
 */
export type MetricsVisibility = (typeof METRICS_VISIBILITIES)[number];

/** Settings of one workspace; a workspace without a row uses the defaults. */
export const workspaceSettings = pgTable("workspace_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  metricsVisibility: text("metrics_visibility", { enum: METRICS_VISIBILITIES })
    .notNull()
    .default("everyone"),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow(),
});

export type Invitation = typeof invitations.$inferSelect;

// Dashboard and imports of LinkedIn's own analytics export files.

/**
 * A connection filled from uploaded export files. `apiConnectionId` names
 * the API connection of the same member or page, if any: for the days that
 * connection has a value of a metric, the dashboard uses the API value.
 */
export const importedSubjects = pgTable(
  "imported_subjects",
  {
    connectionId: uuid("connection_id")
      .primaryKey()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    apiConnectionId: uuid("api_connection_id").references(
      () => linkedinConnections.id,
      { onDelete: "set null" },
    ),
  },
  (table) => [
    index("imported_subjects_workspace_id_idx").on(table.workspaceId),
  ],
);

export const IMPORT_KINDS = [
  "member_content",
  "page_content",
  "page_followers",
  "page_visitors",
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One uploaded export file: who imported what, when, and how many rows. */
export const imports = pgTable(
  "imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    fileName: text("file_name").notNull(),
    fileSha256: text("file_sha256").notNull(),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    firstDay: date("first_day", { mode: "string" }),
    lastDay: date("last_day", { mode: "string" }),
    /** Daily values and posts read from the file. */
    rowsRead: integer("rows_read").notNull(),
    /** Rows inserted or changed; 0 when the same file is imported again. */
    rowsWritten: integer("rows_written").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("imports_workspace_id_created_at_idx").on(
      table.workspaceId,
      table.createdAt,
    ),
  ],
);

/** Post-level numbers, which only the export files provide so far. */
export const importedPosts = pgTable(
  "imported_posts",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    title: text("title"),
    publishedOn: date("published_on", { mode: "string" }),
    impressions: bigint("impressions", { mode: "number" }),
    reactions: bigint("reactions", { mode: "number" }),
    comments: bigint("comments", { mode: "number" }),
    reshares: bigint("reshares", { mode: "number" }),
    engagements: bigint("engagements", { mode: "number" }),
    fileName: text("file_name").notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.connectionId, table.url] }),
    index("imported_posts_workspace_id_idx").on(table.workspaceId),
  ],
);

export const EXPORT_POLICIES = [
  "admins_and_own",
  "everyone",
  "nobody",
] as const;
export type ExportPolicy = (typeof EXPORT_POLICIES)[number];

/**
 * The policy for exporting numbers that came from LinkedIn's API. LinkedIn's terms
 * restrict exporting member data, so the default lets owners and admins,
 * and each person for their own connections, export them.
 */
export const workspaceExportSettings = pgTable("workspace_export_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  apiExportPolicy: text("api_export_policy", { enum: EXPORT_POLICIES })
    .notNull()
    .default("admins_and_own"),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow(),
});

export type Import = typeof imports.$inferSelect;

// Sync resilience: shared call budgets, integration-wide status, metrics a
// connection cannot get, per-connection health and resumable sync progress.

/**
 * Calls made per budget and UTC day. `budgetKey` is `app` or a member URN, so
 * every worker process decrements the same row.
 */
export const apiBudgets = pgTable(
  "api_budgets",
  {
    budgetKey: text("budget_key").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    used: integer("used").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.budgetKey, table.day] })],
);

/** Facts about the whole LinkedIn integration, such as a sunset API version. */
export const integrationStatus = pgTable("integration_status", {
  key: text("key").primaryKey(),
  details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow(),
});

/** Metrics LinkedIn refused for a connection, with what is missing. */
export const unavailableMetrics = pgTable(
  "unavailable_metrics",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    /** The scope to grant, or null when a page role is missing. */
    missingScope: text("missing_scope"),
    /** The page role to obtain, or null when a scope is missing. */
    missingRole: text("missing_role"),
    reason: text("reason").notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.connectionId, table.metric] })],
);

/** The last sync error of a connection and, once revoked, when its data goes. */
export const connectionHealth = pgTable("connection_health", {
  connectionId: uuid("connection_id")
    .primaryKey()
    .references(() => linkedinConnections.id, { onDelete: "cascade" }),
  lastError: text("last_error"),
  lastErrorPath: text("last_error_path"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  /** When the LinkedIn-derived data of a revoked connection is deleted. */
  purgeAfter: timestamp("purge_after", { withTimezone: true }),
  purgedAt: timestamp("purged_at", { withTimezone: true }),
});

/**
 * Steps a sync already wrote, so a job that resumes after a quota stop or a
 * crash skips them. Written in the same transaction as the step's rows.
 */
export const syncCheckpoints = pgTable("sync_checkpoints", {
  connectionId: uuid("connection_id")
    .primaryKey()
    .references(() => linkedinConnections.id, { onDelete: "cascade" }),
  completedSteps: text("completed_steps").array().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

export type UnavailableMetric = typeof unavailableMetrics.$inferSelect;

/**
 * One post's daily numbers from LinkedIn, read with the API connection of
 * the post's author (a member, or a page the member administers). Posts are
 * known from imported export files; only API numbers are stored here.
 */
export const postMetricDaily = pgTable(
  "post_metric_daily",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    /** `urn:li:share:<id>` or `urn:li:ugcPost:<id>`. */
    postUrn: text("post_urn").notNull(),
    metric: text("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    source: text("source", { enum: ["api"] })
      .notNull()
      .default("api"),
    fetchedAt: timestamp("fetched_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    primaryKey({
      columns: [table.connectionId, table.postUrn, table.metric, table.day],
    }),
    index("post_metric_daily_workspace_id_post_urn_idx").on(
      table.workspaceId,
      table.postUrn,
    ),
  ],
);
