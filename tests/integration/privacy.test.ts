import { randomBytes, createHash } from "node:crypto";
import { Writable } from "node:stream";
import { buffer as readAll } from "node:stream/consumers";
import { eq, inArray, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import * as schema from "@/lib/db/schema";
import {
  accounts,
  apiCalls,
  auditEvents,
  consents,
  deletionReceipts,
  linkedinConnections,
  linkedinGrants,
  memberships,
  metricDaily,
  metricGaps,
  importedPosts,
  postMetricDaily,
  metricRangeTotals,
  rateLimits,
  sessions,
  users,
  verificationTokens,
  invitations,
  imports,
} from "@/lib/db/schema";
import type { DatabaseHandle } from "@/lib/db/client";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import { rotateTokenKeys } from "@/lib/crypto/rotate";
import { keyIdOf, type KeyRing } from "@/lib/crypto/tokens";
import { createLogger } from "@/lib/log";
import {
  analyticsConsentState,
  recordAnalyticsConsent,
  resumePausedConnections,
} from "@/lib/privacy/consent";
import { importExportFile } from "@/lib/import/store";
import { eraseUser, type ErasureDeps } from "@/lib/privacy/erasure";
import { exportPersonalData, type ExportManifest } from "@/lib/privacy/export";
import { consumeRateLimit, ERASURE_LIMIT } from "@/lib/privacy/rate-limit";
import { PERSONAL_DATA } from "@/lib/privacy/registry";
import { purgeExpiredData } from "@/lib/privacy/retention";
import { countOwnedRows, ownedRows, tableName } from "@/lib/privacy/rows";
import { verifyPayload } from "@/lib/privacy/signing";
import { withdrawAnalyticsConsent } from "@/lib/privacy/withdraw";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import {
  authorizeMember,
  TEST_CLIENT,
  TEST_REDIRECT_URI,
} from "../helpers/emulator";
import { createConnection, createOwner } from "../helpers/fixtures";
import { readZip } from "../helpers/zip";

const SECRET = "receipt-secret-for-tests-0123456789abcdef";

/** Captures a logger's JSON lines in memory. */
function capturedLogger(): { logger: pino.Logger; output: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  return {
    logger: createLogger(destination, "trace"),
    output: () => chunks.join(""),
  };
}

/** Dumps every row of the public and pgboss tables, one JSON text per row. */
async function dumpDatabase(handle: DatabaseHandle): Promise<string> {
  const { rows } = await handle.sql.executeSql(
    "select table_schema, table_name from information_schema.tables where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'",
  );
  const parts: string[] = [];
  for (const row of rows as { table_schema: string; table_name: string }[]) {
    const result = await handle.sql.executeSql(
      `select row_to_json(t)::text as line from "${row.table_schema}"."${row.table_name}" t`,
    );
    for (const line of result.rows as { line: string }[]) parts.push(line.line);
  }
  return parts.join("\n");
}

/** Counts the rows of every table in the public schema. */
async function countTables(
  handle: DatabaseHandle,
): Promise<Record<string, number>> {
  const { rows } = await handle.sql.executeSql(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of rows as { table_name: string }[]) {
    const result = await handle.sql.executeSql(
      `select count(*)::int as n from "public"."${table}"`,
    );
    counts[table] = (result.rows[0] as { n: number }).n;
  }
  return counts;
}

/** Downloads one of LinkedIn's export files from the emulator. */
async function downloadExport(
  emulator: RunningEmulator,
  kind: string,
  subject: string,
  from: string,
  to: string,
): Promise<{ bytes: Uint8Array; fileName: string }> {
  const query = new URLSearchParams({ subject, from, to });
  const response = await fetch(
    `${emulator.url}/__emulator/exports/${kind}?${query}`,
  );
  expect(response.status, `${kind} export`).toBe(200);
  const fileName =
    /filename="([^"]+)"/.exec(
      response.headers.get("content-disposition") ?? "",
    )?.[1] ?? "";
  return { bytes: new Uint8Array(await response.arrayBuffer()), fileName };
}

