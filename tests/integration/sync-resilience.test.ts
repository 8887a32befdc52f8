import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  apiCalls,
  integrationStatus,
  linkedinConnections,
  linkedinGrants,
  metricDaily,
} from "@/lib/db/schema";
import {
  BudgetExhausted,
  consumeBudget,
  nextUtcMidnight,
} from "@/lib/linkedin/budget";
import { LINKEDIN_VERSION } from "@/lib/linkedin/config";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { discoverOrganizations } from "@/lib/sync/discover";
import { loadApiHealth } from "@/lib/sync/health";
import { purgeRevokedConnections } from "@/lib/sync/purge";
import { versionSunset } from "@/lib/sync/connection-state";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import { createOwner } from "../helpers/fixtures";
import { connectMember, setClock, setSwitches } from "../helpers/connect";
import {
  TEST_CLIENT,
  fetchTruth,
  startTestEmulator,
} from "../helpers/emulator";

const DAY_MS = 86_400_000;

describe.each(testEngines())("sync resilience on $name", (engine) => {
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
      now: () => new Date(emulator.state.clock.now()),
      budgets: { appDaily: 10_000, memberDaily: 10_000 },
      oauth: { oauthBase: emulator.url, ...TEST_CLIENT },
    };
  });
  afterEach(async () => {
    await fetch(`${emulator.url}/__emulator/reset`, { method: "POST" });
    await handle.db.delete(integrationStatus);
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function connection(id: string) {
    const [row] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, id));
    return row;
  }

  it("short pages still reach every element", async () => {
    await setSwitches(emulator, { shortPages: true });
    const { stored, tokens } = await connectMember(
      handle.db,
      emulator,
      "ada",
      deps.keyRing,
    );

    const pages = await discoverOrganizations(deps, stored.grantId);
    const outcome = await syncConnection(deps, stored.connectionId, "backfill");

    expect(pages).toHaveLength(1);
    expect(outcome.kind).toBe("synced");
    const yesterday = addDays(todayUtc(deps.now!()), -1);
    const range = { from: addDays(yesterday, -364), to: yesterday };
    const truth = await fetchTruth(
      emulator,
      `urn:li:person:${tokens.sub}`,
      "impressions",
      range,
    );
    const rows = await handle.db
      .select({ day: metricDaily.day, value: metricDaily.value })
      .from(metricDaily)
      .where(
        and(
          eq(metricDaily.connectionId, stored.connectionId),
          eq(metricDaily.metric, "impressions"),
        ),
      );
    expect(rows).toHaveLength(365);
    const impressions = new Map(
      rows.map((row) => [row.day, row.value] as const),
    );
    for (const point of truth)
      expect(impressions.get(point.day), point.day).toBe(point.value);
  });

  it("an expired token stops the sync before any call", async () => {
    const { stored, tokens } = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    await setClock(emulator, new Date(tokens.expiresAt.getTime() + DAY_MS));
    const callsBefore = emulator.state.calls.total;

    const outcome = await syncConnection(deps, stored.connectionId, "daily");

    expect(outcome.kind).toBe("stopped");
    expect(emulator.state.calls.total).toBe(callsBefore);
    expect((await connection(stored.connectionId))?.status).toBe(
      "needs_reauth",
    );
  });

  it("a token LinkedIn expired early needs reauth", async () => {
    const { stored } = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    await setSwitches(emulator, { expiredMembers: ["grace"] });

    const outcome = await syncConnection(deps, stored.connectionId, "daily");

    expect(outcome.kind).toBe("stopped");
    const row = await connection(stored.connectionId);
    expect(row?.status).toBe("needs_reauth");
    expect(row?.statusReason).toContain("Reconnect");
  });

  it("refreshes an expired token without extending the refresh token", async () => {
    await setSwitches(emulator, { refreshTokens: true });
    const { stored, tokens } = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    expect(tokens.refreshTokenExpiresAt).not.toBeNull();
    await setClock(emulator, new Date(tokens.expiresAt.getTime() + DAY_MS));

    const outcome = await syncConnection(deps, stored.connectionId, "daily");

    expect(outcome.kind).toBe("synced");
    const [grant] = await handle.db
      .select()
      .from(linkedinGrants)
      .where(eq(linkedinGrants.id, stored.grantId));
    expect(grant!.expiresAt!.getTime()).toBeGreaterThan(deps.now!().getTime());
    expect(grant?.refreshTokenExpiresAt?.getTime()).toBe(
      tokens.refreshTokenExpiresAt?.getTime(),
    );
  });

  it("records a sunset version until a sync succeeds", async () => {
    await setSwitches(emulator, { sunsetVersions: [LINKEDIN_VERSION] });
    const { stored } = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );

    const callsBefore = emulator.state.calls.total;
    const first = await syncConnection(deps, stored.connectionId, "daily");

    expect(first.kind).toBe("failed");
    expect(emulator.state.calls.total - callsBefore).toBe(1);
    expect(await versionSunset(handle.db, LINKEDIN_VERSION)).toMatchObject({
      version: LINKEDIN_VERSION,
    });
    expect((await connection(stored.connectionId))?.syncState).toBe("failed");

    await setSwitches(emulator, { sunsetVersions: [] });
    const second = await syncConnection(deps, stored.connectionId, "daily");

    expect(second.kind).toBe("synced");
    expect(await versionSunset(handle.db, LINKEDIN_VERSION)).toBeNull();
  });

  it("purges a revoked connection after the grace period", async () => {
    const { stored, owner } = await connectMember(
      handle.db,
      emulator,
      "grace",
      deps.keyRing,
    );
    await syncConnection(deps, stored.connectionId, "daily");
    await setSwitches(emulator, { revokedMembers: ["grace"] });
    await syncConnection(
      { ...deps, revokedRetentionDays: 30 },
      stored.connectionId,
      "daily",
    );
    const now = deps.now!();
    const rowsOf = () =>
      handle.db
        .select({ day: metricDaily.day })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, stored.connectionId));
    expect((await rowsOf()).length).toBeGreaterThan(0);

    const early = await purgeRevokedConnections(
      handle.db,
      new Date(now.getTime() + 29 * DAY_MS),
    );
    const due = await purgeRevokedConnections(
      handle.db,
      new Date(now.getTime() + 31 * DAY_MS),
    );

    const health = await loadApiHealth(handle.db, owner, {
      limits: deps.budgets!,
      now,
    });
    expect(health.connections[0]).toMatchObject({ status: "revoked" });
    expect(health.connections[0]?.lastError).toContain("revoked");
    expect(health.failed).toEqual([]);
    expect(early).not.toContain(stored.connectionId);
    expect(due).toContain(stored.connectionId);
    expect(await rowsOf()).toEqual([]);
    expect((await connection(stored.connectionId))?.status).toBe("revoked");
  });

  it("records the budget left with each call", async () => {
    const { stored } = await connectMember(
      handle.db,
      emulator,
      "alan",
      deps.keyRing,
    );

    await syncConnection(
      { ...deps, budgets: { appDaily: 10_000, memberDaily: 50 } },
      stored.connectionId,
      "daily",
    );

    const calls = await handle.db
      .select({ left: apiCalls.budgetRemaining })
      .from(apiCalls)
      .where(eq(apiCalls.connectionId, stored.connectionId))
      .orderBy(apiCalls.id);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls[0]?.left).toBe(49);
    expect(calls.at(-1)?.left).toBe(50 - calls.length);
  });

  it("concurrent budget draws never overspend", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const limits = { appDaily: 1000, memberDaily: 20 };
    const draws = await Promise.allSettled(
      Array.from({ length: 40 }, () =>
        consumeBudget(handle.db, { memberKey: "urn:li:person:x", limits, now }),
      ),
    );

    const granted = draws.filter((draw) => draw.status === "fulfilled");
    const rejected = draws.filter((draw) => draw.status === "rejected");
    expect(granted).toHaveLength(20);
    expect(rejected).toHaveLength(20);
    for (const draw of rejected)
      expect(draw.reason).toBeInstanceOf(BudgetExhausted);
    const [first] = rejected;
    expect(first?.reason).toMatchObject({
      budget: "member",
      resetsAt: nextUtcMidnight(now),
    });
    const app = await consumeBudget(handle.db, {
      memberKey: "urn:li:person:y",
      limits,
      now,
    });
    expect(app.app).toBe(1000 - 21);
  });

  it("api health marks imported connections", async () => {
    const owner = await createOwner(handle.db);
    await handle.db.insert(linkedinConnections).values({
      workspaceId: owner.workspaceId,
      userId: owner.userId,
      kind: "person",
      source: "import",
      urn: "urn:li:person:imported",
      name: "Imported profile",
    });
    const health = await loadApiHealth(handle.db, owner, {
      limits: deps.budgets!,
      now: new Date(),
    });
    expect(health.connections).toHaveLength(1);
    expect(health.connections[0]?.source).toBe("import");
    expect(health.budgets.map((budget) => budget.label)).toEqual([
      "All of Inview (app)",
    ]);
  });
});
