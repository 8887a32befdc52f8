import { and, eq, inArray } from "drizzle-orm";
import { roleAllows, type WorkspaceContext } from "../auth/permissions";
import type { Database } from "../db/client";
import { imports, type ExportPolicy } from "../db/schema";
import { loadExportPolicy } from "./settings";

// LinkedIn's terms restrict exporting member data that came through its API,
// so the workspace's export policy decides who may download those numbers.
// Numbers from LinkedIn's own export files are the importer's, so whoever
// imported them may always export them; anyone else follows the policy.

/** A connection as the export rule sees it. */
export type ExportSubject = {
  id: string;
  source: "api" | "import";
  /** The member who connected it, or who first imported into it. */
  userId: string;
};

/** The caller's export rights in one workspace. */
export type ExportRule = {
  policy: ExportPolicy;
  context: WorkspaceContext;
  /** Per import connection, the members who imported a file into it. */
  importers: Map<string, Set<string>>;
};

/** Whether the caller may export the view, and why not when they may not. */
export type ExportAccess = {
  policy: ExportPolicy;
  allowed: boolean;
  /** A sentence for the page when `allowed` is false. */
  reason: string | null;
};

export async function loadExportRule(
  database: Database,
  context: WorkspaceContext,
  subjects: ExportSubject[],
): Promise<ExportRule> {
  const importIds = subjects
    .filter((subject) => subject.source === "import")
    .map((subject) => subject.id);
  const [policy, rows] = await Promise.all([
    loadExportPolicy(database, context.workspaceId),
    importIds.length
      ? database
          .selectDistinct({
            connectionId: imports.connectionId,
            userId: imports.userId,
          })
          .from(imports)
          .where(
            and(
              eq(imports.workspaceId, context.workspaceId),
              inArray(imports.connectionId, importIds),
            ),
          )
      : Promise.resolve([]),
  ]);

  return { policy, context, importers: collectImporters(rows) };
}

/** Groups import rows by connection into the members who imported them. */
export function collectImporters(
  rows: { connectionId: string; userId: string | null }[],
): Map<string, Set<string>> {
  const importers = new Map<string, Set<string>>();
  for (const row of rows) {
    if (!row.userId) continue;
    const users = importers.get(row.connectionId) ?? new Set<string>();
    users.add(row.userId);
    importers.set(row.connectionId, users);
  }
  return importers;
}

/** Decides whether the caller may export one connection's numbers. */
export function mayExport(rule: ExportRule, subject: ExportSubject): boolean {
  const { userId, role } = rule.context;
  if (subject.source === "import") {
    const imported =
      subject.userId === userId ||
      (rule.importers.get(subject.id)?.has(userId) ?? false);
    if (imported) return true;
  }

  switch (rule.policy) {
    case "everyone":
      return true;
    case "nobody":
      return false;
    case "admins_and_own":
      return (
        roleAllows(role, "metrics.export_all_members") ||
        subject.userId === userId
      );
  }
}

const POLICY_REASONS: Record<ExportPolicy, string> = {
  admins_and_own:
    "The workspace lets owners and admins export every connection's numbers, and everyone else only the connections they connected or imported.",
  nobody:
    "The workspace allows no export of numbers from LinkedIn's API; imported numbers can be exported only by whoever imported them.",
  everyone: "",
};

/**
 * Decides whether the caller may export a view made of these connections.
 * A view is exported whole or not at all, so the file always equals the
 * chart: one connection the caller may not export blocks the export.
 */
export function describeExportAccess(
  rule: ExportRule,
  subjects: ExportSubject[],
): ExportAccess {
  const blocked = subjects.filter((subject) => !mayExport(rule, subject));
  if (blocked.length === 0) {
    return { policy: rule.policy, allowed: true, reason: null };
  }

  // Only a count, because the caller may not be allowed to see the names
  // of other members' connections that count towards workspace totals.
  const count =
    blocked.length === 1 ? "1 connection" : `${blocked.length} connections`;
  return {
    policy: rule.policy,
    allowed: false,
    reason: `Export is not offered for this view: it includes numbers of ${count} you may not export, because LinkedIn's terms restrict exporting member data. ${POLICY_REASONS[rule.policy]} Choose only connections you may export, or ask a workspace owner.`,
  };
}