describe.each(testEngines())("privacy on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let keyRing: KeyRing;
  let syncDeps: SyncDeps;
  let erasureDeps: ErasureDeps;

  beforeAll(async () => {
    handle = await engine.open();
    // Several members sync many times here, more than a member's default daily quota.
    emulator = await startEmulator({
      port: 0,
      ...TEST_CLIENT,
      redirectUris: [TEST_REDIRECT_URI],
      memberDailyQuota: 1_000_000,
      appDailyQuota: 10_000_000,
    });
    keyRing = { currentKeyId: "k1", keys: new Map([["k1", randomBytes(32)]]) };
    syncDeps = {
      database: handle.db,
      keyRing,
      apiBase: emulator.url,
      logger: pino({ level: "silent" }),
    };
    erasureDeps = {
      database: handle.db,
      keyRing,
      linkedin: { oauthBase: emulator.url, ...TEST_CLIENT },
      logger: pino({ level: "silent" }),
      signingSecret: SECRET,
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function connectMember(memberId: string, log = syncDeps.logger) {
    const owner = await createOwner(handle.db);
    const tokens = await authorizeMember(emulator, memberId, [
      ...CONNECT_SCOPES,
    ]);
    await handle.db
      .insert(accounts)
      .values({
        userId: owner.userId,
        type: "oidc",
        provider: "linkedin",
        providerAccountId: tokens.sub,
      })
      .onConflictDoUpdate({
        target: [accounts.provider, accounts.providerAccountId],
        set: { userId: owner.userId },
      });
    const consent = await handle.db.transaction((tx) =>
      recordAnalyticsConsent(tx, { ...owner, scopes: tokens.scopes }),
    );
    const stored = await storeGrant(handle.db, owner, {
      sub: tokens.sub,
      name: memberId,
      consentId: consent.id,
      tokens,
      keyRing,
    });
    const outcome = await syncConnection(
      { ...syncDeps, logger: log },
      stored.connectionId,
      "backfill",
    );
    expect(outcome.kind).toBe("synced");
    return { owner, stored, tokens };
  }

  /** Gives the user a row in every registered table that sync does not fill. */
  async function fillRemainingTables(userId: string, email: string) {
    const [connection] = await handle.db
      .select({ id: linkedinConnections.id })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.userId, userId))
      .limit(1);
    await handle.db
      .insert(metricGaps)
      .values({
        connectionId: connection!.id,
        metric: "page_views",
        rangeStart: "2020-01-01",
        rangeEnd: "2020-12-31",
        reason: "test gap",
      })
      .onConflictDoNothing();
    const [owned] = await handle.db
      .select({ workspaceId: linkedinConnections.workspaceId })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, connection!.id));
    await handle.db.insert(postMetricDaily).values({
      workspaceId: owned!.workspaceId,
      connectionId: connection!.id,
      postUrn: "urn:li:share:7100000000000000000",
      metric: "impressions",
      day: "2026-01-02",
      value: 12,
    });
    await handle.db.insert(importedPosts).values({
      connectionId: connection!.id,
      workspaceId: owned!.workspaceId,
      url: "https://www.linkedin.com/feed/update/urn:li:share:7100000000000000000/",
      title: '=HYPERLINK("x")',
      publishedOn: "2026-01-02",
      impressions: 120,
      fileName: "Content_2026-01-01_2026-01-31_Test.xlsx",
    });
    await handle.db.insert(sessions).values({
      sessionToken: randomBytes(16).toString("hex"),
      userId,
      expires: new Date(Date.now() + 86_400_000),
    });
    await handle.db.insert(verificationTokens).values({
      identifier: email,
      token: randomBytes(8).toString("hex"),
      expires: new Date(Date.now() + 86_400_000),
    });
    await consumeRateLimit(handle.db, userId, ERASURE_LIMIT);
    const [membership] = await handle.db
      .select({ workspaceId: memberships.workspaceId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .limit(1);
    await handle.db.insert(imports).values({
      workspaceId: membership!.workspaceId,
      connectionId: connection!.id,
      userId,
      fileName: "Content_2026-01-01_2026-01-31_Test.xlsx",
      fileSha256: randomBytes(32).toString("hex"),
      kind: "member_content",
      rowsRead: 31,
      rowsWritten: 31,
    });
    await handle.db.insert(invitations).values({
      workspaceId: membership!.workspaceId,
      email: `invitee-${randomBytes(4).toString("hex")}@example.test`,
      role: "viewer",
      tokenHash: randomBytes(32).toString("hex"),
      invitedByUserId: userId,
      expiresAt: new Date(Date.now() + 86_400_000),
    });
  }

  it("stores no token in plaintext and logs none", async () => {
    const capture = capturedLogger();
    const { tokens } = await connectMember("grace", capture.logger);
    const dump = await dumpDatabase(handle);
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump).not.toContain(tokens.accessToken);
    if (tokens.idToken) expect(dump).not.toContain(tokens.idToken);
    if (tokens.refreshToken) expect(dump).not.toContain(tokens.refreshToken);
    expect(capture.output()).toContain("sync finished");
    expect(capture.output()).not.toContain(tokens.accessToken);
  });

  it("exports every class with the database's counts", async () => {
    const { owner } = await connectMember("ada");
    const [user] = await handle.db
      .select()
      .from(users)
      .where(eq(users.id, owner.userId));
    await fillRemainingTables(owner.userId, user!.email!);
    const other = await connectMember("alan");

    const zip = await readZip(
      await readAll(exportPersonalData(handle.db, owner.userId)),
    );
    const manifest = JSON.parse(
      zip.get("manifest.json")!.toString("utf8"),
    ) as ExportManifest;
    expect(manifest.files.map((file) => file.file).sort()).toEqual(
      PERSONAL_DATA.map((entry) => entry.file).sort(),
    );
    for (const entry of PERSONAL_DATA) {
      const line = manifest.files.find((file) => file.file === entry.file)!;
      const expected = await countOwnedRows(handle.db, entry, owner.userId);
      expect(line.rows, entry.file).toBe(expected);
      expect(expected, `${entry.file} has data`).toBeGreaterThan(0);
      const content = zip.get(entry.file)!;
      expect(createHash("sha256").update(content).digest("hex")).toBe(
        line.sha256,
      );
      if (entry.format === "json")
        expect((JSON.parse(content.toString()) as unknown[]).length).toBe(
          expected,
        );
    }
    const all = [...zip.values()].map((file) => file.toString()).join("\n");
    expect(all).not.toContain(other.owner.userId);
    expect(all).not.toContain(other.tokens.sub);
    expect(all).not.toContain("access_token_encrypted");
    expect(all).not.toContain(keyRing.currentKeyId + ".");
  });

  it("erasure leaves no row referencing the person", async () => {
    const { owner } = await connectMember("grace");
    const [user] = await handle.db
      .select()
      .from(users)
      .where(eq(users.id, owner.userId));
    await fillRemainingTables(owner.userId, user!.email!);
    // A second member who stays, so audit events are pseudonymised, not deleted.
    const admin = await createOwner(handle.db);
    await handle.db.insert(memberships).values({
      workspaceId: owner.workspaceId,
      userId: admin.userId,
      role: "admin",
    });
    for (const entry of PERSONAL_DATA)
      expect(
        await countOwnedRows(handle.db, entry, owner.userId),
        `${tableName(entry)} before`,
      ).toBeGreaterThan(0);

    const receipt = await eraseUser(erasureDeps, owner.userId);

    for (const entry of PERSONAL_DATA)
      expect(
        await countOwnedRows(handle.db, entry, owner.userId),
        tableName(entry),
      ).toBe(0);
    for (const value of Object.values(schema)) {
      if (!(value instanceof PgTable)) continue;
      const config = getTableConfig(value);
      for (const column of config.columns) {
        if (
          !["user_id", "actor_user_id", "id", "target_id"].includes(column.name)
        )
          continue;
        if (column.getSQLType() !== "text") continue;
        const { rows } = await handle.sql.executeSql(
          `select count(*)::int as n from "${config.name}" where "${column.name}" = $1`,
          [owner.userId],
        );
        expect(
          (rows[0] as { n: number }).n,
          `${config.name}.${column.name}`,
        ).toBe(0);
      }
    }
    const dump = await dumpDatabase(handle);
    expect(dump).not.toContain(owner.userId);
    expect(dump).not.toContain(user!.email!);

    expect(receipt.removed.users).toBe(1);
    expect(receipt.removed.sessions).toBe(1);
    expect(receipt.removed.metric_daily).toBeGreaterThan(0);
    expect(receipt.workspaces).toEqual({ transferred: 1, deleted: 0 });
    expect(receipt.linkedinTokens).toEqual({ revoked: 1, notRevoked: 0 });
    expect(receipt.pseudonymised.audit_events).toBeGreaterThan(0);
    const { signature, ...payload } = receipt;
    expect(verifyPayload(payload, signature.value, SECRET)).toBe(true);
    const [stored] = await handle.db
      .select()
      .from(deletionReceipts)
      .where(eq(deletionReceipts.id, receipt.receiptId));
    expect(stored?.signature).toBe(signature.value);

    const [heir] = await handle.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, admin.userId));
    expect(heir?.role).toBe("owner");
    const kept = await handle.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.workspaceId, owner.workspaceId));
    expect(
      kept.some((event) =>
        String(event.details.actorPseudonym).startsWith("erased:"),
      ),
    ).toBe(true);
  });

  it("erasure receipt counts cascaded rows", async () => {
    const { owner, stored } = await connectMember("ada");
    const [user] = await handle.db
      .select()
      .from(users)
      .where(eq(users.id, owner.userId));
    await fillRemainingTables(owner.userId, user!.email!);
    const [apiConnection] = await handle.db
      .select({ urn: linkedinConnections.urn })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, stored.connectionId));
    // Two imported files in the person's own workspace, which is deleted
    // with them because it has no admin.
    for (const [from, to] of [
      ["2025-01-01", "2025-01-31"],
      ["2025-02-01", "2025-02-28"],
    ] as const) {
      const file = await downloadExport(
        emulator,
        "member_content",
        apiConnection!.urn,
        from,
        to,
      );
      await importExportFile(handle.db, owner, {
        ...file,
        apiConnectionId: stored.connectionId,
      });
    }
    // One more in a workspace that stays, where only the person's rows go.
    const host = await createOwner(handle.db);
    await handle.db.insert(memberships).values({
      workspaceId: host.workspaceId,
      userId: owner.userId,
      role: "marketer",
    });
    const shared = await downloadExport(
      emulator,
      "member_content",
      apiConnection!.urn,
      "2025-03-01",
      "2025-03-31",
    );
    await importExportFile(
      handle.db,
      { userId: owner.userId, workspaceId: host.workspaceId, role: "marketer" },
      shared,
    );
    const before = await countTables(handle);
    const [ownImports] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(imports)
      .where(eq(imports.userId, owner.userId));
    expect(ownImports!.n).toBe(4);

    const receipt = await eraseUser(erasureDeps, owner.userId);

    const after = await countTables(handle);
    const [added] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, receipt.receiptId));
    expect(added!.n).toBe(1);
    expect(receipt.removed.imports).toBe(4);
    expect(receipt.removed.imported_subjects).toBe(2);
    expect(receipt.removed.workspaces).toBe(1);
    for (const table of Object.keys(before)) {
      const created =
        table === "audit_events"
          ? added!.n
          : table === "deletion_receipts"
            ? 1
            : 0;
      const deleted = before[table]! - after[table]! + created;
      expect(receipt.removed[table] ?? 0, table).toBe(deleted);
    }
  });

  it("erasure deletes a workspace without an admin", async () => {
    const owner = await createOwner(handle.db);
    const viewer = await createOwner(handle.db);
    await handle.db.insert(memberships).values({
      workspaceId: owner.workspaceId,
      userId: viewer.userId,
      role: "viewer",
    });
    const receipt = await eraseUser(erasureDeps, owner.userId);
    expect(receipt.workspaces).toEqual({ transferred: 0, deleted: 1 });
    expect(receipt.removed.workspaces).toBe(1);
    const left = await handle.db
      .select()
      .from(memberships)
      .where(eq(memberships.workspaceId, owner.workspaceId));
    expect(left).toHaveLength(0);
  });

  it("erasure while one runs is a conflict", async () => {
    const owner = await createOwner(handle.db);
    await handle.db
      .update(users)
      .set({ erasureStartedAt: new Date() })
      .where(eq(users.id, owner.userId));
    await expect(eraseUser(erasureDeps, owner.userId)).rejects.toMatchObject({
      status: 409,
    });
    const [still] = await handle.db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, owner.userId));
    expect(still).toBeDefined();
  });

  it("withdrawal stops sync and deletes collected data", async () => {
    const { owner, stored, tokens } = await connectMember("alan");
    const before = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(metricDaily)
      .where(eq(metricDaily.workspaceId, owner.workspaceId));
    const tablesBefore = await countTables(handle);
    let cancelled: string[] = [];
    const result = await withdrawAnalyticsConsent(
      {
        ...erasureDeps,
        cancelSyncJobs: (ids) => {
          cancelled = ids;
          return Promise.resolve(ids.length);
        },
      },
      owner.userId,
    );
    expect(cancelled).toContain(stored.connectionId);
    expect(result.removed.metric_daily).toBe(before[0]!.n);
    expect(result.removed.linkedin_grants).toBe(1);
    expect(result.tokensRevoked).toBe(1);
    const tablesAfter = await countTables(handle);
    for (const table of Object.keys(tablesBefore)) {
      // One consent.withdrawn row per affected workspace.
      const created = table === "audit_events" ? 1 : 0;
      expect(result.removed[table] ?? 0, table).toBe(
        tablesBefore[table]! - tablesAfter[table]! + created,
      );
    }
    for (const table of [metricDaily, metricRangeTotals]) {
      const rows = await handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(table)
        .where(eq(table.workspaceId, owner.workspaceId));
      expect(rows[0]!.n, getTableConfig(table).name).toBe(0);
    }
    const gaps = await handle.db
      .select()
      .from(metricGaps)
      .where(eq(metricGaps.connectionId, stored.connectionId));
    expect(gaps).toHaveLength(0);
    const connections = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.userId, owner.userId));
    expect(connections).toHaveLength(0);
    expect((await analyticsConsentState(handle.db, owner.userId)).state).toBe(
      "none",
    );
    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "consent.withdrawn"))
      .orderBy(sql`${auditEvents.id} desc`)
      .limit(1);
    expect(audit?.actorUserId).toBe(owner.userId);
    // LinkedIn no longer accepts the token.
    const probe = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(probe.status).toBe(401);
  });

  it("outdated consent pauses sync until accepted", async () => {
    const { owner, stored } = await connectMember("grace");
    await handle.db
      .update(consents)
      .set({ version: "2000-01-01" })
      .where(eq(consents.userId, owner.userId));
    expect((await analyticsConsentState(handle.db, owner.userId)).state).toBe(
      "outdated",
    );
    const paused = await syncConnection(syncDeps, stored.connectionId, "daily");
    expect(paused.kind).toBe("stopped");
    const resumed = await handle.db.transaction(async (tx) => {
      await recordAnalyticsConsent(tx, {
        ...owner,
        scopes: [...CONNECT_SCOPES],
      });
      return resumePausedConnections(tx, owner.userId);
    });
    expect(resumed).toEqual([stored.connectionId]);
    const again = await syncConnection(syncDeps, stored.connectionId, "daily");
    expect(again.kind).toBe("synced");
  });

  it("rotation re-encrypts under the new key", async () => {
    const { stored } = await connectMember("ada");
    const rotated: KeyRing = {
      currentKeyId: "k2",
      keys: new Map([["k2", randomBytes(32)], ...keyRing.keys]),
    };
    const result = await rotateTokenKeys(handle.db, rotated);
    expect(result.rotated).toBeGreaterThan(0);
    const grants = await handle.db
      .select({ access: linkedinGrants.accessTokenEncrypted })
      .from(linkedinGrants);
    for (const grant of grants)
      if (grant.access) expect(keyIdOf(grant.access)).toBe("k2");
    const outcome = await syncConnection(
      { ...syncDeps, keyRing: rotated },
      stored.connectionId,
      "daily",
    );
    expect(outcome.kind).toBe("synced");
    expect((await rotateTokenKeys(handle.db, rotated)).rotated).toBe(0);
  });

  it("rate limit rejects the fourth erasure attempt", async () => {
    const owner = await createOwner(handle.db);
    const now = new Date("2026-03-01T10:20:00Z");
    for (let attempt = 0; attempt < 3; attempt += 1)
      await consumeRateLimit(handle.db, owner.userId, ERASURE_LIMIT, now);
    await expect(
      consumeRateLimit(handle.db, owner.userId, ERASURE_LIMIT, now),
    ).rejects.toMatchObject({ status: 429, retryAfterSeconds: 2400 });
  });

  it("purge removes expired rows and records the run", async () => {
    const old = new Date(Date.now() - 40 * 86_400_000);
    await handle.db.insert(apiCalls).values({
      endpoint: "/rest/test",
      status: 200,
      durationMs: 1,
      calledAt: old,
    });
    const removed = await purgeExpiredData(handle.db, {
      apiCalls: 30,
      auditEvents: 400,
      revokedMetrics: 30,
      deletedWorkspaceData: 0,
    });
    expect(removed.api_calls).toBeGreaterThan(0);
    const runs = await handle.db.select().from(schema.purgeRuns);
    expect(runs.at(-1)?.status).toBe("succeeded");
  });

  it("exports metrics in key order across connections", async () => {
    const owner = await createOwner(handle.db);
    const stranger = await createOwner(handle.db);
    const connectionIds: string[] = [];
    for (let index = 0; index < 3; index += 1)
      connectionIds.push(
        await createConnection(handle.db, owner, { kind: "organization" }),
      );
    const strangerConnection = await createConnection(handle.db, stranger, {
      kind: "organization",
    });
    // Different row counts per connection, so pages end inside a connection
    // and at a connection's last row.
    const rowsFor = (
      context: { workspaceId: string },
      connectionId: string,
      days: number,
    ) =>
      ["reactions", "impressions"].flatMap((metric) =>
        Array.from({ length: days }, (_, day) => ({
          workspaceId: context.workspaceId,
          connectionId,
          metric,
          day: `2025-01-${String(day + 1).padStart(2, "0")}`,
          value: day,
          source: "api" as const,
        })),
      );
    await handle.db
      .insert(metricDaily)
      .values([
        ...rowsFor(owner, connectionIds[0]!, 7),
        ...rowsFor(owner, connectionIds[1]!, 3),
        ...rowsFor(owner, connectionIds[2]!, 11),
        ...rowsFor(stranger, strangerConnection, 5),
      ]);
    const entry = PERSONAL_DATA.find((item) => item.source === metricDaily)!;

    const key = (row: Record<string, unknown>) =>
      `${String(row.connectionId)} ${String(row.metric)} ${String(row.day)}`;
    const expected = (
      await handle.db
        .select()
        .from(metricDaily)
        .where(inArray(metricDaily.connectionId, connectionIds))
        .orderBy(metricDaily.connectionId, metricDaily.metric, metricDaily.day)
    ).map(key);
    expect(expected).toHaveLength(42);
    for (const pageSize of [1, 5, 6, 14, 1000]) {
      const keys: string[] = [];
      for await (const row of ownedRows(
        handle.db,
        entry,
        owner.userId,
        pageSize,
      ))
        keys.push(key(row));
      expect(keys, `page size ${pageSize}`).toEqual(expected);
    }
  });

  it("registry row counts include rate limits", async () => {
    const owner = await createOwner(handle.db);
    await consumeRateLimit(handle.db, owner.userId, ERASURE_LIMIT);
    const entry = PERSONAL_DATA.find((item) => item.source === rateLimits)!;
    expect(await countOwnedRows(handle.db, entry, owner.userId)).toBe(1);
  });
});
