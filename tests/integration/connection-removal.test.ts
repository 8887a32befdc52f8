import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import {
  connectionRemovalPreview,
  removeConnection,
  type ConnectionRemovalDeps,
} from "@/lib/connections/remove";
import type { KeyRing } from "@/lib/crypto/tokens";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  auditEvents,
  imports,
  linkedinConnections,
  linkedinGrants,
  memberships,
  metricDaily,
  users,
  type Role,
} from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { listDays } from "@/lib/linkedin/days";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import { upsertDailyMetrics } from "@/lib/sync/upsert";
import { testEngines } from "../helpers/databases";
import {
  authorizeMember,
  startTestEmulator,
  TEST_CLIENT,
} from "../helpers/emulator";
import { createOwner } from "../helpers/fixtures";

const DAYS = listDays({ from: "2026-06-01", to: "2026-06-05" });

describe.each(testEngines())("removing a connection on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let keyRing: KeyRing;
  let deps: ConnectionRemovalDeps;
  let cancelled: string[][];

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    keyRing = { currentKeyId: "k1", keys: new Map([["k1", randomBytes(32)]]) };
    cancelled = [];
    deps = {
      keyRing,
      linkedin: { oauthBase: emulator.url, ...TEST_CLIENT },
      logger: pino({ level: "silent" }),
      cancelSyncJobs: (ids) => {
        cancelled.push(ids);
        return Promise.resolve(ids.length);
      },
    };
  });

  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function addMember(
    workspaceId: string,
    role: Role,
  ): Promise<WorkspaceContext> {
    const id = randomUUID();
    await handle.db
      .insert(users)
      .values({ id, name: `${role} ${id.slice(0, 6)}`, email: `${id}@x.test` });
    await handle.db
      .insert(memberships)
      .values({ workspaceId, userId: id, role });
    return { userId: id, workspaceId, role };
  }

  async function storeDays(context: WorkspaceContext, connectionId: string) {
    await upsertDailyMetrics(
      handle.db,
      DAYS.map((day) => ({
        workspaceId: context.workspaceId,
        connectionId,
        metric: "impressions",
        day,
        value: 7,
        source: "api" as const,
      })),
    );
  }

  /** Connects a demo member with a page found under the same authorization. */
  async function connectWithPage(context: WorkspaceContext, memberId: string) {
    const tokens = await authorizeMember(emulator, memberId, [
      ...CONNECT_SCOPES,
    ]);
    const consent = await handle.db.transaction((tx) =>
      recordAnalyticsConsent(tx, { ...context, scopes: tokens.scopes }),
    );
    const stored = await storeGrant(handle.db, context, {
      sub: tokens.sub,
      name: memberId,
      consentId: consent.id,
      tokens,
      keyRing,
    });
    const [page] = await handle.db
      .insert(linkedinConnections)
      .values({
        workspaceId: context.workspaceId,
        userId: context.userId,
        grantId: stored.grantId,
        kind: "organization",
        urn: `urn:li:organization:${randomUUID()}`,
        name: `${memberId}'s page`,
      })
      .returning({ id: linkedinConnections.id });
    await storeDays(context, stored.connectionId);
    await storeDays(context, page!.id);
    return {
      personId: stored.connectionId,
      pageId: page!.id,
      grantId: stored.grantId,
      accessToken: tokens.accessToken,
    };
  }

  async function importConnection(context: WorkspaceContext) {
    const [row] = await handle.db
      .insert(linkedinConnections)
      .values({
        workspaceId: context.workspaceId,
        userId: context.userId,
        kind: "person",
        source: "import",
        urn: `urn:li:person:${randomUUID()}`,
        name: "Imported profile",
      })
      .returning({ id: linkedinConnections.id });
    await storeDays(context, row!.id);
    await handle.db.insert(imports).values({
      workspaceId: context.workspaceId,
      connectionId: row!.id,
      userId: context.userId,
      fileName: "content.xlsx",
      fileSha256: randomBytes(32).toString("hex"),
      kind: "member_content",
      rowsRead: DAYS.length,
      rowsWritten: DAYS.length,
    });
    return row!.id;
  }

  async function tokenStatus(accessToken: string): Promise<number> {
    const response = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    await response.body?.cancel();
    return response.status;
  }

  async function connectionsOf(workspaceId: string) {
    const rows = await handle.db
      .select({ id: linkedinConnections.id })
      .from(linkedinConnections)
      .where(eq(linkedinConnections.workspaceId, workspaceId));
    return rows.map((row) => row.id).sort();
  }

  async function metricRowsOf(ids: string[]) {
    return (
      await handle.db
        .select({ day: metricDaily.day })
        .from(metricDaily)
        .where(inArray(metricDaily.connectionId, ids))
    ).length;
  }

  it("removes the whole authorization", async () => {
    const owner = await createOwner(handle.db);
    const ada = await connectWithPage(owner, "ada");
    const imported = await importConnection(owner);

    expect(
      await connectionRemovalPreview(handle.db, owner, ada.pageId),
    ).toEqual(["ada's page", "ada"]);
    const result = await removeConnection(handle.db, owner, ada.pageId, deps);

    expect(result).toEqual({
      removed: ["ada's page", "ada"],
      metricRowsRemoved: 2 * DAYS.length,
      importsRemoved: 0,
      tokensRevoked: 1,
      tokensNotRevoked: 0,
    });
    expect(await connectionsOf(owner.workspaceId)).toEqual([imported]);
    expect(await metricRowsOf([ada.personId, ada.pageId])).toBe(0);
    expect(await metricRowsOf([imported])).toBe(DAYS.length);
    const grants = await handle.db
      .select({ id: linkedinGrants.id })
      .from(linkedinGrants)
      .where(eq(linkedinGrants.id, ada.grantId));
    expect(grants).toEqual([]);
    expect(await tokenStatus(ada.accessToken)).toBe(401);
    expect(cancelled.at(-1)?.sort()).toEqual([ada.personId, ada.pageId].sort());

    const [audit] = await handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.workspaceId, owner.workspaceId),
          eq(auditEvents.action, "connection.removed"),
        ),
      );
    expect(audit?.actorUserId).toBe(owner.userId);
    expect(audit?.targetId).toBe(ada.pageId);
    expect(audit?.details).toEqual({
      source: "api",
      connections: 2,
      metricRowsRemoved: 2 * DAYS.length,
      importsRemoved: 0,
      grantRemoved: true,
    });
  });

  it("removes an import alone", async () => {
    const owner = await createOwner(handle.db);
    const grace = await connectWithPage(owner, "grace");
    const imported = await importConnection(owner);

    const result = await removeConnection(handle.db, owner, imported, deps);

    expect(result).toMatchObject({
      removed: ["Imported profile"],
      metricRowsRemoved: DAYS.length,
      importsRemoved: 1,
      tokensRevoked: 0,
    });
    expect(await connectionsOf(owner.workspaceId)).toEqual(
      [grace.personId, grace.pageId].sort(),
    );
    expect(await tokenStatus(grace.accessToken)).toBe(200);
  });

  it("marketer removes only own", async () => {
    const owner = await createOwner(handle.db);
    const ownersImport = await importConnection(owner);
    const marketer = await addMember(owner.workspaceId, "marketer");
    const marketersImport = await importConnection(marketer);
    const admin = await addMember(owner.workspaceId, "admin");

    const refused = await removeConnection(
      handle.db,
      marketer,
      ownersImport,
      deps,
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(403);
    expect(await connectionsOf(owner.workspaceId)).toEqual(
      [ownersImport, marketersImport].sort(),
    );

    await removeConnection(handle.db, marketer, marketersImport, deps);
    await removeConnection(handle.db, admin, ownersImport, deps);
    expect(await connectionsOf(owner.workspaceId)).toEqual([]);
  });

  it("hides other workspaces' connections", async () => {
    const owner = await createOwner(handle.db);
    const stranger = await createOwner(handle.db);
    const theirs = await importConnection(stranger);

    const refused = await removeConnection(handle.db, owner, theirs, deps).then(
      () => null,
      (error: unknown) => error,
    );
    expect((refused as AppError).status).toBe(404);
    expect(await connectionsOf(stranger.workspaceId)).toEqual([theirs]);
  });
});
