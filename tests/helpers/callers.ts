import { randomUUID } from "node:crypto";
import type { SessionUser } from "@/lib/auth/session";
import type { Database, SqlRunner } from "@/lib/db/client";
import { memberships, users, type Role } from "@/lib/db/schema";
import { createPersonalWorkspace } from "@/lib/workspaces/personal";

// Callers of the authorization matrix: one member per role in one
// workspace, the owner of another workspace, and nobody signed in.

export const CALLERS = [
  "owner",
  "admin",
  "marketer",
  "viewer",
  "outsider",
  "anonymous",
] as const;
export type Caller = (typeof CALLERS)[number];

export type World = {
  db: Database;
  workspaceId: string;
  otherWorkspaceId: string;
  users: Record<Exclude<Caller, "anonymous">, SessionUser>;
};

async function insertUser(database: Database, label: string) {
  const id = randomUUID();
  const user: SessionUser = {
    id,
    name: `${label} ${id.slice(0, 6)}`,
    email: `${label}-${id.slice(0, 8)}@example.test`,
    image: null,
    signedInAt: new Date(),
  };
  await database
    .insert(users)
    .values({ id, name: user.name, email: user.email });
  return user;
}

/** Creates a workspace with a member of each role, and an outsider's workspace. */
export async function createWorld(database: Database): Promise<World> {
  const owner = await insertUser(database, "owner");
  const workspaceId = await database.transaction((tx) =>
    createPersonalWorkspace(tx, owner),
  );
  const members: Partial<World["users"]> = { owner };
  for (const role of [
    "admin",
    "marketer",
    "viewer",
  ] as const satisfies Role[]) {
    const user = await insertUser(database, role);
    await database
      .insert(memberships)
      .values({ workspaceId, userId: user.id, role });
    members[role] = user;
  }
  const outsider = await insertUser(database, "outsider");
  const otherWorkspaceId = await database.transaction((tx) =>
    createPersonalWorkspace(tx, outsider),
  );
  return {
    db: database,
    workspaceId,
    otherWorkspaceId,
    users: { ...members, outsider } as World["users"],
  };
}

export function sessionOf(world: World, caller: Caller): SessionUser | null {
  return caller === "anonymous" ? null : world.users[caller];
}

/** A digest of every row of every application table, to prove a refused call changed nothing. */
export async function snapshotDatabase(runner: SqlRunner): Promise<string> {
  const { rows } = await runner.executeSql(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
  );
  const parts: string[] = [];
  for (const row of rows as { table_name: string }[]) {
    const result = await runner.executeSql(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${row.table_name}" t`,
    );
    const [first] = result.rows as { digest: string }[];
    parts.push(`${row.table_name}:${first?.digest ?? ""}`);
  }
  return parts.join("\n");
}

export async function countAudit(
  runner: SqlRunner,
  action: string,
  actorUserId: string,
): Promise<number> {
  const { rows } = await runner.executeSql(
    "select count(*)::int as n from audit_events where action = $1 and actor_user_id = $2",
    [action, actorUserId],
  );
  const [first] = rows as { n: number }[];
  return Number(first?.n ?? 0);
}
