import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import type { AuditAction } from "@/lib/audit/log";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db/client";
import type { Role } from "@/lib/db/schema";
import type { ActionResult } from "@/lib/result";
import {
  CALLERS,
  countAudit,
  createWorld,
  sessionOf,
  snapshotDatabase,
  type Caller,
  type World,
} from "../helpers/callers";
import { testEngines } from "../helpers/databases";
import {
  action,
  entry,
  ERROR_STATUS,
  load,
  memberExportFile,
  settle,
  statusOutcome,
  type Handler,
  type Outcome,
} from "../helpers/entry-points";

// Calls every exported server action and route handler as each kind of
// caller. The entry points are found in app/ at test time, so one without a
// case below fails the first test.

const session = vi.hoisted(() => {
  // The analytics callback exchanges its code here; nothing listens on the
  // discard port, so the exchange fails fast once the guard let it through.
  process.env.LINKEDIN_OAUTH_BASE = "http://127.0.0.1:9";
  return {
    user: null as SessionUser | null,
    cookies: new Map<string, string>(),
  };
});

vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSessionUser: () => Promise.resolve(session.user),
}));

// Cache revalidation needs Next.js's request store, which tests do not have.
vi.mock("next/cache", () => ({
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
}));

vi.mock("next/headers", () => {
  const store = {
    get: (name: string) => {
      const value = session.cookies.get(name);
      return value === undefined ? undefined : { name, value };
    },
    has: (name: string) => session.cookies.has(name),
    getAll: () =>
      [...session.cookies].map(([name, value]) => ({ name, value })),
    set: (name: string, value: string) => {
      session.cookies.set(name, value);
    },
    delete: (name: string) => {
      session.cookies.delete(name);
    },
  };
  return {
    cookies: () => Promise.resolve(store),
    headers: () => Promise.resolve(new Headers()),
  };
});

type EntryCase = {
  /** Roles of the workspace's members that succeed; others get 403. */
  allowed: readonly Role[];
  /** Outcomes that differ from the defaults (outsider 404, anonymous 401). */
  expect?: Partial<Record<Caller, Outcome>>;
  /** The audit action a successful call writes, by the caller. */
  audit?: AuditAction;
  /** Sets up what the call needs and returns the call itself. */
  prepare(
    world: World,
    caller: Caller,
  ): Promise<() => Promise<Outcome>> | (() => Promise<Outcome>);
};

const ALL_ROLES = ["owner", "admin", "marketer", "viewer"] as const;
const MANAGERS = ["owner", "admin"] as const;
const PUBLIC: EntryCase["expect"] = { outsider: "ok", anonymous: "ok" };

async function invite(world: World, email = `${randomUUID()}@example.test`) {
  const { createInvitation } = await import("@/lib/team/invitations");
  return createInvitation(
    world.db,
    {
      userId: world.users.owner.id,
      workspaceId: world.workspaceId,
      role: "owner",
    },
    { email, role: "viewer", allowAnyEmail: false },
  );
}

const TEAM = "app/(dashboard)/team/actions.ts";
const WORKSPACE = "app/(dashboard)/actions.ts";

