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
  metricGaps,
  metricRangeTotals,
} from "@/lib/db/schema";
import type { DatabaseHandle } from "@/lib/db/client";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { DEFAULT_VIEW } from "@/lib/metrics/view";
import { discoverOrganizations } from "@/lib/sync/discover";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { recordSyncGaps } from "@/lib/sync/sync-gaps";
import { upsertDailyMetrics } from "@/lib/sync/upsert";
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

  it("resync after a long break leaves a gap", async () => {
    const { owner, stored } = await connectMember("katherine");
    const now = new Date();
    const yesterday = addDays(todayUtc(now), -1);
    const day = (offset: number) => addDays(yesterday, offset);
    // Twenty days stored by a sync 400 days ago, the last one before it stopped.
    await upsertDailyMetrics(
      handle.db,
      Array.from({ length: 20 }, (_, index) => ({
        workspaceId: owner.workspaceId,
        connectionId: stored.connectionId,
        metric: "impressions",
        day: day(-420 + index),
        value: 3,
        source: "api" as const,
      })),
    );
    await handle.db
      .update(linkedinConnections)
      .set({ lastSyncedAt: new Date(now.getTime() - 400 * 86_400_000) })
      .where(eq(linkedinConnections.id, stored.connectionId));

    const outcome = await syncConnection(deps, stored.connectionId, "daily");
    expect(outcome.kind).toBe("synced");

    const gapsOf = () =>
      handle.db
        .select({
          metric: metricGaps.metric,
          from: metricGaps.rangeStart,
          to: metricGaps.rangeEnd,
        })
        .from(metricGaps)
        .where(
          and(
            eq(metricGaps.connectionId, stored.connectionId),
            eq(metricGaps.kind, "not_synced"),
          ),
        )
        .orderBy(metricGaps.rangeStart);
    // The sync reached back 365 days. Only impressions had older rows.
    expect(await gapsOf()).toEqual([
      { metric: "impressions", from: day(-400), to: day(-365) },
    ]);

    const data = await loadDashboardData(
      handle.db,
      owner,
      { ...DEFAULT_VIEW, range: "all", metrics: ["impressions"] },
      now,
    );
    expect(data.range).toEqual({ from: day(-420), to: yesterday });
    const points = data.series.find(
      (series) => series.metric === "impressions",
    )!.points;
    const valueOn = (offset: number) =>
      points.find((point) => point.day === day(offset))?.value;
    expect(valueOn(-401)).toBe(3);
    expect(valueOn(-400)).toBeNull();
    expect(valueOn(-365)).toBeNull();
    expect(valueOn(-364)).not.toBeNull();
    const impressions = data.kpis.find((kpi) => kpi.metric === "impressions");
    expect(impressions?.coverage).toMatchObject({
      storedDays: 20 + 365,
      days: 421,
    });

    // Rows written later inside the gap split it around them.
    await handle.db.transaction(async (tx) => {
      await upsertDailyMetrics(tx, [
        {
          workspaceId: owner.workspaceId,
          connectionId: stored.connectionId,
          metric: "impressions",
          day: day(-390),
          value: 1,
          source: "api",
        },
      ]);
      await recordSyncGaps(tx, stored.connectionId, "impressions", {
        from: day(-390),
        to: day(-390),
      });
    });
    expect(await gapsOf()).toEqual([
      { metric: "impressions", from: day(-400), to: day(-391) },
      { metric: "impressions", from: day(-389), to: day(-365) },
    ]);
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
