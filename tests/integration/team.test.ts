import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { and, asc, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import {
  authorize,
  authorizeMembership,
  type WorkspaceContext,
} from "@/lib/auth/permissions";
import { CONNECT_SCOPES, storeGrant } from "@/lib/connections/connect";
import type { KeyRing } from "@/lib/crypto/tokens";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  auditEvents,
  invitations,
  linkedinConnections,
  linkedinGrants,
  memberships,
  metricDaily,
  users,
  type MetricsVisibility,
  type Role,
} from "@/lib/db/schema";
import { env } from "@/lib/env";
import { AppError, ForbiddenError } from "@/lib/errors";
import { listDays } from "@/lib/linkedin/days";
import { createLogger } from "@/lib/log";
import { metricsCsvLines, WORKSPACE_TOTAL_LABEL } from "@/lib/metrics/csv";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { DEFAULT_VIEW, resolveRange } from "@/lib/metrics/view";
import { recordAnalyticsConsent } from "@/lib/privacy/consent";
import type { TokenRevocationDeps } from "@/lib/privacy/linkedin-revoke";
import { upsertDailyMetrics } from "@/lib/sync/upsert";
import { deliverInvitation } from "@/lib/team/delivery";
import {
  acceptInvitation,
  createInvitation,
  INVITATION_TTL_DAYS,
  listPendingInvitations,
  previewInvitation,
  resendInvitation,
  revokeInvitation,
} from "@/lib/team/invitations";
import {
  changeMemberRole,
  leaveWorkspace,
  removeMember,
} from "@/lib/team/members";
import {
  loadWorkspacePolicies,
  loadWorkspaceSettings,
  updateWorkspaceSettings,
} from "@/lib/workspaces/workspaces";
import {
  describeDetails,
  describeTarget,
  listAuditActors,
  listAuditEvents,
} from "@/lib/audit/list";
import { snapshotDatabase } from "../helpers/callers";
import { updateExportPolicy } from "@/lib/exports/settings";
import { testEngines } from "../helpers/databases";
import {
  authorizeMember,
  startTestEmulator,
  TEST_CLIENT,
} from "../helpers/emulator";
import { createConnection, createOwner } from "../helpers/fixtures";

// The rules of team management, called through lib/ with explicit callers:
// the last owner, role ranks, invitations, removal, metrics visibility and
// invitation mail. Authorization of the entry points themselves is covered
// by the authorization matrix.

const NOW = new Date("2026-06-15T10:00:00Z");
const DAY_MS = 86_400_000;

type Member = WorkspaceContext & { email: string };

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

/** Awaits a call expected to fail with a domain error and returns the error. */
async function rejection(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("Expected the call to be rejected, but it succeeded.");
}