const CASES: Record<string, EntryCase> = {
  "app/(prerendered)/dashboard/actions.ts#loadDashboard": {
    allowed: ALL_ROLES,
    prepare: action(
      "app/(prerendered)/dashboard/actions.ts#loadDashboard",
      (world) => ({
        workspaceId: world.workspaceId,
        view: { range: "28" },
      }),
    ),
  },
  "app/(dashboard)/connections/actions.ts#acceptConsentAndConnect": {
    allowed: ["owner", "admin", "marketer"],
    audit: "consent.granted",
    prepare: (world) => async () => {
      const { ANALYTICS_CONSENT } = await import("@/lib/privacy/consent");
      const form = new FormData();
      form.set("workspaceId", world.workspaceId);
      form.set("consentVersion", ANALYTICS_CONSENT.version);
      const run = await entry<
        (previous: null, form: FormData) => Promise<ActionResult<never>>
      >("app/(dashboard)/connections/actions.ts#acceptConsentAndConnect");
      return settle(() => run(null, form));
    },
  },
  "app/(dashboard)/connections/actions.ts#removeConnection": {
    // Marketers may remove only connections they made; this one is the owner's.
    allowed: MANAGERS,
    audit: "connection.removed",
    prepare: async (world) => {
      const { linkedinConnections } = await import("@/lib/db/schema");
      const [connection] = await world.db
        .insert(linkedinConnections)
        .values({
          workspaceId: world.workspaceId,
          userId: world.users.owner.id,
          kind: "person",
          source: "import",
          urn: `urn:li:person:${randomUUID()}`,
          name: "Imported profile",
        })
        .returning({ id: linkedinConnections.id });
      return action(
        "app/(dashboard)/connections/actions.ts#removeConnection",
        () => ({
          workspaceId: world.workspaceId,
          connectionId: connection!.id,
        }),
      )(world);
    },
  },
  "app/(prerendered)/actions.ts#loadAccount": {
    allowed: ALL_ROLES,
    // An outsider is signed in, so the result is their own frame.
    expect: { outsider: "ok" },
    prepare: action(
      "app/(prerendered)/actions.ts#loadAccount",
      () => undefined,
    ),
  },
  [`${WORKSPACE}#signOutAction`]: {
    allowed: ALL_ROLES,
    // Signing out ends only the caller's own session, if any.
    expect: PUBLIC,
    prepare: action(`${WORKSPACE}#signOutAction`, () => undefined),
  },
  [`${WORKSPACE}#switchWorkspace`]: {
    allowed: ALL_ROLES,
    prepare: action(`${WORKSPACE}#switchWorkspace`, (world) => ({
      workspaceId: world.workspaceId,
    })),
  },
  [`${WORKSPACE}#createWorkspace`]: {
    allowed: ALL_ROLES,
    expect: { outsider: "ok" },
    audit: "workspace.created",
    prepare: action(`${WORKSPACE}#createWorkspace`, () => ({
      name: "Matrix workspace",
    })),
  },
  [`${WORKSPACE}#updateWorkspaceSettings`]: {
    allowed: ["owner"],
    audit: "workspace.settings_changed",
    prepare: action(`${WORKSPACE}#updateWorkspaceSettings`, (world) => ({
      workspaceId: world.workspaceId,
      metricsVisibility: "own",
    })),
  },
  [`${WORKSPACE}#updateExportSettings`]: {
    allowed: ["owner"],
    audit: "workspace.settings_changed",
    prepare: action(`${WORKSPACE}#updateExportSettings`, (world) => ({
      workspaceId: world.workspaceId,
      apiExportPolicy: "nobody",
    })),
  },
  [`${TEAM}#inviteMember`]: {
    allowed: MANAGERS,
    audit: "member.invited",
    prepare: action(`${TEAM}#inviteMember`, (world) => ({
      workspaceId: world.workspaceId,
      email: `${randomUUID()}@example.test`,
      role: "marketer",
    })),
  },
  [`${TEAM}#resendInvitation`]: {
    allowed: MANAGERS,
    audit: "invitation.resent",
    prepare: async (world) => {
      const { id } = await invite(world);
      return action(`${TEAM}#resendInvitation`, () => ({
        workspaceId: world.workspaceId,
        invitationId: id,
      }))(world);
    },
  },
  [`${TEAM}#revokeInvitation`]: {
    allowed: MANAGERS,
    audit: "invitation.revoked",
    prepare: async (world) => {
      const { id } = await invite(world);
      return action(`${TEAM}#revokeInvitation`, () => ({
        workspaceId: world.workspaceId,
        invitationId: id,
      }))(world);
    },
  },
  [`${TEAM}#changeMemberRole`]: {
    allowed: MANAGERS,
    audit: "member.role_changed",
    prepare: action(`${TEAM}#changeMemberRole`, (world) => ({
      workspaceId: world.workspaceId,
      userId: world.users.marketer.id,
      role: "viewer",
    })),
  },
  [`${TEAM}#removeMember`]: {
    allowed: MANAGERS,
    audit: "member.removed",
    prepare: action(`${TEAM}#removeMember`, (world) => ({
      workspaceId: world.workspaceId,
      userId: world.users.viewer.id,
    })),
  },
  [`${TEAM}#leaveWorkspace`]: {
    allowed: ["admin", "marketer", "viewer"],
    // The only owner must hand ownership over before leaving.
    expect: { owner: 409 },
    audit: "member.left",
    prepare: action(`${TEAM}#leaveWorkspace`, (world) => ({
      workspaceId: world.workspaceId,
    })),
  },
  "app/(auth)/invite/[token]/actions.ts#acceptInvitation": {
    // The invitation is addressed to the outsider, so members of the
    // workspace are refused for signing in with another address.
    allowed: [],
    expect: { outsider: "ok" },
    audit: "member.joined",
    prepare: async (world) => {
      const { token } = await invite(world, world.users.outsider.email!);
      return action(
        "app/(auth)/invite/[token]/actions.ts#acceptInvitation",
        () => ({
          token,
        }),
      )(world);
    },
  },
  "app/api/health/route.ts#GET": {
    allowed: ALL_ROLES,
    expect: PUBLIC,
    prepare: () => async () => {
      const get = await entry<Handler>("app/api/health/route.ts#GET");
      return statusOutcome(
        await get(new Request("http://localhost/api/health")),
      );
    },
  },
  "app/(dashboard)/privacy/actions.ts#withdrawConsent": {
    allowed: ALL_ROLES,
    // Withdrawal acts on the caller's own data, in whatever workspace.
    expect: { outsider: "ok" },
    audit: "consent.withdrawn",
    prepare: action(
      "app/(dashboard)/privacy/actions.ts#withdrawConsent",
      () => undefined,
    ),
  },
  "app/(dashboard)/privacy/actions.ts#reacceptConsent": {
    allowed: ALL_ROLES,
    audit: "consent.granted",
    prepare: (world) => async () => {
      const { ANALYTICS_CONSENT } = await import("@/lib/privacy/consent");
      const reaccept = await entry<
        (previous: null, form: FormData) => Promise<ActionResult<unknown>>
      >("app/(dashboard)/privacy/actions.ts#reacceptConsent");
      const form = new FormData();
      form.set("workspaceId", world.workspaceId);
      form.set("consentVersion", ANALYTICS_CONSENT.version);
      return settle(() => reaccept(null, form));
    },
  },
  "app/api/me/data/route.ts#GET": {
    allowed: ALL_ROLES,
    // The export is the caller's own data, whatever their workspaces.
    expect: { outsider: "ok" },
    audit: "data.exported",
    prepare: () => async () => {
      const get = await entry<() => Promise<Response>>(
        "app/api/me/data/route.ts#GET",
      );
      const response = await get();
      await response.arrayBuffer();
      return statusOutcome(response);
    },
  },
  "app/api/me/data/route.ts#DELETE": {
    allowed: ALL_ROLES,
    // Erasure removes the caller's own account; its audit row is pseudonymised.
    expect: { outsider: "ok" },
    prepare: (world, caller) => async () => {
      const erase = await entry<Handler>("app/api/me/data/route.ts#DELETE");
      const email = sessionOf(world, caller)?.email ?? "nobody@example.test";
      const response = await erase(
        new Request("http://localhost/api/me/data", {
          method: "DELETE",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ confirmEmail: email }),
        }),
      );
      return statusOutcome(response);
    },
  },
  "app/api/imports/route.ts#POST": {
    allowed: ["owner", "admin", "marketer"],
    audit: "data.imported",
    prepare: async (world) => {
      const file = await memberExportFile();
      return async () => {
        const post = await entry<Handler>("app/api/imports/route.ts#POST");
        const form = new FormData();
        form.set("workspaceId", world.workspaceId);
        form.set("file", new File([file.bytes], file.name));
        const response = await post(
          new Request("http://localhost/api/imports", {
            method: "POST",
            body: form,
          }),
        );
        return statusOutcome(response);
      };
    },
  },
  "app/api/metrics.csv/route.ts#GET": {
    allowed: ALL_ROLES,
    prepare: (world) => async () => {
      const get = await entry<Handler>("app/api/metrics.csv/route.ts#GET");
      const url = `http://localhost/api/metrics.csv?from=2026-01-01&to=2026-01-31&workspace=${world.workspaceId}`;
      return statusOutcome(await get(new Request(url)));
    },
  },
  "app/api/dashboard/export.csv/route.ts#GET": {
    // The world has no connections, so the export policy blocks no caller, and
    // tests/integration/exports.test.ts covers the policy itself.
    allowed: ALL_ROLES,
    audit: "metrics.exported",
    prepare: (world) => async () => {
      const get = await entry<Handler>(
        "app/api/dashboard/export.csv/route.ts#GET",
      );
      const url = `http://localhost/api/dashboard/export.csv?range=28&by=week&workspace=${world.workspaceId}`;
      const response = await get(new Request(url));
      await response.arrayBuffer();
      return statusOutcome(response);
    },
  },
  "app/api/connections/linkedin/callback/route.ts#GET": {
    allowed: ["owner", "admin", "marketer"],
    prepare: async (world, caller) => {
      const { createConnectState, CONNECT_COOKIE } =
        await import("@/lib/connections/connect-state");
      const { env } = await import("@/lib/env");
      const { state, cookie } = createConnectState(
        {
          workspaceId: world.workspaceId,
          consentId: randomUUID(),
          userId: sessionOf(world, caller)?.id ?? "nobody",
        },
        env().authSecret,
      );
      session.cookies.set(CONNECT_COOKIE, cookie);
      return async () => {
        const get = await entry<Handler>(
          "app/api/connections/linkedin/callback/route.ts#GET",
        );
        const response = await get(
          new Request(
            `http://localhost/api/connections/linkedin/callback?code=abc&state=${state}`,
          ),
        );
        const location = new URL(response.headers.get("location") ?? "");
        if (location.pathname === "/sign-in") return 401;
        const error = location.searchParams.get("error") ?? "";
        return ERROR_STATUS[error] ?? "ok";
      };
    },
  },
  "app/api/auth/[...nextauth]/route.ts#GET": {
    // Auth.js's own endpoints are public by design: they sign people in.
    allowed: ALL_ROLES,
    expect: PUBLIC,
    prepare: () => async () => {
      const get = await entry<Handler>(
        "app/api/auth/[...nextauth]/route.ts#GET",
      );
      const { NextRequest } = await import("next/server");
      return statusOutcome(
        await get(new NextRequest("http://localhost/api/auth/providers")),
      );
    },
  },
  "app/api/auth/[...nextauth]/route.ts#POST": {
    allowed: ALL_ROLES,
    expect: PUBLIC,
    prepare: () => async () => {
      const post = await entry<Handler>(
        "app/api/auth/[...nextauth]/route.ts#POST",
      );
      const { NextRequest } = await import("next/server");
      // Without the CSRF token Auth.js answers with a redirect, never a session.
      const response = await post(
        new NextRequest("http://localhost/api/auth/signin/linkedin", {
          method: "POST",
        }),
      );
      return response.status === 302 || response.status === 303
        ? "ok"
        : response.status;
    },
  },
};

