import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { WorkspaceContext } from "../auth/permissions";
import { writeAudit } from "../audit/log";
import type { Database } from "../db/client";
import {
  importedPosts,
  importedSubjects,
  imports,
  linkedinConnections,
} from "../db/schema";
import { NotFoundError, ValidationError } from "../errors";
import { upsertDailyMetrics } from "../sync/upsert";
import { readExportFile, type ParsedExport } from "./parse";

export type ImportInput = {
  bytes: Uint8Array;
  fileName: string;
  /** The API connection of the same member or page, if any. */
  apiConnectionId?: string | null;
  maxBytes?: number;
};

export type ImportResult = {
  importId: string;
  connectionId: string;
  kind: ParsedExport["kind"];
  rowsRead: number;
  rowsWritten: number;
  /** True when this exact file was imported before; nothing was written. */
  duplicate: boolean;
  /**
   * True when importing this file again linked its member or page to an
   * API connection it was not linked to before.
   */
  linked?: boolean;
  /**
   * The API connection of the same member or page when the file brought
   * posts, so the caller can have the sync read their daily numbers.
   */
  postsApiConnectionId?: string | null;
};

function slugOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "imported"
  );
}

/**
 * Parses an export file and stores it in one transaction: the import
 * connection (one per member or page, found by its name), its daily values
 * with source `import`, its posts, the `imports` row and the audit row. A
 * file that fails to parse throws ImportFileError before anything is written.
 */
export async function importExportFile(
  database: Database,
  context: WorkspaceContext,
  input: ImportInput,
): Promise<ImportResult> {
  const parsed = await readExportFile(
    input.bytes,
    input.fileName,
    input.maxBytes,
  );
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const urn = `import:${parsed.subjectKind}:${slugOf(parsed.subjectName)}`;

  return database.transaction(async (tx) => {
    // The same bytes under another file name would otherwise create a second
    // connection named after the new file and count every day twice.
    const [sameFile] = await tx
      .select({ id: imports.id, connectionId: imports.connectionId })
      .from(imports)
      .where(
        and(
          eq(imports.workspaceId, context.workspaceId),
          eq(imports.fileSha256, sha256),
        ),
      )
      .limit(1);
    if (sameFile) {
      // Importing the file again is how a person links it to an API
      // connection that did not exist at the first import.
      const linked = await linkApiConnection(
        tx,
        context,
        sameFile.connectionId,
        await checkApiConnection(
          tx,
          context,
          input.apiConnectionId ?? null,
          parsed.subjectKind,
        ),
      );
      return {
        importId: sameFile.id,
        connectionId: sameFile.connectionId,
        kind: parsed.kind,
        rowsRead: parsed.days.length + parsed.posts.length,
        rowsWritten: 0,
        duplicate: true,
        linked,
        postsApiConnectionId:
          linked && parsed.posts.length > 0 ? input.apiConnectionId : null,
      };
    }

    const apiConnectionId = await checkApiConnection(
      tx,
      context,
      input.apiConnectionId ?? null,
      parsed.subjectKind,
    );
    const connectionId = await findOrCreateConnection(tx, context, {
      urn,
      kind: parsed.subjectKind,
      name: parsed.subjectName,
    });
    const [subject] = await tx
      .insert(importedSubjects)
      .values({
        connectionId,
        workspaceId: context.workspaceId,
        apiConnectionId,
      })
      .onConflictDoUpdate({
        target: importedSubjects.connectionId,
        set: {
          apiConnectionId: sql`coalesce(excluded.api_connection_id, ${importedSubjects.apiConnectionId})`,
        },
      })
      .returning({ apiConnectionId: importedSubjects.apiConnectionId });

    const rowsRead = parsed.days.length + parsed.posts.length;
    const [previous] = await tx
      .select({ id: imports.id })
      .from(imports)
      .where(
        and(
          eq(imports.connectionId, connectionId),
          eq(imports.fileSha256, sha256),
        ),
      )
      .limit(1);
    if (previous) {
      return {
        importId: previous.id,
        connectionId,
        kind: parsed.kind,
        rowsRead,
        rowsWritten: 0,
        duplicate: true,
      };
    }

    const written =
      (await upsertDailyMetrics(
        tx,
        parsed.days.map((day) => ({
          ...day,
          workspaceId: context.workspaceId,
          connectionId,
          source: "import" as const,
        })),
      )) +
      (await upsertPosts(tx, context, connectionId, parsed, input.fileName));

    // The connections page shows an import connection's last import here.
    await tx
      .update(linkedinConnections)
      .set({ lastSyncedAt: new Date() })
      .where(eq(linkedinConnections.id, connectionId));

    const days = parsed.days.map((day) => day.day).sort();
    const [created] = await tx
      .insert(imports)
      .values({
        workspaceId: context.workspaceId,
        connectionId,
        userId: context.userId,
        fileName: input.fileName,
        fileSha256: sha256,
        kind: parsed.kind,
        firstDay: days[0] ?? null,
        lastDay: days.at(-1) ?? null,
        rowsRead,
        rowsWritten: written,
      })
      .returning({ id: imports.id });
    await writeAudit(tx, {
      workspaceId: context.workspaceId,
      actorUserId: context.userId,
      action: "data.imported",
      targetType: "connection",
      targetId: connectionId,
      details: {
        fileName: input.fileName,
        kind: parsed.kind,
        rowsRead,
        rowsWritten: written,
      },
    });

    return {
      importId: created!.id,
      connectionId,
      kind: parsed.kind,
      rowsRead,
      rowsWritten: written,
      duplicate: false,
      postsApiConnectionId:
        parsed.posts.length > 0 ? (subject?.apiConnectionId ?? null) : null,
    };
  });
}