describe.each(testEngines())("team rules on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let keyRing: KeyRing;
  let revocation: TokenRevocationDeps;

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    keyRing = { currentKeyId: "k1", keys: new Map([["k1", randomBytes(32)]]) };
    revocation = {
      keyRing,
      linkedin: { oauthBase: emulator.url, ...TEST_CLIENT },
      logger: pino({ level: "silent" }),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function insertUser(
    label: string,
  ): Promise<{ id: string; email: string }> {
    const id = randomUUID();
    const email = `${label}-${id.slice(0, 8)}@example.test`;
    await handle.db
      .insert(users)
      .values({ id, name: `${label} ${id.slice(0, 6)}`, email });
    return { id, email };
  }

  async function addMember(
    workspaceId: string,
    role: Role,
    label: string = role,
  ): Promise<Member> {
    const user = await insertUser(label);
    await handle.db
      .insert(memberships)
      .values({ workspaceId, userId: user.id, role });
    return { userId: user.id, workspaceId, role, email: user.email };
  }

  async function rolesOf(workspaceId: string): Promise<Map<string, Role>> {
    const rows = await handle.db
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.workspaceId, workspaceId));
    return new Map(rows.map((row) => [row.userId, row.role]));
  }

  async function auditOf(workspaceId: string, action: string) {
    return handle.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.workspaceId, workspaceId),
          eq(auditEvents.action, action),
        ),
      )
      .orderBy(asc(auditEvents.id));
  }

  /** Connects an emulator member in the caller's workspace, with a real token. */
  async function connectMember(context: WorkspaceContext, memberId: string) {
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
    await upsertDailyMetrics(
      handle.db,
      listDays({ from: "2026-06-01", to: "2026-06-05" }).map((day) => ({
        workspaceId: context.workspaceId,
        connectionId: stored.connectionId,
        metric: "impressions",
        day,
        value: 5,
        source: "api" as const,
      })),
    );
    return {
      connectionId: stored.connectionId,
      accessToken: tokens.accessToken,
    };
  }

  /** The status LinkedIn (the emulator) answers for a request with the token. */
  async function tokenStatus(accessToken: string): Promise<number> {
    const response = await fetch(`${emulator.url}/v2/userinfo`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    await response.body?.cancel();
    return response.status;
  }

  describe("last owner", () => {
    it("cannot leave", async () => {
      const owner = await createOwner(handle.db);
      await addMember(owner.workspaceId, "admin");
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        leaveWorkspace(handle.db, owner, revocation),
      );

      expect(error.status).toBe(409);
      expect(error.message).toMatch(/last owner/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("cannot be demoted", async () => {
      const owner = await createOwner(handle.db);
      await addMember(owner.workspaceId, "admin");
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        changeMemberRole(handle.db, owner, {
          userId: owner.userId,
          role: "admin",
        }),
      );

      expect(error.status).toBe(409);
      expect(error.message).toMatch(/last owner cannot be demoted/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("cannot be removed", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      const before = await snapshotDatabase(handle.sql);

      // Only the owner outranks an owner, and an owner removes themself by leaving.
      const byAdmin = await rejection(
        removeMember(handle.db, admin, owner.userId, revocation),
      );
      const byOwner = await rejection(
        removeMember(handle.db, owner, owner.userId, revocation),
      );

      expect(byAdmin.status).toBe(403);
      expect(byOwner.status).toBe(409);
      expect(byOwner.message).toMatch(/Leave workspace/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("leaves after handing over ownership", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");

      await changeMemberRole(handle.db, owner, {
        userId: admin.userId,
        role: "owner",
      });
      const result = await leaveWorkspace(handle.db, owner, revocation);

      const roles = await rolesOf(owner.workspaceId);
      expect(roles.has(owner.userId)).toBe(false);
      expect(roles.get(admin.userId)).toBe("owner");
      expect(result.connectionsRemoved).toBe(0);
      const [promoted] = await auditOf(
        owner.workspaceId,
        "member.role_changed",
      );
      expect(promoted?.actorUserId).toBe(owner.userId);
      expect(promoted?.targetId).toBe(admin.userId);
      expect(promoted?.details).toEqual({ before: "admin", after: "owner" });
      const [left] = await auditOf(owner.workspaceId, "member.left");
      expect(left?.actorUserId).toBe(owner.userId);
      expect(left?.details).toMatchObject({ role: "owner" });
      // The new owner is now the last one.
      const error = await rejection(
        leaveWorkspace(handle.db, { ...admin, role: "owner" }, revocation),
      );
      expect(error.status).toBe(409);
    });

    it("is demoted after handing over ownership", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");

      await changeMemberRole(handle.db, owner, {
        userId: admin.userId,
        role: "owner",
      });
      await changeMemberRole(handle.db, owner, {
        userId: owner.userId,
        role: "marketer",
      });

      const roles = await rolesOf(owner.workspaceId);
      expect(roles.get(owner.userId)).toBe("marketer");
      expect(roles.get(admin.userId)).toBe("owner");
      const changes = await auditOf(owner.workspaceId, "member.role_changed");
      expect(changes.map((row) => row.details)).toEqual([
        { before: "admin", after: "owner" },
        { before: "owner", after: "marketer" },
      ]);
    });

    it("is removed after handing over ownership", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      await changeMemberRole(handle.db, owner, {
        userId: admin.userId,
        role: "owner",
      });

      await removeMember(
        handle.db,
        { ...admin, role: "owner" },
        owner.userId,
        revocation,
      );

      const roles = await rolesOf(owner.workspaceId);
      expect(roles.has(owner.userId)).toBe(false);
      expect(roles.get(admin.userId)).toBe("owner");
      const [removed] = await auditOf(owner.workspaceId, "member.removed");
      expect(removed?.actorUserId).toBe(admin.userId);
      expect(removed?.targetId).toBe(owner.userId);
      expect(removed?.details).toMatchObject({ role: "owner" });
    });
  });

  describe("role ranks", () => {
    it("admin cannot grant owner", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      const marketer = await addMember(owner.workspaceId, "marketer");
      const before = await snapshotDatabase(handle.sql);

      const promote = await rejection(
        changeMemberRole(handle.db, admin, {
          userId: marketer.userId,
          role: "owner",
        }),
      );
      const promoteSelf = await rejection(
        changeMemberRole(handle.db, admin, {
          userId: admin.userId,
          role: "owner",
        }),
      );
      const invite = await rejection(
        createInvitation(handle.db, admin, {
          email: "new-owner@example.test",
          role: "owner",
          allowAnyEmail: false,
        }),
      );

      expect(promote.status).toBe(403);
      expect(promoteSelf.status).toBe(403);
      expect(invite.status).toBe(403);
      expect(invite.message).toMatch(/above your own role/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("marketer cannot grant admin", async () => {
      const owner = await createOwner(handle.db);
      const marketer = await addMember(owner.workspaceId, "marketer");
      const viewer = await addMember(owner.workspaceId, "viewer");
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        changeMemberRole(handle.db, marketer, {
          userId: viewer.userId,
          role: "admin",
        }),
      );

      expect(error.status).toBe(403);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("admin cannot change or remove an owner", async () => {
      const owner = await createOwner(handle.db);
      const secondOwner = await addMember(owner.workspaceId, "owner");
      const admin = await addMember(owner.workspaceId, "admin");
      const before = await snapshotDatabase(handle.sql);

      const demote = await rejection(
        changeMemberRole(handle.db, admin, {
          userId: secondOwner.userId,
          role: "viewer",
        }),
      );
      const remove = await rejection(
        removeMember(handle.db, admin, secondOwner.userId, revocation),
      );

      expect(demote.status).toBe(403);
      expect(remove.status).toBe(403);
      expect(remove.message).toMatch(/Only an owner/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("admin cannot resend or revoke an owner invitation", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      const invitation = await createInvitation(handle.db, owner, {
        email: "future-owner@example.test",
        role: "owner",
        allowAnyEmail: false,
      });
      const before = await snapshotDatabase(handle.sql);

      const resend = await rejection(
        resendInvitation(handle.db, admin, invitation.id),
      );
      const revoke = await rejection(
        revokeInvitation(handle.db, admin, invitation.id),
      );

      expect(resend.status).toBe(403);
      expect(revoke.status).toBe(403);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    });

    it("admin manages roles up to admin", async () => {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      const marketer = await addMember(owner.workspaceId, "marketer");
      const otherAdmin = await addMember(owner.workspaceId, "admin");

      await changeMemberRole(handle.db, admin, {
        userId: marketer.userId,
        role: "admin",
      });
      await removeMember(handle.db, admin, otherAdmin.userId, revocation);

      const roles = await rolesOf(owner.workspaceId);
      expect(roles.get(marketer.userId)).toBe("admin");
      expect(roles.has(otherAdmin.userId)).toBe(false);
      const [changed] = await auditOf(owner.workspaceId, "member.role_changed");
      expect(changed?.actorUserId).toBe(admin.userId);
      expect(changed?.details).toEqual({ before: "marketer", after: "admin" });
      const [removed] = await auditOf(owner.workspaceId, "member.removed");
      expect(removed?.actorUserId).toBe(admin.userId);
      expect(removed?.targetId).toBe(otherAdmin.userId);
    });
  });

  describe("invitations", () => {
    it("accept adds the member once", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("invitee");
      const invitation = await createInvitation(handle.db, owner, {
        email: invitee.email.toUpperCase(),
        role: "marketer",
        allowAnyEmail: false,
      });

      const joined = await acceptInvitation(
        handle.db,
        invitee,
        invitation.token,
      );

      expect(joined).toEqual({
        workspaceId: owner.workspaceId,
        role: "marketer",
      });
      expect((await rolesOf(owner.workspaceId)).get(invitee.id)).toBe(
        "marketer",
      );
      const [invited] = await auditOf(owner.workspaceId, "member.invited");
      expect(invited?.actorUserId).toBe(owner.userId);
      expect(invited?.targetId).toBe(invitation.id);
      const [joinedRow] = await auditOf(owner.workspaceId, "member.joined");
      expect(joinedRow?.actorUserId).toBe(invitee.id);
      expect(joinedRow?.targetId).toBe(invitation.id);
      expect(await listPendingInvitations(handle.db, owner)).toEqual([]);
    });

    it("second accept is refused", async () => {
      const owner = await createOwner(handle.db);
      const first = await insertUser("first");
      const second = await insertUser("second");
      const invitation = await createInvitation(handle.db, owner, {
        email: first.email,
        role: "viewer",
        allowAnyEmail: true,
      });
      await acceptInvitation(handle.db, first, invitation.token);
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        acceptInvitation(handle.db, second, invitation.token),
      );

      expect(error.status).toBe(409);
      expect(error.message).toMatch(/already used/);
      expect((await rolesOf(owner.workspaceId)).has(second.id)).toBe(false);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
      const preview = await previewInvitation(handle.db, invitation.token);
      expect(preview?.problem).toBe("used");
    });

    it("expired link is refused", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("late");
      const sentAt = new Date(
        NOW.getTime() - (INVITATION_TTL_DAYS + 1) * DAY_MS,
      );
      const invitation = await createInvitation(
        handle.db,
        owner,
        { email: invitee.email, role: "viewer", allowAnyEmail: false },
        sentAt,
      );
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        acceptInvitation(handle.db, invitee, invitation.token, NOW),
      );

      expect(invitation.expiresAt.getTime()).toBeLessThan(NOW.getTime());
      expect(error.status).toBe(409);
      expect(error.message).toMatch(/expired/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
      const preview = await previewInvitation(handle.db, invitation.token, NOW);
      expect(preview?.problem).toBe("expired");
    });

    it("link works until it expires", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("just-in-time");
      const invitation = await createInvitation(
        handle.db,
        owner,
        { email: invitee.email, role: "viewer", allowAnyEmail: false },
        NOW,
      );

      const lastMoment = new Date(invitation.expiresAt.getTime() - 1);
      await acceptInvitation(handle.db, invitee, invitation.token, lastMoment);

      expect(invitation.expiresAt.getTime() - NOW.getTime()).toBe(
        INVITATION_TTL_DAYS * DAY_MS,
      );
      expect((await rolesOf(owner.workspaceId)).get(invitee.id)).toBe("viewer");
    });

    it("resend replaces the link", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("resent");
      const first = await createInvitation(
        handle.db,
        owner,
        { email: invitee.email, role: "marketer", allowAnyEmail: false },
        NOW,
      );
      const later = new Date(NOW.getTime() + DAY_MS);

      const second = await resendInvitation(handle.db, owner, first.id, later);

      expect(second.id).toBe(first.id);
      expect(second.token).not.toBe(first.token);
      expect(second.expiresAt.getTime()).toBe(
        later.getTime() + INVITATION_TTL_DAYS * DAY_MS,
      );
      const [resent] = await auditOf(owner.workspaceId, "invitation.resent");
      expect(resent?.actorUserId).toBe(owner.userId);
      expect(resent?.targetId).toBe(first.id);
      expect(await previewInvitation(handle.db, first.token, later)).toBeNull();
      const old = await rejection(
        acceptInvitation(handle.db, invitee, first.token, later),
      );
      expect(old.status).toBe(404);
      expect((await rolesOf(owner.workspaceId)).has(invitee.id)).toBe(false);

      await acceptInvitation(handle.db, invitee, second.token, later);
      expect((await rolesOf(owner.workspaceId)).get(invitee.id)).toBe(
        "marketer",
      );
    });

    it("revoked link is refused", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("revoked");
      const invitation = await createInvitation(handle.db, owner, {
        email: invitee.email,
        role: "viewer",
        allowAnyEmail: false,
      });

      await revokeInvitation(handle.db, owner, invitation.id);
      const before = await snapshotDatabase(handle.sql);
      const error = await rejection(
        acceptInvitation(handle.db, invitee, invitation.token),
      );

      expect(error.status).toBe(409);
      expect(error.message).toMatch(/revoked/);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
      const [revoked] = await auditOf(owner.workspaceId, "invitation.revoked");
      expect(revoked?.actorUserId).toBe(owner.userId);
      expect(revoked?.targetId).toBe(invitation.id);
      expect(await listPendingInvitations(handle.db, owner)).toEqual([]);
      // A revoked invitation can be neither resent nor revoked again.
      const resend = await rejection(
        resendInvitation(handle.db, owner, invitation.id),
      );
      expect(resend.status).toBe(404);
    });

    it("other address is refused", async () => {
      const owner = await createOwner(handle.db);
      const stranger = await insertUser("stranger");
      const invitation = await createInvitation(handle.db, owner, {
        email: "someone-else@example.test",
        role: "viewer",
        allowAnyEmail: false,
      });
      const before = await snapshotDatabase(handle.sql);

      const error = await rejection(
        acceptInvitation(handle.db, stranger, invitation.token),
      );
      const withoutEmail = await rejection(
        acceptInvitation(
          handle.db,
          { id: stranger.id, email: null },
          invitation.token,
        ),
      );

      expect(error.status).toBe(403);
      expect(error.message).toMatch(/someone-else@example\.test/);
      expect(withoutEmail.status).toBe(403);
      expect(await snapshotDatabase(handle.sql)).toBe(before);
      const [pending] = await listPendingInvitations(handle.db, owner);
      expect(pending?.id).toBe(invitation.id);
    });

    it("any address when allowed", async () => {
      const owner = await createOwner(handle.db);
      const stranger = await insertUser("anyone");
      const invitation = await createInvitation(handle.db, owner, {
        email: "someone-else@example.test",
        role: "viewer",
        allowAnyEmail: true,
      });

      await acceptInvitation(handle.db, stranger, invitation.token);

      expect((await rolesOf(owner.workspaceId)).get(stranger.id)).toBe(
        "viewer",
      );
      const [invited] = await auditOf(owner.workspaceId, "member.invited");
      expect(invited?.details).toMatchObject({ allowAnyEmail: true });
    });

    it("stores only the token's SHA-256 hash", async () => {
      const owner = await createOwner(handle.db);
      const invitation = await createInvitation(handle.db, owner, {
        email: "hashed@example.test",
        role: "viewer",
        allowAnyEmail: false,
      });
      const resent = await resendInvitation(handle.db, owner, invitation.id);

      const [row] = await handle.db
        .select({ tokenHash: invitations.tokenHash })
        .from(invitations)
        .where(eq(invitations.id, invitation.id));
      const sha256 = createHash("sha256").update(resent.token).digest("hex");
      expect(row?.tokenHash).toBe(sha256);
      for (const table of ["invitations", "audit_events"]) {
        const { rows } = await handle.sql.executeSql(
          `select coalesce(string_agg(t::text, '|'), '') as dump from "${table}" t`,
        );
        const [dump] = rows as { dump: string }[];
        expect(dump?.dump).not.toContain(invitation.token);
        expect(dump?.dump).not.toContain(resent.token);
      }
    });
  });

  describe("removal", () => {
    it("detaches the member's connections", async () => {
      const owner = await createOwner(handle.db);
      const ownerConnection = await createConnection(handle.db, owner, {
        kind: "organization",
      });
      const marketer = await addMember(owner.workspaceId, "marketer");
      const personal = await createOwner(handle.db);
      // The marketer's own workspace, where they connected too.
      await handle.db.insert(memberships).values({
        workspaceId: personal.workspaceId,
        userId: marketer.userId,
        role: "owner",
      });
      const marketerContext = { ...personal, userId: marketer.userId };
      const shared = await connectMember(marketer, "ada");
      const kept = await connectMember(marketerContext, "ada");

      const result = await removeMember(
        handle.db,
        owner,
        marketer.userId,
        revocation,
      );

      expect(result).toEqual({
        connectionsRemoved: 1,
        tokensRevoked: 1,
        tokensNotRevoked: 0,
      });
      const connectionsLeft = await handle.db
        .select({ id: linkedinConnections.id })
        .from(linkedinConnections)
        .where(eq(linkedinConnections.workspaceId, owner.workspaceId));
      expect(connectionsLeft).toEqual([{ id: ownerConnection }]);
      const metricsLeft = await handle.db
        .select({ connectionId: metricDaily.connectionId })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, shared.connectionId));
      expect(metricsLeft).toEqual([]);
      const grantsLeft = await handle.db
        .select({ id: linkedinGrants.id })
        .from(linkedinGrants)
        .where(
          and(
            eq(linkedinGrants.workspaceId, owner.workspaceId),
            eq(linkedinGrants.userId, marketer.userId),
          ),
        );
      expect(grantsLeft).toEqual([]);
      expect(await tokenStatus(shared.accessToken)).toBe(401);

      // Their other workspace keeps its connection, metrics and token.
      const otherConnections = await handle.db
        .select({ id: linkedinConnections.id })
        .from(linkedinConnections)
        .where(eq(linkedinConnections.workspaceId, personal.workspaceId));
      expect(otherConnections).toEqual([{ id: kept.connectionId }]);
      const otherMetrics = await handle.db
        .select({ connectionId: metricDaily.connectionId })
        .from(metricDaily)
        .where(eq(metricDaily.connectionId, kept.connectionId));
      expect(otherMetrics).toHaveLength(5);
      expect(await tokenStatus(kept.accessToken)).toBe(200);

      const [removed] = await auditOf(owner.workspaceId, "member.removed");
      expect(removed?.actorUserId).toBe(owner.userId);
      expect(removed?.targetId).toBe(marketer.userId);
      expect(removed?.details).toEqual({
        role: "marketer",
        connectionsRemoved: 1,
        grantsRemoved: 1,
      });
    });

    it("next request is not found", async () => {
      const owner = await createOwner(handle.db);
      const viewer = await addMember(owner.workspaceId, "viewer");
      const viewerWorkspace = await createOwner(handle.db);
      await handle.db.insert(memberships).values({
        workspaceId: viewerWorkspace.workspaceId,
        userId: viewer.userId,
        role: "owner",
      });

      await removeMember(handle.db, owner, viewer.userId, revocation);

      const error = await rejection(
        authorize(
          handle.db,
          viewer.userId,
          owner.workspaceId,
          "dashboard.view",
        ),
      );
      expect(error.status).toBe(404);
      const stillMember = await authorize(
        handle.db,
        viewer.userId,
        viewerWorkspace.workspaceId,
        "dashboard.view",
      );
      expect(stillMember.role).toBe("owner");
    });

    it("completes when LinkedIn revocation fails", async () => {
      const owner = await createOwner(handle.db);
      const marketer = await addMember(owner.workspaceId, "marketer");
      const connection = await connectMember(marketer, "grace");
      const captured = capturedLogger();
      // Nothing listens on the discard port, so the revoke call fails fast.
      const unreachable: TokenRevocationDeps = {
        keyRing,
        linkedin: { oauthBase: "http://127.0.0.1:9", ...TEST_CLIENT },
        logger: captured.logger,
      };

      const result = await removeMember(
        handle.db,
        owner,
        marketer.userId,
        unreachable,
      );

      expect(result).toEqual({
        connectionsRemoved: 1,
        tokensRevoked: 0,
        tokensNotRevoked: 1,
      });
      expect((await rolesOf(owner.workspaceId)).has(marketer.userId)).toBe(
        false,
      );
      expect(await auditOf(owner.workspaceId, "member.removed")).toHaveLength(
        1,
      );
      expect(captured.output()).toContain("revoking a LinkedIn token failed");
      expect(captured.output()).not.toContain(connection.accessToken);
    });

    it("leaving revokes the member's token", async () => {
      const owner = await createOwner(handle.db);
      const marketer = await addMember(owner.workspaceId, "marketer");
      const connection = await connectMember(marketer, "alan");

      const result = await leaveWorkspace(handle.db, marketer, revocation);

      expect(result).toEqual({
        connectionsRemoved: 1,
        tokensRevoked: 1,
        tokensNotRevoked: 0,
      });
      expect(await tokenStatus(connection.accessToken)).toBe(401);
      const [left] = await auditOf(owner.workspaceId, "member.left");
      expect(left?.actorUserId).toBe(marketer.userId);
      expect(left?.details).toEqual({
        role: "marketer",
        connectionsRemoved: 1,
        grantsRemoved: 1,
      });
    });
  });

  describe("metrics visibility", () => {
    // Two marketers with one connection each: 1 impression a day for the
    // first, 10 for the second, over the 7-day dashboard range.
    async function createTeam() {
      const owner = await createOwner(handle.db);
      const admin = await addMember(owner.workspaceId, "admin");
      const first = await addMember(owner.workspaceId, "marketer", "first");
      const second = await addMember(owner.workspaceId, "marketer", "second");
      const firstUrn = `urn:li:person:first-${randomUUID()}`;
      const secondUrn = `urn:li:person:second-${randomUUID()}`;
      const firstConnection = await createConnection(handle.db, first, {
        kind: "person",
        urn: firstUrn,
      });
      const secondConnection = await createConnection(handle.db, second, {
        kind: "person",
        urn: secondUrn,
      });
      // The export policy would also trim the metrics CSV; these cases
      // test visibility alone, and exports.test.ts tests the policy.
      await updateExportPolicy(handle.db, owner, "everyone");
      const range = resolveRange({ range: "7" }, NOW)!;
      const days = listDays(range);
      await upsertDailyMetrics(
        handle.db,
        days.flatMap((day) => [
          {
            workspaceId: owner.workspaceId,
            connectionId: firstConnection,
            metric: "impressions",
            day,
            value: 1,
            source: "api" as const,
          },
          {
            workspaceId: owner.workspaceId,
            connectionId: secondConnection,
            metric: "impressions",
            day,
            value: 10,
            source: "api" as const,
          },
        ]),
      );
      return {
        owner,
        admin,
        first,
        range,
        days,
        firstConnection,
        secondConnection,
        firstUrn,
        secondUrn,
      };
    }

    /** Stores the setting and checks its audit row; an unchanged setting writes none. */
    async function setVisibility(
      owner: WorkspaceContext,
      metricsVisibility: MetricsVisibility,
    ) {
      const before = await loadWorkspaceSettings(handle.db, owner.workspaceId);
      const rowsBefore = await auditOf(
        owner.workspaceId,
        "workspace.settings_changed",
      );

      await updateWorkspaceSettings(handle.db, owner, { metricsVisibility });

      const rows = await auditOf(
        owner.workspaceId,
        "workspace.settings_changed",
      );
      if (before.metricsVisibility === metricsVisibility) {
        expect(rows).toHaveLength(rowsBefore.length);
        return;
      }
      expect(rows).toHaveLength(rowsBefore.length + 1);
      expect(rows.at(-1)?.actorUserId).toBe(owner.userId);
      expect(rows.at(-1)?.details).toEqual({
        before,
        after: { metricsVisibility },
      });
    }

    async function view(
      context: WorkspaceContext,
      range: { from: string; to: string },
    ) {
      const data = await loadDashboardData(
        handle.db,
        context,
        { ...DEFAULT_VIEW, range: "7" },
        NOW,
      );
      const csv = await metricsCsvLines(handle.db, context, range);
      return {
        impressions: data.kpis.find((kpi) => kpi.metric === "impressions")
          ?.value,
        series: data.series
          .find((series) => series.metric === "impressions")
          ?.points.map((point) => point.value),
        connections: data.connections.map((connection) => connection.id),
        setting: data.visibility.setting,
        csv,
      };
    }

    it("policies read both settings", async () => {
      const owner = await createOwner(handle.db);
      const other = await createOwner(handle.db);

      expect(await loadWorkspacePolicies(handle.db, owner.workspaceId)).toEqual(
        { metricsVisibility: "everyone", apiExportPolicy: "admins_and_own" },
      );

      await updateWorkspaceSettings(handle.db, owner, {
        metricsVisibility: "own",
      });
      const visibilityOnly = await loadWorkspacePolicies(
        handle.db,
        owner.workspaceId,
      );
      expect(visibilityOnly.metricsVisibility).toBe("own");
      expect(visibilityOnly.apiExportPolicy).toBe("admins_and_own");

      await updateExportPolicy(handle.db, owner, "nobody");
      const both = await loadWorkspacePolicies(handle.db, owner.workspaceId);
      expect(both.metricsVisibility).toBe("own");
      expect(both.apiExportPolicy).toBe("nobody");

      // Another workspace keeps its defaults.
      const untouched = await loadWorkspacePolicies(
        handle.db,
        other.workspaceId,
      );
      expect(untouched.metricsVisibility).toBe("everyone");
      expect(untouched.apiExportPolicy).toBe("admins_and_own");
    });

    it("membership check follows the role", async () => {
      const team = await createTeam();
      const membership = { workspaceId: team.first.workspaceId };

      expect(
        authorizeMembership(
          team.first.userId,
          { ...membership, role: team.first.role },
          "dashboard.view",
        ),
      ).toEqual(
        await authorize(
          handle.db,
          team.first.userId,
          team.first.workspaceId,
          "dashboard.view",
        ),
      );
      expect(() =>
        authorizeMembership(
          team.first.userId,
          { ...membership, role: team.first.role },
          "members.manage",
        ),
      ).toThrow(ForbiddenError);
      expect(
        authorizeMembership(
          team.admin.userId,
          { ...membership, role: team.admin.role },
          "members.manage",
        ).role,
      ).toBe("admin");
    });

    it("everyone shows every member", async () => {
      const team = await createTeam();
      await setVisibility(team.owner, "everyone");

      const seen = await view(team.first, team.range);

      expect(seen.setting).toBe("everyone");
      expect(seen.impressions).toBe(77);
      expect(seen.series).toEqual(team.days.map(() => 11));
      expect(seen.connections).toEqual([
        team.firstConnection,
        team.secondConnection,
      ]);
      expect(seen.csv).toHaveLength(14);
      expect(seen.csv).toContain(
        `${team.range.to},${team.secondUrn},impressions,10`,
      );
      expect(seen.csv.join("\n")).not.toContain(WORKSPACE_TOTAL_LABEL);
    });

    it("totals and own hides others' connections", async () => {
      const team = await createTeam();
      await setVisibility(team.owner, "totals_and_own");

      const seen = await view(team.first, team.range);

      expect(seen.setting).toBe("totals_and_own");
      expect(seen.impressions).toBe(77);
      expect(seen.series).toEqual(team.days.map(() => 11));
      expect(seen.connections).toEqual([team.firstConnection]);
      const csv = seen.csv.join("\n");
      expect(csv).not.toContain(team.secondUrn);
      expect(seen.csv).toEqual([
        ...team.days.map((day) => `${day},${team.firstUrn},impressions,1`),
        ...team.days.map(
          (day) => `${day},${WORKSPACE_TOTAL_LABEL},impressions,11`,
        ),
      ]);
    });

    it("own shows only own numbers", async () => {
      const team = await createTeam();
      await setVisibility(team.owner, "own");

      const seen = await view(team.first, team.range);

      expect(seen.setting).toBe("own");
      expect(seen.impressions).toBe(7);
      expect(seen.series).toEqual(team.days.map(() => 1));
      expect(seen.connections).toEqual([team.firstConnection]);
      expect(seen.csv).toEqual(
        team.days.map((day) => `${day},${team.firstUrn},impressions,1`),
      );
    });

    it("owners and admins always see everyone", async () => {
      const team = await createTeam();
      for (const setting of ["everyone", "totals_and_own", "own"] as const) {
        await setVisibility(team.owner, setting);
        for (const manager of [team.owner, team.admin]) {
          const seen = await view(manager, team.range);
          const label = `${manager.role} with ${setting}`;
          expect(seen.impressions, label).toBe(77);
          expect(seen.connections, label).toEqual([
            team.firstConnection,
            team.secondConnection,
          ]);
          expect(seen.csv, label).toHaveLength(14);
          expect(seen.csv.join("\n"), label).toContain(team.secondUrn);
          expect(seen.csv.join("\n"), label).not.toContain(
            WORKSPACE_TOTAL_LABEL,
          );
        }
      }
    });
  });

  describe("invitation mail", () => {
    const APP_URL = "http://localhost:3000";

    it("sends one mail with the link", async () => {
      const owner = await createOwner(handle.db);
      const invitee = await insertUser("mailed");
      const transport = nodemailer.createTransport({ jsonTransport: true });
      const send = vi.spyOn(transport, "sendMail");
      const invitation = await createInvitation(handle.db, owner, {
        email: invitee.email,
        role: "marketer",
        allowAnyEmail: false,
      });

      const sent = await deliverInvitation(
        handle.db,
        { ...owner, inviterName: "Olivia Owner" },
        invitation,
        { appUrl: APP_URL, transport, logger: pino({ level: "silent" }) },
      );

      expect(sent.emailed).toBe(true);
      expect(sent.link).toBeNull();
      expect(send).toHaveBeenCalledTimes(1);
      const info = (await send.mock.results[0]?.value) as { message: string };
      const message = JSON.parse(info.message) as {
        to: { address: string }[];
        subject: string;
        text: string;
      };
      expect(message.to.map((to) => to.address)).toEqual([invitee.email]);
      expect(message.subject).toContain("Olivia Owner");
      const link = `${APP_URL}/invite/${invitation.token}`;
      expect(message.text).toContain(link);
      // The mailed link is the one that joins the workspace.
      const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(message.text)?.[1] ?? "";
      await acceptInvitation(handle.db, invitee, token);
      expect((await rolesOf(owner.workspaceId)).get(invitee.id)).toBe(
        "marketer",
      );
    });

    it("returns the link without SMTP", async () => {
      expect(env().smtp).toBeNull();
      const owner = await createOwner(handle.db);
      const invitation = await createInvitation(handle.db, owner, {
        email: "copied@example.test",
        role: "viewer",
        allowAnyEmail: false,
      });
      const captured = capturedLogger();

      const sent = await deliverInvitation(
        handle.db,
        { ...owner, inviterName: null },
        invitation,
        { appUrl: APP_URL, logger: captured.logger },
      );

      expect(sent.emailed).toBe(false);
      expect(sent.link).toBe(`${APP_URL}/invite/${invitation.token}`);
      const lines = captured
        .output()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { msg: string });
      expect(lines.map((line) => line.msg)).toEqual([
        "SMTP_URL is not set: no invitation mail was sent, the admin copies the link",
      ]);
    });
  });

  it("audit log names targets and past actors", async () => {
    const owner = await createOwner(handle.db);
    const ownerContext = { ...owner, role: "owner" as const };
    const admin = await addMember(owner.workspaceId, "admin");
    const marketer = await addMember(owner.workspaceId, "marketer");
    await changeMemberRole(handle.db, admin, {
      userId: marketer.userId,
      role: "viewer",
    });
    await removeMember(handle.db, ownerContext, admin.userId, revocation);

    const { events } = await listAuditEvents(handle.db, ownerContext, {
      page: 1,
    });
    const changed = events.find(
      (event) => event.action === "member.role_changed",
    );
    const [marketerRow] = await handle.db
      .select({ name: users.name })
      .from(users)
      .where(eq(users.id, marketer.userId));
    expect(changed?.targetName).toBe(marketerRow!.name);
    expect(describeTarget(changed!)).toBe(`user ${marketerRow!.name}`);
    expect(describeDetails(changed!)).toBe("from marketer to viewer");

    const actors = await listAuditActors(handle.db, ownerContext);
    const actorIds = actors.map((actor) => actor.userId);
    expect(actorIds).toContain(admin.userId);
    expect(actorIds).toContain(owner.userId);
    expect(actorIds).not.toContain(marketer.userId);
    const [stillMember] = await handle.db
      .select()
      .from(memberships)
      .where(
        and(
          eq(memberships.workspaceId, owner.workspaceId),
          eq(memberships.userId, admin.userId),
        ),
      );
    expect(stillMember).toBeUndefined();
  });

  it("audit log hides other workspaces' targets", async () => {
    const owner = await createOwner(handle.db);
    const other = await createOwner(handle.db);
    const foreign = await createConnection(handle.db, other, {
      kind: "person",
    });
    await handle.db.insert(auditEvents).values({
      workspaceId: owner.workspaceId,
      actorUserId: owner.userId,
      action: "connection.removed",
      targetType: "connection",
      targetId: foreign,
      details: {},
    });
    const { events } = await listAuditEvents(
      handle.db,
      { ...owner, role: "owner" },
      { page: 1 },
    );
    const event = events.find((item) => item.targetId === foreign);
    expect(event?.targetName).toBeNull();
    expect(describeTarget(event!)).toBe(`connection ${foreign}`);
  });
});
