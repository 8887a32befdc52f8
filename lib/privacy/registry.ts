import { eq, inArray, or, and, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import {
  accounts,
  apiCalls,
  auditEvents,
  connectionMonthlySums,
  consents,
  importedPosts,
  imports,
  invitations,
  linkedinConnections,
  linkedinGrants,
  memberships,
  metricDaily,
  metricGaps,
  metricRangeTotals,
  postMetricDaily,
  rateLimits,
  sessions,
  users,
  verificationTokens,
} from "../db/schema";

// Every table that holds personal data, with how its rows are found for one
// person, exported and erased. The export and the erasure both iterate this
// list. registry.test.ts fails when a table referencing users or LinkedIn
// connections is missing from it, unless the test names the table as sync
// bookkeeping, so a new table is covered by adding one entry here.

export type ErasureRule =
  /** The person's rows are deleted. */
  | { kind: "delete" }
  /**
   * Rows other people still need (audit events of shared workspaces) stay,
   * with every reference to the person replaced by a pseudonym.
   */
  | {
      kind: "pseudonymise";
      /** SQL `set` values given the pseudonym. */
      set: (pseudonym: string, userId: string) => Record<string, SQL | null>;
    };

export type PersonalDataClass = {
  /** The table, with the SQL name the schema test matches on. */
  source: PgTable;
  /** File name in the export archive. */
  file: string;
  format: "json" | "csv";
  /** What the rows are, shown on the privacy page. */
  description: string;
  /** How long the rows are kept, shown on the privacy page. */
  retention: string;
  /** Rows that belong to the person. */
  ownedBy: (userId: string) => SQL;
  /** Keyset order for streaming: a unique key of the table. */
  orderBy: PgColumn[];
  /**
   * Set for a table whose key starts with a connection id. The export then
   * reads the rows one connection at a time, in `orderBy` order, so each
   * page is one range scan of the key however many connections the person
   * has.
   */
  exportByConnection?: {
    /** The connection id column, which must be the first of `orderBy`. */
    column: PgColumn;
    /** The person's connection ids, as a `(select id ...)` subquery. */
    connectionIds: (userId: string) => SQL;
  };
  /** Property names left out of the export (secrets and hashes). */
  omit?: string[];
  /** Rewrites an exported row, to drop other people's data. */
  present?: (
    row: Record<string, unknown>,
    userId: string,
  ) => Record<string, unknown>;
  erase: ErasureRule;
};

const ownConnectionIds = (userId: string) =>
  sql`(select ${linkedinConnections.id} from ${linkedinConnections} where ${linkedinConnections.userId} = ${userId})`;

const DELETE: ErasureRule = { kind: "delete" };

function withoutEmails(details: unknown): unknown {
  if (!details || typeof details !== "object") return details;
  return Object.fromEntries(
    Object.entries(details as Record<string, unknown>).filter(
      ([key]) => !/email/i.test(key),
    ),
  );
}

/** Ordered children first, so erasing in this order never breaks a foreign key. */
export const PERSONAL_DATA: PersonalDataClass[] = [
  // Before metric_daily, whose deletion would otherwise delete these sums
  // uncounted (see lib/privacy/cascade.ts).
  {
    source: connectionMonthlySums,
    file: "metrics-monthly-sums.csv",
    format: "csv",
    description:
      "Monthly sums of the daily analytics of the connections you made, which the dashboard reads for whole months.",
    retention: "As the daily analytics, from which they are computed.",
    ownedBy: (userId) =>
      sql`${connectionMonthlySums.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [
      connectionMonthlySums.connectionId,
      connectionMonthlySums.metric,
      connectionMonthlySums.month,
    ],
    exportByConnection: {
      column: connectionMonthlySums.connectionId,
      connectionIds: ownConnectionIds,
    },
    erase: DELETE,
  },
  {
    source: metricDaily,
    file: "metrics-daily.csv",
    format: "csv",
    description:
      "Daily LinkedIn analytics of the connections you made (impressions, reactions, comments, reshares, followers, page views).",
    retention:
      "Until you withdraw consent, delete your account or remove the connection; 30 days after LinkedIn access is revoked.",
    ownedBy: (userId) =>
      sql`${metricDaily.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [metricDaily.connectionId, metricDaily.metric, metricDaily.day],
    exportByConnection: {
      column: metricDaily.connectionId,
      connectionIds: ownConnectionIds,
    },
    erase: DELETE,
  },
  {
    source: postMetricDaily,
    file: "post-metrics-daily.csv",
    format: "csv",
    description:
      "Daily LinkedIn analytics of single posts (impressions, reactions, comments, reshares), read with the connections you made.",
    retention:
      "Until you withdraw consent, delete your account or remove the connection; 30 days after LinkedIn access is revoked.",
    ownedBy: (userId) =>
      sql`${postMetricDaily.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [
      postMetricDaily.connectionId,
      postMetricDaily.postUrn,
      postMetricDaily.metric,
      postMetricDaily.day,
    ],
    erase: DELETE,
  },
  {
    source: importedPosts,
    file: "imported-posts.json",
    format: "json",
    description:
      "Posts listed in the LinkedIn export files you uploaded, with their link, title, publish date and totals.",
    retention: "Until you delete the imported connection or your account.",
    ownedBy: (userId) =>
      sql`${importedPosts.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [importedPosts.connectionId, importedPosts.url],
    erase: DELETE,
  },
  {
    source: metricRangeTotals,
    file: "metrics-range-totals.csv",
    format: "csv",
    description:
      "Members reached over preset date ranges, which LinkedIn gives only as totals.",
    retention: "As the daily analytics.",
    ownedBy: (userId) =>
      sql`${metricRangeTotals.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [
      metricRangeTotals.connectionId,
      metricRangeTotals.metric,
      metricRangeTotals.rangeDays,
      metricRangeTotals.period,
    ],
    exportByConnection: {
      column: metricRangeTotals.connectionId,
      connectionIds: ownConnectionIds,
    },
    erase: DELETE,
  },
  {
    source: metricGaps,
    file: "metric-gaps.json",
    format: "json",
    description:
      "Days without data for your connections: days LinkedIn could not serve, and days no sync collected.",
    retention: "As the daily analytics.",
    ownedBy: (userId) =>
      sql`${metricGaps.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [
      metricGaps.connectionId,
      metricGaps.metric,
      metricGaps.rangeStart,
    ],
    exportByConnection: {
      column: metricGaps.connectionId,
      connectionIds: ownConnectionIds,
    },
    erase: DELETE,
  },
  {
    source: apiCalls,
    file: "api-calls.json",
    format: "json",
    description:
      "Records of the calls Inview made to LinkedIn for your connections: endpoint, status and duration, no content.",
    retention: "30 days.",
    ownedBy: (userId) =>
      sql`${apiCalls.connectionId} in ${ownConnectionIds(userId)}`,
    orderBy: [apiCalls.id],
    erase: DELETE,
  },
  {
    source: imports,
    file: "imports.json",
    format: "json",
    description:
      "LinkedIn export files you uploaded: name, kind, days covered and rows read.",
    retention:
      "Until you delete the imported connection or your account; the imported numbers are in metrics-daily.csv.",
    ownedBy: (userId) => eq(imports.userId, userId),
    orderBy: [imports.id],
    erase: DELETE,
  },
  {
    source: linkedinConnections,
    file: "connections.json",
    format: "json",
    description:
      "The LinkedIn profile and company pages you connected, with their sync status.",
    retention: "Until you withdraw consent or delete your account.",
    ownedBy: (userId) => eq(linkedinConnections.userId, userId),
    orderBy: [linkedinConnections.id],
    erase: DELETE,
  },
  {
    source: linkedinGrants,
    file: "linkedin-grants.json",
    format: "json",
    description:
      "Your LinkedIn analytics authorizations: member URN, granted scopes and expiry. The tokens are stored encrypted and never exported.",
    retention: "Until you withdraw consent or delete your account.",
    ownedBy: (userId) => eq(linkedinGrants.userId, userId),
    orderBy: [linkedinGrants.id],
    omit: ["accessTokenEncrypted", "refreshTokenEncrypted"],
    erase: DELETE,
  },
  {
    source: consents,
    file: "consents.json",
    format: "json",
    description:
      "Each consent you gave or withdrew: purpose, text version and its SHA-256, scopes and times.",
    retention: "Until you delete your account.",
    ownedBy: (userId) => eq(consents.userId, userId),
    orderBy: [consents.id],
    erase: DELETE,
  },
  {
    source: auditEvents,
    file: "audit-events.json",
    format: "json",
    description:
      "Audit log entries of what you did, or what was done to your account.",
    retention:
      "400 days. After account deletion, entries in workspaces that others keep stay with your name replaced by a pseudonym.",
    ownedBy: (userId) =>
      or(
        eq(auditEvents.actorUserId, userId),
        and(
          eq(auditEvents.targetType, "user"),
          eq(auditEvents.targetId, userId),
        ),
      ) ?? sql`false`,
    orderBy: [auditEvents.id],
    // Another member who acted on the person is not the person's data.
    present: (row, userId) => ({
      ...row,
      actorUserId: row.actorUserId === userId ? userId : null,
      details: withoutEmails(row.details),
    }),
    erase: {
      kind: "pseudonymise",
      set: (pseudonym, userId) => ({
        actorUserId: null,
        targetId: sql`case when ${auditEvents.targetType} = 'user' and ${auditEvents.targetId} = ${userId} then ${pseudonym} else ${auditEvents.targetId} end`,
        details: sql`case when ${auditEvents.actorUserId} = ${userId} then ${auditEvents.details} || jsonb_build_object('actorPseudonym', ${pseudonym}::text) else ${auditEvents.details} end`,
      }),
    },
  },
  {
    source: invitations,
    file: "invitations.json",
    format: "json",
    description:
      "Invitations you sent, accepted, or that were addressed to your email.",
    retention:
      "Until the workspace is deleted. After account deletion, invitations you sent stay without your name.",
    ownedBy: (userId) =>
      or(
        eq(invitations.invitedByUserId, userId),
        eq(invitations.acceptedByUserId, userId),
        sql`${invitations.email} = (select lower(${users.email}) from ${users} where ${users.id} = ${userId})`,
      ) ?? sql`false`,
    orderBy: [invitations.id],
    omit: ["tokenHash"],
    // The address of someone the person invited is that invitee's data.
    present: (row, userId) => ({
      ...row,
      email:
        row.invitedByUserId === userId && row.acceptedByUserId !== userId
          ? null
          : row.email,
      invitedByUserId: row.invitedByUserId === userId ? userId : null,
    }),
    erase: {
      kind: "pseudonymise",
      set: (pseudonym, userId) => ({
        invitedByUserId: sql`case when ${invitations.invitedByUserId} = ${userId} then null else ${invitations.invitedByUserId} end`,
        acceptedByUserId: sql`case when ${invitations.acceptedByUserId} = ${userId} then null else ${invitations.acceptedByUserId} end`,
        email: sql`case when ${invitations.email} = (select lower(${users.email}) from ${users} where ${users.id} = ${userId}) then ${"erased-" + pseudonym} else ${invitations.email} end`,
      }),
    },
  },
  {
    source: rateLimits,
    file: "rate-limits.json",
    format: "json",
    description:
      "Counters of your recent exports, deletion attempts, invitations and uploads, for the request limits.",
    retention: "One day.",
    ownedBy: (userId) => eq(rateLimits.userId, userId),
    orderBy: [rateLimits.key, rateLimits.action, rateLimits.windowStart],
    erase: DELETE,
  },
  {
    source: memberships,
    file: "memberships.json",
    format: "json",
    description: "The workspaces you belong to and your role in each.",
    retention: "Until you leave the workspace or delete your account.",
    ownedBy: (userId) => eq(memberships.userId, userId),
    orderBy: [memberships.workspaceId, memberships.userId],
    erase: DELETE,
  },
  {
    source: sessions,
    file: "sessions.json",
    format: "json",
    description: "Your signed-in devices: sign-in time and expiry.",
    retention: "30 days after the last use, or until you sign out.",
    ownedBy: (userId) => eq(sessions.userId, userId),
    orderBy: [sessions.sessionToken],
    omit: ["sessionToken"],
    erase: DELETE,
  },
  {
    source: accounts,
    file: "accounts.json",
    format: "json",
    description:
      "Your LinkedIn sign-in account: provider and member id. Sign-in tokens are never stored.",
    retention: "Until you delete your account.",
    ownedBy: (userId) => eq(accounts.userId, userId),
    orderBy: [accounts.provider, accounts.providerAccountId],
    omit: ["access_token", "refresh_token", "id_token", "session_state"],
    erase: DELETE,
  },
  {
    source: verificationTokens,
    file: "verification-tokens.json",
    format: "json",
    description:
      "Pending email sign-in links (Inview signs in with LinkedIn only, so usually none).",
    retention: "Until the link expires or is used.",
    ownedBy: (userId) =>
      inArray(
        verificationTokens.identifier,
        sql`(select ${users.email} from ${users} where ${users.id} = ${userId})`,
      ),
    orderBy: [verificationTokens.identifier, verificationTokens.token],
    omit: ["token"],
    erase: DELETE,
  },
  {
    source: users,
    file: "profile.json",
    format: "json",
    description:
      "Your profile from LinkedIn sign-in: name, email and picture URL.",
    retention: "Until you delete your account.",
    ownedBy: (userId) => eq(users.id, userId),
    orderBy: [users.id],
    omit: ["erasureStartedAt"],
    erase: DELETE,
  },
];