const APP_ROOT = path.resolve(import.meta.dirname, "../../app");
const HTTP_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
];

function findEntryFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((item) => {
    const full = path.join(folder, item.name);
    if (item.isDirectory()) return findEntryFiles(full);
    return item.name === "actions.ts" || item.name === "route.ts" ? [full] : [];
  });
}

/** Every exported server action and route handler method under app/. */
async function discoverEntryPoints(): Promise<string[]> {
  const keys: string[] = [];
  for (const full of findEntryFiles(APP_ROOT)) {
    const file = path
      .relative(path.dirname(APP_ROOT), full)
      .split(path.sep)
      .join("/");
    const exported = await load(file);
    for (const [name, value] of Object.entries(exported)) {
      const isRoute = file.endsWith("/route.ts");
      if (isRoute ? HTTP_METHODS.includes(name) : typeof value === "function")
        keys.push(`${file}#${name}`);
    }
  }
  return keys.sort();
}

function expectedOutcome(entryCase: EntryCase, caller: Caller): Outcome {
  const override = entryCase.expect?.[caller];
  if (override !== undefined) return override;
  if (caller === "anonymous") return 401;
  if (caller === "outsider") return 404;
  return entryCase.allowed.includes(caller) ? "ok" : 403;
}

describe("authorization matrix entry points", () => {
  it("every action and route has a case", async () => {
    const discovered = await discoverEntryPoints();
    expect(discovered.length).toBeGreaterThan(10);
    const declared = Object.keys(CASES).sort();
    expect(discovered.filter((key) => !(key in CASES))).toEqual([]);
    expect(declared.filter((key) => !discovered.includes(key))).toEqual([]);
  });
});

