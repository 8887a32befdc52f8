import { and, eq, inArray } from "drizzle-orm";
import { writeAudit } from "../audit/log";
import { roleAllows, type WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import {
  imports,
  linkedinConnections,
  linkedinGrants,
  metricDaily,
  postMetricDaily,
} from "../db/schema";
import { ForbiddenError, NotFoundError } from "../errors";
import {
  revokeGrantTokens,
  type GrantTokens,
  type TokenRevocationDeps,
} from "../privacy/linkedin-revoke";
import { deleteCounted } from "../privacy/rows";

export type ConnectionRemovalDeps = TokenRevocationDeps & {
  /** Cancels queued sync jobs of the connections; returns how many. */
  cancelSyncJobs: (connectionIds: string[]) => Promise<number>;
};

export type ConnectionRemoval = {
  /** Names of the profiles and pages removed, the chosen one first. */
  removed: string[];
  metricRowsRemoved: number;
  importsRemoved: number;
  tokensRevoked: number;
  tokensNotRevoked: number;
};

type Target = {
  id: string;
  name: string;
  userId: string;
  source: "api" | "import";
  grantId: string | null;
};

/**
 * Returns the connections that removing one takes with it. An imported
 * connection goes alone. An API connection goes with every profile and page
 * of the same LinkedIn authorization, because its token is revoked and the
 * next sync would otherwise find those pages again.
 */
async function removalSet(
  database: Database,
  context: WorkspaceContext,
  connectionId: string,
): Promise<{ target: Target; connections: Target[] }> {
  const columns = {
    id: linkedinConnections.id,
    name: linkedinConnections.name,
    userId: linkedinConnections.userId,
    source: linkedinConnections.source,
    grantId: linkedinConnections.grantId,
  };
  const [target] = await database
    .select(columns)
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.id, connectionId),
        eq(linkedinConnections.workspaceId, context.workspaceId),
      ),
    );
  if (!target) throw new NotFoundError("The connection");
  if (
    target.userId !== context.userId &&
    !roleAllows(context.role, "connections.manage")
  )
    throw new ForbiddenError(
      "Only owners and admins can remove a connection someone else made.",
    );
  if (target.source === "import" || !target.grantId)
    return { target, connections: [target] };
  const siblings = await database
    .select(columns)
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.grantId, target.grantId),
        eq(linkedinConnections.workspaceId, context.workspaceId),
      ),
    );
  return {
    target,
    connections: [target, ...siblings.filter((row) => row.id !== target.id)],
  };
}

/** Lists the names that removing the connection would take with it, for the confirmation. */
export async function connectionRemovalPreview(
  database: Database,
  context: WorkspaceContext,
  connectionId: string,
): Promise<string[]> {
  const { connections } = await removalSet(database, context, connectionId);
  return connections.map((connection) => connection.name);
}

/**
 * Removes a connection and the data collected through it in one
 * transaction, with an audit row. For an API connection the LinkedIn
 * authorization goes too: its queued syncs are cancelled and, after the
 * commit, its tokens are revoked at LinkedIn (a failure is recorded, never
 * thrown, so LinkedIn being down does not keep the data).
 */
export async function removeConnection(
  database: Database,
  context: WorkspaceContext,
  connectionId: string,
  deps: ConnectionRemovalDeps,
): Promise<ConnectionRemoval> {
  const { target, connections } = await removalSet(
    database,
    context,
    connectionId,
  );
  const ids = connections.map((connection) => connection.id);
  const removal = await database.transaction(async (tx) => {
    const metricRowsRemoved =
      (await deleteCounted(
        tx,
        metricDaily,
        inArray(metricDaily.connectionId, ids),
      )) +
      (await deleteCounted(
        tx,
        postMetricDaily,
        inArray(postMetricDaily.connectionId, ids),
      ));
    const importsRemoved = await deleteCounted(
      tx,
      imports,
      inArray(imports.connectionId, ids),
    );
    // The connection's other rows (range totals, gaps, posts, checkpoints,
    // health) go with it by their foreign keys.
    await tx
      .delete(linkedinConnections)
      .where(inArray(linkedinConnections.id, ids));
    const grants: GrantTokens[] = target.grantId
      ? await tx
          .delete(linkedinGrants)
          .where(
            and(
              eq(linkedinGrants.id, target.grantId),
              eq(linkedinGrants.workspaceId, context.workspaceId),
            ),
          )
          .returning({
            id: linkedinGrants.id,
            access: linkedinGrants.accessTokenEncrypted,
            refresh: linkedinGrants.refreshTokenEncrypted,
          })
      : [];
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "connection.removed",
      targetType: "connection",
      targetId: target.id,
      details: {
        source: target.source,
        connections: ids.length,
        metricRowsRemoved,
        importsRemoved,
        grantRemoved: grants.length > 0,
      },
    });
    return { metricRowsRemoved, importsRemoved, grants };
  });

  if (target.source === "api") await deps.cancelSyncJobs(ids);
  const results = await revokeGrantTokens(removal.grants, target.userId, deps);
  deps.logger.info(
    {
      workspaceId: context.workspaceId,
      connections: ids.length,
      metricRowsRemoved: removal.metricRowsRemoved,
    },
    "connection removed",
  );
  return {
    removed: connections.map((connection) => connection.name),
    metricRowsRemoved: removal.metricRowsRemoved,
    importsRemoved: removal.importsRemoved,
    tokensRevoked: results.filter((result) => result.revoked).length,
    tokensNotRevoked: results.filter((result) => !result.revoked).length,
  };
}
