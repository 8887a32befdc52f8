import { and, eq } from "drizzle-orm";
import { decryptSecret } from "../crypto/tokens";
import type { Database } from "../db/client";
import { apiCalls, linkedinConnections, linkedinGrants } from "../db/schema";
import { consumeBudget } from "../linkedin/budget";
import {
  fetchAdministeredOrganizations,
  fetchOrganization,
} from "../linkedin/analytics";
import { LinkedInClient } from "../linkedin/client";
import { TokenInvalid, TokenRevoked } from "../linkedin/errors";
import type { SyncDeps } from "./sync-connection";

const ORGANIZATION_SCOPES = ["rw_organization_admin", "r_organization_admin"];

/**
 * Finds the company pages the grant's member administers (organizationAcls)
 * and adds a connection for each one new to the workspace. Returns the ids of
 * the page connections to backfill.
 */
export async function discoverOrganizations(
  deps: SyncDeps,
  grantId: string,
): Promise<string[]> {
  const { database } = deps;
  const [grant] = await database
    .select()
    .from(linkedinGrants)
    .where(eq(linkedinGrants.id, grantId))
    .limit(1);
  if (!grant?.accessTokenEncrypted) return [];
  if (!grant.scopes.some((scope) => ORGANIZATION_SCOPES.includes(scope)))
    return [];

  const { budgets } = deps;
  let budgetRemaining: number | null = null;
  const client = new LinkedInClient({
    ...deps.client,
    apiBase: deps.apiBase,
    accessToken: decryptSecret(grant.accessTokenEncrypted, deps.keyRing),
    fetch: deps.fetch,
    logger: deps.logger,
    // Discovery draws on the same daily budgets as the sync.
    beforeCall: async () => {
      if (!budgets) return;
      const left = await consumeBudget(database, {
        memberKey: grant.memberUrn,
        limits: budgets,
        now: deps.now?.() ?? new Date(),
      });
      budgetRemaining = Math.min(left.app, left.member);
    },
    afterCall: async (record) => {
      await database.insert(apiCalls).values({
        endpoint: record.endpoint,
        status: record.status ?? 0,
        durationMs: Math.round(record.durationMs),
        attempt: record.attempt,
        budgetRemaining,
      });
    },
  });
  let urns: string[];
  try {
    urns = await fetchAdministeredOrganizations(client);
  } catch (error) {
    // The member connection's own sync reports a dead token to the user.
    if (error instanceof TokenInvalid || error instanceof TokenRevoked)
      return [];
    throw error;
  }

  const ids: string[] = [];
  for (const urn of urns) {
    const organization = await fetchOrganization(client, urn);
    const [row] = await database
      .insert(linkedinConnections)
      .values({
        workspaceId: grant.workspaceId,
        userId: grant.userId,
        grantId: grant.id,
        kind: "organization",
        urn,
        name: organization.name,
        source: "api",
        syncState: "queued",
      })
      .onConflictDoUpdate({
        target: [linkedinConnections.workspaceId, linkedinConnections.urn],
        set: {
          grantId: grant.id,
          name: organization.name,
          status: "active",
          statusReason: null,
          syncState: "queued",
        },
      })
      .returning({ id: linkedinConnections.id });
    if (row) ids.push(row.id);
  }
  deps.logger.info({ grantId, pages: urns.length }, "company pages discovered");
  return ids;
}

export async function activeConnectionIds(
  database: Database,
): Promise<string[]> {
  const rows = await database
    .select({ id: linkedinConnections.id })
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.status, "active"),
        eq(linkedinConnections.source, "api"),
      ),
    );
  return rows.map((row) => row.id);
}
