import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import {
  accounts,
  apiCalls,
  linkedinConnections,
  metricDaily,
  metricRangeTotals,
} from "@/lib/db/schema";
import type { DatabaseHandle } from "@/lib/db/client";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import { discoverOrganizations } from "@/lib/sync/discover";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import {
  authorizeMember,
  fetchTruth,
  startTestEmulator,
} from "../helpers/emulator";
import { createOwner } from "../helpers/fixtures";

const DAILY = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "follower_gains",
  "page_views",
];

describe.each(testEngines())("sync against the emulator on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let deps: SyncDeps;

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    deps = {
      database: handle.db,
      keyRing: {
        currentKeyId: "test",
        keys: new Map([["test", randomBytes(32)]]),
      },
      apiBase: emulator.url,
      logger: pino({ level: "silent" }),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function connectMember(memberId: string) {
    const owner = await createOwner(handle.db);
    const tokens = await authorizeMember(emulator, memberId, [
      ...CONNECT_SCOPES,
    ]);
    // The same demo member may sign in to several test workspaces.
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
      keyRing: deps.keyRing,
    });
    return { owner, stored, tokens };
  }

  async function storedSeries(connectionId: string, metric: string) {
    return handle.db
      .select({ day: metricDaily.day, value: metricDaily.value })
      .from(metricDaily)
      .where(
        and(
          eq(metricDaily.connectionId, connectionId),
          eq(metricDaily.metric, metric),
        ),
      )
      .orderBy(metricDaily.day);
  }

  it("backfill stores exactly the truth and a re-sync changes nothing", async () => {
    const { stored, tokens } = await connectMember("grace");
    const urn = `urn:li:person:${tokens.sub}`;

    const first = await syncConnection(deps, stored.connectionId, "backfill");
    expect(first.kind).toBe("synced");

    const yesterday = addDays(todayUtc(new Date()), -1);
    const range = { from: addDays(yesterday, -364), to: yesterday };
    for (const metric of DAILY.filter((name) => name !== "page_views")) {
      const truth = await fetchTruth(emulator, urn, metric, range);
      const rows = await storedSeries(stored.connectionId, metric);
      expect(rows.length, metric).toBe(365);
      const truthByDay = new Map(
        truth.map((point) => [point.day, point.value]),
      );
      for (const row of rows)
        expect(row.value, `${metric} ${row.day}`).toBe(
          truthByDay.get(row.day) ?? 0,
        );
    }
    const reached = await handle.db
      .select()
      .from(metricRangeTotals)
      .where(eq(metricRangeTotals.connectionId, stored.connectionId));
    expect(reached).toHaveLength(8);

    const second = await syncConnection(deps, stored.connectionId, "backfill");
    expect(second).toMatchObject({ kind: "synced", rowsWritten: 0 });
    const [connection] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, stored.connectionId));
    expect(connection?.syncProgress).toBe(100);
    expect(connection?.lastSyncedAt).not.toBeNull();
  });

  it("discovers administered pages and syncs their page views", async () => {
    const { stored } = await connectMember("ada");

    const pageIds = await discoverOrganizations(deps, stored.grantId);
    expect(pageIds).toHaveLength(1);
    const outcome = await syncConnection(deps, pageIds[0]!, "backfill");
    expect(outcome.kind).toBe("synced");

    const [page] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, pageIds[0]!));
    expect(page?.urn).toMatch(/^urn:li:organization:\d+$/);
    const yesterday = addDays(todayUtc(new Date()), -1);
    const range = { from: addDays(yesterday, -27), to: yesterday };
    const truth = await fetchTruth(emulator, page!.urn, "page_views", range);
    const rows = await storedSeries(page!.id, "page_views");
    const storedInRange = rows.filter((row) => row.day >= range.from);
    expect(storedInRange.map((row) => row.value)).toEqual(
      truth.map((point) => point.value),
    );
    expect(truth.reduce((sum, point) => sum + point.value, 0)).toBeGreaterThan(
      0,
    );
  });

  it("records each call without the token", async () => {
    const { stored, tokens } = await connectMember("alan");
    await syncConnection(deps, stored.connectionId, "daily");

    const calls = await handle.db
      .select()
      .from(apiCalls)
      .where(eq(apiCalls.connectionId, stored.connectionId));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.status === 200)).toBe(true);
    const dump = await handle.sql.executeSql("select * from linkedin_grants");
    expect(JSON.stringify(dump.rows)).not.toContain(tokens.accessToken);
  });

  it("a revoked token stops the sync and drops the token", async () => {
    const { stored, tokens } = await connectMember("grace");
    const revoke = await fetch(`${emulator.url}/__emulator/config`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ revokedMembers: ["grace"] }),
    });
    expect(revoke.ok).toBe(true);

    const outcome = await syncConnection(deps, stored.connectionId, "daily");

    expect(outcome.kind).toBe("stopped");
    const [connection] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, stored.connectionId));
    expect(connection?.status).toBe("revoked");
    const grants = await handle.sql.executeSql(
      "select access_token_encrypted from linkedin_grants where id = $1",
      [stored.grantId],
    );
    expect(grants.rows).toEqual([{ access_token_encrypted: null }]);
    expect(tokens.accessToken).not.toBe("");
    await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" });
  });
});
