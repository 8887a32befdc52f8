import { randomUUID } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { writeAudit } from "../audit/log";
import type { KeyRing } from "../crypto/tokens";
import type { Database } from "../db/client";
import {
  deletionReceipts,
  linkedinConnections,
  memberships,
  users,
} from "../db/schema";
import { ConflictError, NotFoundError } from "../errors";
import { addDeletedSums, deleteConnectionsCounted } from "./cascade";
import { revokeUserTokens, type LinkedInCredentials } from "./linkedin-revoke";
import { PERSONAL_DATA } from "./registry";
import { deleteCounted, tableName } from "./rows";
import { auditPseudonym, signPayload } from "./signing";
import { settleOwnedWorkspaces } from "./workspaces";

export type ErasureDeps = {
  database: Database;
  keyRing: KeyRing;
  linkedin: LinkedInCredentials;
  logger: Logger;
  /** RECEIPT_SIGNING_KEY or AUTH_SECRET. */
  signingSecret: string;
  now?: () => Date;
};

/** The signed record of one erasure; it names no person. */
export type DeletionReceipt = {
  receiptId: string;
  erasedAt: string;
  /** Rows deleted, by table, including rows a foreign key would cascade to. */
  removed: Record<string, number>;
  /** Rows kept for other members with the person replaced by a pseudonym. */
  pseudonymised: Record<string, number>;
  workspaces: { transferred: number; deleted: number };
  linkedinTokens: { revoked: number; notRevoked: number };
  sessionsEnded: number;
  signature: { algorithm: "HMAC-SHA256"; value: string };
};

/** An erasure that started this long ago and never finished may be retried. */
const STALE_ERASURE_MS = 10 * 60 * 1000;

async function claimErasure(
  database: Database,
  userId: string,
  now: Date,
): Promise<void> {
  const claimed = await database
    .update(users)
    .set({ erasureStartedAt: now })
    .where(
      and(
        eq(users.id, userId),
        or(
          isNull(users.erasureStartedAt),
          lt(
            users.erasureStartedAt,
            new Date(now.getTime() - STALE_ERASURE_MS),
          ),
        ),
      ),
    )
    .returning({ id: users.id });
  if (claimed.length) return;
  const [exists] = await database
    .select({ id: users.id })
    .from(users)
    .where(eq(users.id, userId));
  if (!exists) throw new NotFoundError("The account");
  throw new ConflictError(
    "A deletion of this account is already running. Wait for it to finish.",
  );
}

/**
 * Erases the person: revokes their LinkedIn tokens first (a failure is
 * recorded and does not stop the erasure), then in one transaction settles
 * the workspaces they own alone, deletes or pseudonymises every registered
 * class, which ends their sessions on all devices, and stores the signed
 * receipt. A second call while one runs raises ConflictError (409).
 */
export async function eraseUser(
  deps: ErasureDeps,
  userId: string,
): Promise<DeletionReceipt> {
  const { database } = deps;
  const now = deps.now?.() ?? new Date();
  await claimErasure(database, userId, now);

  try {
    const revocations = await revokeUserTokens(database, userId, deps);
    const pseudonym = auditPseudonym(userId, deps.signingSecret);
    const receipt = await database.transaction(async (tx) => {
      const removed: Record<string, number> = {};
      const pseudonymised: Record<string, number> = {};
      const kept = await tx
        .select({ workspaceId: memberships.workspaceId })
        .from(memberships)
        .where(eq(memberships.userId, userId));
      const outcomes = await settleOwnedWorkspaces(
        tx,
        userId,
        pseudonym,
        removed,
      );
      const deleted = new Set(
        outcomes
          .filter((item) => item.outcome === "deleted")
          .map((item) => item.workspaceId),
      );

      for (const entry of PERSONAL_DATA) {
        const table = tableName(entry);
        if (entry.source === linkedinConnections) {
          // Deletes dependent rows first, so rows a cascade would take (imports, for one) are counted.
          await deleteConnectionsCounted(
            tx,
            sql`(select ${linkedinConnections.id} from ${linkedinConnections} where ${entry.ownedBy(userId)})`,
            removed,
          );
        } else if (entry.erase.kind === "delete") {
          const rows = await deleteCounted(
            tx,
            entry.source,
            entry.ownedBy(userId),
          );
          removed[table] = (removed[table] ?? 0) + rows;
        } else {
          const updated = await tx
            .update(entry.source)
            .set(entry.erase.set(pseudonym, userId))
            .where(entry.ownedBy(userId))
            .returning({ one: sql<number>`1` });
          pseudonymised[table] = updated.length;
        }
      }
      await addDeletedSums(tx, removed);

      const unsigned = {
        receiptId: randomUUID(),
        erasedAt: now.toISOString(),
        removed,
        pseudonymised,
        workspaces: {
          transferred: outcomes.length - deleted.size,
          deleted: deleted.size,
        },
        linkedinTokens: {
          revoked: revocations.filter((item) => item.revoked).length,
          notRevoked: revocations.filter((item) => !item.revoked).length,
        },
        sessionsEnded: removed.sessions ?? 0,
      };
      const signature = {
        algorithm: "HMAC-SHA256" as const,
        value: signPayload(unsigned, deps.signingSecret),
      };
      await tx.insert(deletionReceipts).values({
        id: unsigned.receiptId,
        erasedAt: now,
        removed,
        receipt: unsigned,
        signature: signature.value,
      });
      for (const { workspaceId } of kept) {
        if (deleted.has(workspaceId)) continue;
        await writeAudit(tx, {
          workspaceId,
          actorUserId: null,
          action: "account.erased",
          targetType: "deletion_receipt",
          targetId: unsigned.receiptId,
          details: { actorPseudonym: pseudonym },
        });
      }
      return { ...unsigned, signature };
    });
    deps.logger.info(
      { receiptId: receipt.receiptId, removed: receipt.removed },
      "account erased",
    );
    return receipt;
  } catch (error) {
    await database
      .update(users)
      .set({ erasureStartedAt: null })
      .where(eq(users.id, userId));
    throw error;
  }
}

/** Checks a receipt's signature; the receipt is the parsed JSON the erasure returned. */
export { verifyPayload as verifyReceiptSignature } from "./signing";