describe.each(testEngines())("authorization matrix on $name", (engine) => {
  let handle: DatabaseHandle & { url: string | null };
  const globalForDb = globalThis as { inviewDatabase?: DatabaseHandle };

  beforeAll(async () => {
    handle = await engine.open();
    globalForDb.inviewDatabase = handle;
  });
  afterAll(async () => {
    globalForDb.inviewDatabase = undefined;
    await handle.close();
  });
  beforeEach(() => {
    session.user = null;
    session.cookies.clear();
  });

  const rows = Object.keys(CASES).flatMap((key) =>
    CALLERS.map((caller) => ({ key, caller })),
  );

  it.each(rows)("$key as $caller", async ({ key, caller }) => {
    const entryCase = CASES[key]!;
    const world = await createWorld(handle.db);
    const expected = expectedOutcome(entryCase, caller);
    const call = await entryCase.prepare(world, caller);
    const actor = sessionOf(world, caller);
    session.user = actor;

    const before = await snapshotDatabase(handle.sql);
    const audited =
      entryCase.audit && actor
        ? await countAudit(handle.sql, entryCase.audit, actor.id)
        : 0;
    const outcome = await call();

    expect(outcome).toBe(expected);
    if (outcome !== "ok") {
      expect(await snapshotDatabase(handle.sql)).toBe(before);
    } else if (entryCase.audit && actor) {
      expect(await countAudit(handle.sql, entryCase.audit, actor.id)).toBe(
        audited + 1,
      );
    }
  });
});
