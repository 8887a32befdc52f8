import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { linkedinConnections, linkedinGrants, users } from "@/lib/db/schema";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import { createPersonalWorkspace } from "@/lib/workspaces/personal";

/** Creates a user who owns a new workspace, with random names. */
export async function createOwner(
  database: Database,
): Promise<WorkspaceContext> {
  const id = randomUUID();
  await database.insert(users).values({
    id,
    name: `Tester ${id.slice(0, 6)}`,
    email: `${id}@example.test`,
  });
  const workspaceId = await database.transaction((tx) =>
    createPersonalWorkspace(tx, { id, name: "Tester" }),
  );
  return { userId: id, workspaceId, role: "owner" };
}

/** Adds a grant and a connection of the given kind to the workspace. */
export async function createConnection(
  database: Database,
  context: WorkspaceContext,
  input: { kind: "person" | "organization"; urn?: string; scopes?: string[] },
): Promise<string> {
  const [grant] = await database
    .insert(linkedinGrants)
    .values({
      userId: context.userId,
      workspaceId: context.workspaceId,
      memberUrn: `urn:li:person:${randomUUID()}`,
      scopes: input.scopes ?? [
        "r_member_postAnalytics",
        "r_member_profileAnalytics",
        "rw_organization_admin",
      ],
    })
    .returning({ id: linkedinGrants.id });
  const [connection] = await database
    .insert(linkedinConnections)
    .values({
      workspaceId: context.workspaceId,
      userId: context.userId,
      grantId: grant!.id,
      kind: input.kind,
      urn: input.urn ?? `urn:li:${input.kind}:${randomUUID()}`,
      name: `Connection ${input.kind}`,
    })
    .returning({ id: linkedinConnections.id });
  return connection!.id;
}
