import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
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
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("linkedin_connections_workspace_id_urn_idx").on(
      table.workspaceId,
      table.urn,
    ),
    index("linkedin_connections_user_id_idx").on(table.userId),
  ],
);

/** The fact table every chart reads: one value per connection, metric and UTC day. */
export const metricDaily = pgTable(
  "metric_daily",
  {
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    value: bigint("value", { mode: "number" }).notNull(),
    source: text("source", { enum: ["api", "import"] }).notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.connectionId, table.metric, table.day] }),
    // `value` is a key column so the dashboard's sums are index-only scans:
    // they read the workspace's index entries and never the heap, whose
    // pages the syncs of many workspaces interleave. Drizzle 0.45 has no
    // INCLUDE, which would keep `value` out of the key.
    index("metric_daily_workspace_id_metric_day_value_idx").on(
      table.workspaceId,
      table.metric,
      table.day,
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

/** Days LinkedIn cannot return for a connection and metric, kept so they read as gaps, not zeros. */
export const metricGaps = pgTable(
  "metric_gaps",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => linkedinConnections.id, { onDelete: "cascade" }),
    metric: text("metric").notNull(),
    rangeStart: date("range_start", { mode: "string" }).notNull(),
    rangeEnd: date("range_end", { mode: "string" }).notNull(),
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
    calledAt: timestamp("called_at", { withTimezone: true })
      .notNull()
      .defaultNow(),
  },
  (table) => [index("api_calls_called_at_idx").on(table.calledAt)],
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

export type User = typeof users.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Consent = typeof consents.$inferSelect;
export type LinkedinGrant = typeof linkedinGrants.$inferSelect;
export type LinkedinConnection = typeof linkedinConnections.$inferSelect;
export type NewLinkedinConnection = typeof linkedinConnections.$inferInsert;
export type MetricDailyRow = typeof metricDaily.$inferInsert;