async function checkApiConnection(
  tx: Database,
  context: WorkspaceContext,
  id: string | null,
  kind: ParsedExport["subjectKind"],
): Promise<string | null> {
  if (!id) return null;
  const [row] = await tx
    .select({
      kind: linkedinConnections.kind,
      source: linkedinConnections.source,
    })
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.id, id),
        eq(linkedinConnections.workspaceId, context.workspaceId),
      ),
    )
    .limit(1);
  if (!row || row.source !== "api") throw new NotFoundError("The connection");
  if (row.kind !== kind) {
    throw new ValidationError(
      kind === "person"
        ? "This file is a member export; pick a member connection or none."
        : "This file is a company page export; pick a company page connection or none.",
    );
  }
  return id;
}

/**
 * Links an import connection to the API connection of the same member or
 * page, so the dashboard prefers the API's values on days both have.
 * Returns whether the link changed.
 */
async function linkApiConnection(
  tx: Database,
  context: WorkspaceContext,
  connectionId: string,
  apiConnectionId: string | null,
): Promise<boolean> {
  if (apiConnectionId === null) return false;
  const linked = await tx
    .insert(importedSubjects)
    .values({
      connectionId,
      workspaceId: context.workspaceId,
      apiConnectionId,
    })
    .onConflictDoUpdate({
      target: importedSubjects.connectionId,
      set: { apiConnectionId },
      setWhere: sql`${importedSubjects.apiConnectionId} is distinct from ${apiConnectionId}`,
    })
    .returning({ connectionId: importedSubjects.connectionId });
  if (linked.length === 0) return false;
  await writeAudit(tx, {
    workspaceId: context.workspaceId,
    actorUserId: context.userId,
    action: "data.import_linked",
    targetType: "connection",
    targetId: connectionId,
    details: { apiConnectionId },
  });
  return true;
}

async function findOrCreateConnection(
  tx: Database,
  context: WorkspaceContext,
  subject: { urn: string; kind: "person" | "organization"; name: string },
): Promise<string> {
  const [existing] = await tx
    .select({ id: linkedinConnections.id, source: linkedinConnections.source })
    .from(linkedinConnections)
    .where(
      and(
        eq(linkedinConnections.workspaceId, context.workspaceId),
        eq(linkedinConnections.urn, subject.urn),
      ),
    )
    .limit(1);
  if (existing) return existing.id;

  const [created] = await tx
    .insert(linkedinConnections)
    .values({
      workspaceId: context.workspaceId,
      userId: context.userId,
      kind: subject.kind,
      urn: subject.urn,
      name: `${subject.name} (imported)`,
      source: "import",
    })
    .returning({ id: linkedinConnections.id });
  return created!.id;
}

/** Inserts or updates posts keyed by (connection, URL); returns rows changed. */
async function upsertPosts(
  tx: Database,
  context: WorkspaceContext,
  connectionId: string,
  parsed: ParsedExport,
  fileName: string,
): Promise<number> {
  if (parsed.posts.length === 0) return 0;
  const changed = sql`(${importedPosts.impressions}, ${importedPosts.reactions}, ${importedPosts.comments}, ${importedPosts.reshares}, ${importedPosts.engagements}, ${importedPosts.title}) is distinct from (excluded.impressions, excluded.reactions, excluded.comments, excluded.reshares, excluded.engagements, excluded.title)`;
  const rows = await tx
    .insert(importedPosts)
    .values(
      parsed.posts.map((post) => ({
        ...post,
        connectionId,
        workspaceId: context.workspaceId,
        fileName,
      })),
    )
    .onConflictDoUpdate({
      target: [importedPosts.connectionId, importedPosts.url],
      set: {
        title: sql`coalesce(excluded.title, ${importedPosts.title})`,
        publishedOn: sql`coalesce(excluded.published_on, ${importedPosts.publishedOn})`,
        impressions: sql`coalesce(excluded.impressions, ${importedPosts.impressions})`,
        reactions: sql`coalesce(excluded.reactions, ${importedPosts.reactions})`,
        comments: sql`coalesce(excluded.comments, ${importedPosts.comments})`,
        reshares: sql`coalesce(excluded.reshares, ${importedPosts.reshares})`,
        engagements: sql`coalesce(excluded.engagements, ${importedPosts.engagements})`,
        fileName: sql`excluded.file_name`,
        importedAt: sql`now()`,
      },
      setWhere: changed,
    })
    .returning({ url: importedPosts.url });
  return rows.length;
}
