import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import type { WorkspaceContext } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  auditEvents,
  importedSubjects,
  imports,
  linkedinConnections,
  metricRangeTotals,
  type ExportPolicy,
} from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { loadExportPolicy, updateExportPolicy } from "@/lib/exports/settings";
import { addDays, countDays, listDays, todayUtc } from "@/lib/linkedin/days";
import { metricsCsvLines, WORKSPACE_TOTAL_LABEL } from "@/lib/metrics/csv";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { loadReconciliation } from "@/lib/metrics/reconcile";
import { DEFAULT_VIEW, GRANULARITIES, viewToParams } from "@/lib/metrics/view";
import type { DashboardView } from "@/lib/metrics/view";
import { upsertDailyMetrics, type DailyRow } from "@/lib/sync/upsert";
import { updateWorkspaceSettings } from "@/lib/workspaces/workspaces";
import { createWorld, type World } from "../helpers/callers";
import { testEngines } from "../helpers/databases";
import { createConnection } from "../helpers/fixtures";

// The dashboard export route against the dashboard itself, the export
// setting for each role and source, and the reconciliation of imported
// with API values.

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));

vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSessionUser: () => Promise.resolve(session.user),
}));

type Member = "owner" | "admin" | "marketer" | "viewer";

function contextOf(world: World, member: Member): WorkspaceContext {
  return {
    userId: world.users[member].id,
    workspaceId: world.workspaceId,
    role: member,
  };
}

/** Adds an import connection whose first file the member imported. */
async function createImportConnection(
  world: World,
  member: Member,
  apiConnectionId: string | null = null,
): Promise<string> {
  const userId = world.users[member].id;
  const [connection] = await world.db
    .insert(linkedinConnections)
    .values({
      workspaceId: world.workspaceId,
      userId,
      kind: "person",
      urn: `import:person:${randomUUID()}`,
      name: `Imported ${member}`,
      source: "import",
    })
    .returning({ id: linkedinConnections.id });
  const connectionId = connection!.id;
  await world.db.insert(importedSubjects).values({
    connectionId,
    workspaceId: world.workspaceId,
    apiConnectionId,
  });
  await recordImport(world, member, connectionId);
  return connectionId;
}

async function recordImport(
  world: World,
  member: Member,
  connectionId: string,
) {
  await world.db.insert(imports).values({
    workspaceId: world.workspaceId,
    connectionId,
    userId: world.users[member].id,
    fileName: `Content_${member}.xlsx`,
    fileSha256: randomUUID(),
    kind: "member_content",
    rowsRead: 1,
    rowsWritten: 1,
  });
}

function dailyRows(
  world: World,
  connectionId: string,
  days: string[],
  value: (index: number) => number,
  source: "api" | "import" = "api",
): DailyRow[] {
  return days.flatMap((day, index) => [
    {
      workspaceId: world.workspaceId,
      connectionId,
      metric: "impressions" as const,
      day,
      value: value(index),
      source,
    },
    {
      workspaceId: world.workspaceId,
      connectionId,
      metric: "reactions" as const,
      day,
      value: Number(day.slice(8)) % 3,
      source,
    },
  ]);
}

/** Parses the route's CSV; every field here is plain, so commas split it. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith("\r\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\r\n")
    .map((line) => line.split(","));
}

describe.each(testEngines())("exports on $name", (engine) => {
  let handle: DatabaseHandle;
  const globalForDb = globalThis as { inviewDatabase?: DatabaseHandle };
  let exportCsv: (request: Request) => Promise<Response>;
  let metricsCsv: (request: Request) => Promise<Response>;

  beforeAll(async () => {
    handle = await engine.open();
    globalForDb.inviewDatabase = handle;
    ({ GET: exportCsv } = await import("@/app/api/dashboard/export.csv/route"));
    ({ GET: metricsCsv } = await import("@/app/api/metrics.csv/route"));
  });
  afterAll(async () => {
    globalForDb.inviewDatabase = undefined;
    await handle.close();
  });
  beforeEach(() => {
    session.user = null;
  });

  /** Requests the export of a view as the member. */
  async function requestExport(
    world: World,
    member: Member,
    view: Partial<DashboardView> = {},
  ): Promise<Response> {
    session.user = world.users[member];
    const params = viewToParams({ ...DEFAULT_VIEW, ...view });
    params.set("workspace", world.workspaceId);
    return exportCsv(
      new Request(`http://localhost/api/dashboard/export.csv?${params}`),
    );
  }

  /** Creates a workspace with an API connection for the owner and one for the marketer. */
  async function createExportWorld() {
    const world = await createWorld(handle.db);
    const ownerApi = await createConnection(
      handle.db,
      contextOf(world, "owner"),
      {
        kind: "person",
      },
    );
    const marketerApi = await createConnection(
      handle.db,
      contextOf(world, "marketer"),
      { kind: "person" },
    );
    const today = todayUtc(new Date());
    const days = listDays({
      from: addDays(today, -120),
      to: addDays(today, -1),
    });
    await upsertDailyMetrics(handle.db, [
      ...dailyRows(world, ownerApi, days, (index) => index + 1),
      ...dailyRows(world, marketerApi, days, (index) => 2 * index),
    ]);
    return { world, ownerApi, marketerApi };
  }

  describe("dashboard export route", () => {
    const views: { name: string; view: Partial<DashboardView> }[] =
      GRANULARITIES.flatMap((granularity) => [
        {
          name: `${granularity}, previous`,
          view: { range: "90", granularity },
        },
        {
          name: `${granularity}, none`,
          view: { range: "28", granularity, comparison: "none" },
        },
        {
          name: `${granularity}, year, one metric`,
          view: {
            range: "90",
            granularity,
            comparison: "year",
            metrics: ["impressions"],
          },
        },
      ]);

    it.each(views)("content equals the series ($name)", async ({ view }) => {
      const { world } = await createExportWorld();
      const response = await requestExport(world, "owner", view);
      expect(response.status).toBe(200);
      const rows = parseCsv(await response.text());

      const data = await loadDashboardData(
        handle.db,
        contextOf(world, "owner"),
        {
          ...DEFAULT_VIEW,
          ...view,
        },
      );
      const compared = data.comparisonRange !== null;
      const expected = data.series.flatMap((series) =>
        series.points.map((point) => [
          series.metric,
          point.day,
          point.to,
          String(point.value ?? ""),
          ...(compared
            ? [
                point.previousDay ?? "",
                point.previousTo ?? "",
                String(point.previous ?? ""),
              ]
            : []),
          String(
            point.storedDays ??
              (point.value === null
                ? 0
                : countDays({ from: point.day, to: point.to })),
          ),
          ...(compared
            ? [
                point.previousDay === null || point.previousTo === null
                  ? ""
                  : String(
                      point.previousStoredDays ??
                        (point.previous === null
                          ? 0
                          : countDays({
                              from: point.previousDay,
                              to: point.previousTo,
                            })),
                    ),
              ]
            : []),
        ]),
      );
      expect(rows[0]).toEqual([
        "metric",
        "period_start",
        "period_end",
        "value",
        ...(compared
          ? ["comparison_start", "comparison_end", "comparison_value"]
          : []),
        "stored_days",
        ...(compared ? ["comparison_stored_days"] : []),
      ]);
      expect(rows.slice(1)).toEqual(expected);
      expect(expected.length).toBeGreaterThan(0);
      const metrics = new Set(rows.slice(1).map((row) => row[0]));
      expect([...metrics]).toEqual(
        view.metrics ?? data.series.map((series) => series.metric),
      );
      const impressions = rows
        .filter((row) => row[0] === "impressions")
        .reduce((sum, row) => sum + Number(row[3]), 0);
      expect(impressions).toBeGreaterThan(0);
    });

    it("ends with members reached over the range", async () => {
      const { world, ownerApi } = await createExportWorld();
      const to = addDays(todayUtc(new Date()), -1);
      const from = addDays(to, -27);
      await handle.db.insert(metricRangeTotals).values([
        {
          workspaceId: world.workspaceId,
          connectionId: ownerApi,
          metric: "members_reached",
          rangeDays: 28,
          period: "current",
          rangeStart: from,
          rangeEnd: to,
          value: 1234,
        },
        {
          workspaceId: world.workspaceId,
          connectionId: ownerApi,
          metric: "members_reached",
          rangeDays: 28,
          period: "previous",
          rangeStart: addDays(from, -28),
          rangeEnd: addDays(from, -1),
          value: 1000,
        },
      ]);

      const response = await requestExport(world, "owner", {
        range: "28",
        granularity: "week",
      });
      expect(response.status).toBe(200);
      const rows = parseCsv(await response.text());
      const reached = rows.filter((row) => row[0] === "members_reached");
      expect(reached).toEqual([
        [
          "members_reached",
          from,
          to,
          "1234",
          addDays(from, -28),
          addDays(from, -1),
          "1000",
          "",
          "",
        ],
      ]);
      expect(rows.at(-1)?.[0]).toBe("members_reached");

      // Other ranges have no stored total, so the line is left out.
      const other = await requestExport(world, "owner", { range: "mtd" });
      const otherRows = parseCsv(await other.text());
      expect(otherRows.some((row) => row[0] === "members_reached")).toBe(false);
    });

    it("sends a download header and writes an audit row", async () => {
      const { world } = await createExportWorld();
      const response = await requestExport(world, "admin", {
        range: "28",
        granularity: "week",
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(
        "text/csv; charset=utf-8",
      );
      const disposition = response.headers.get("content-disposition") ?? "";
      expect(disposition).toMatch(
        /^attachment; filename="inview-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-by-week\.csv"; filename\*=UTF-8''inview-/,
      );
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      await response.text();

      const audit = await handle.db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.workspaceId, world.workspaceId),
            eq(auditEvents.action, "metrics.exported"),
          ),
        );
      expect(audit).toHaveLength(1);
      expect(audit[0]?.details).toMatchObject({ format: "csv" });
    });

    it("rejects an invalid custom range", async () => {
      const { world } = await createExportWorld();
      const response = await requestExport(world, "owner", {
        range: "custom",
        from: "2030-02-01",
        to: "2030-01-01",
      });
      expect(response.status).toBe(422);
    });

    it("another workspace is not found", async () => {
      const { world } = await createExportWorld();
      session.user = world.users.outsider;
      const response = await exportCsv(
        new Request(
          `http://localhost/api/dashboard/export.csv?workspace=${world.workspaceId}`,
        ),
      );
      expect(response.status).toBe(404);
    });
  });

  describe("export setting", () => {
    it("defaults to admins and own", async () => {
      const { world } = await createExportWorld();
      expect(await loadExportPolicy(handle.db, world.workspaceId)).toBe(
        "admins_and_own",
      );
    });

    it("change writes one audit row", async () => {
      const { world } = await createExportWorld();
      const owner = contextOf(world, "owner");
      await updateExportPolicy(handle.db, owner, "nobody");
      await updateExportPolicy(handle.db, owner, "nobody");
      const rows = await handle.db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.workspaceId, world.workspaceId),
            eq(auditEvents.action, "workspace.settings_changed"),
          ),
        );
      expect(rows.map((row) => row.details)).toEqual([
        {
          before: { apiExportPolicy: "admins_and_own" },
          after: { apiExportPolicy: "nobody" },
        },
      ]);
      expect(await loadExportPolicy(handle.db, world.workspaceId)).toBe(
        "nobody",
      );
    });

    // Connections in the view: the owner's API connection ("owner api"),
    // the marketer's ("marketer api"), and an import the marketer made
    // ("marketer import"). "all" is the whole workspace.
    type Subject = "all" | "owner api" | "marketer api" | "marketer import";
    const MATRIX: Record<ExportPolicy, Record<Member, Subject[]>> = {
      admins_and_own: {
        owner: ["all", "owner api", "marketer api", "marketer import"],
        admin: ["all", "owner api", "marketer api", "marketer import"],
        marketer: ["marketer api", "marketer import"],
        viewer: [],
      },
      everyone: {
        owner: ["all", "owner api", "marketer api", "marketer import"],
        admin: ["all", "owner api", "marketer api", "marketer import"],
        marketer: ["all", "owner api", "marketer api", "marketer import"],
        viewer: ["all", "owner api", "marketer api", "marketer import"],
      },
      nobody: {
        owner: [],
        admin: [],
        marketer: ["marketer import"],
        viewer: [],
      },
    };
    const SUBJECTS: Subject[] = [
      "all",
      "owner api",
      "marketer api",
      "marketer import",
    ];
    const cases = (Object.keys(MATRIX) as ExportPolicy[]).flatMap((policy) =>
      (["owner", "admin", "marketer", "viewer"] as const).map((member) => ({
        policy,
        member,
        allowed: MATRIX[policy][member],
      })),
    );

    it.each(cases)(
      "$policy as $member",
      async ({ policy, member, allowed }) => {
        const { world, ownerApi, marketerApi } = await createExportWorld();
        const marketerImport = await createImportConnection(world, "marketer");
        await upsertDailyMetrics(
          handle.db,
          dailyRows(
            world,
            marketerImport,
            listDays({
              from: addDays(todayUtc(new Date()), -10),
              to: addDays(todayUtc(new Date()), -1),
            }),
            () => 5,
            "import",
          ),
        );
        await updateExportPolicy(handle.db, contextOf(world, "owner"), policy);
        const ids: Record<Subject, string[]> = {
          all: [],
          "owner api": [ownerApi],
          "marketer api": [marketerApi],
          "marketer import": [marketerImport],
        };

        for (const subject of SUBJECTS) {
          const view = { range: "28" as const, connections: ids[subject] };
          const data = await loadDashboardData(
            handle.db,
            contextOf(world, member),
            {
              ...DEFAULT_VIEW,
              ...view,
            },
          );
          const expected = allowed.includes(subject);
          expect(data.exportAccess.allowed, `${subject} in the page`).toBe(
            expected,
          );
          expect(data.exportAccess.reason === null, `${subject} reason`).toBe(
            expected,
          );

          const response = await requestExport(world, member, view);
          expect(response.status, `${subject} from the route`).toBe(
            expected ? 200 : 403,
          );
          const body = await response.text();
          if (!expected)
            expect(body).toContain("LinkedIn's terms restrict exporting");
        }
      },
    );

    it("another importer of the same file may export it", async () => {
      const { world } = await createExportWorld();
      const marketerImport = await createImportConnection(world, "marketer");
      await recordImport(world, "admin", marketerImport);
      await updateExportPolicy(handle.db, contextOf(world, "owner"), "nobody");

      const view = { range: "28" as const, connections: [marketerImport] };
      expect((await requestExport(world, "admin", view)).status).toBe(200);
      expect((await requestExport(world, "owner", view)).status).toBe(403);
    });

    it("metrics csv leaves out what may not be exported", async () => {
      const { world, ownerApi, marketerApi } = await createExportWorld();
      const urns = new Map<string, string>();
      for (const row of await handle.db
        .select({ id: linkedinConnections.id, urn: linkedinConnections.urn })
        .from(linkedinConnections)
        .where(eq(linkedinConnections.workspaceId, world.workspaceId))) {
        urns.set(row.id, row.urn);
      }
      const range = {
        from: addDays(todayUtc(new Date()), -7),
        to: addDays(todayUtc(new Date()), -1),
      };
      const connectionsIn = async (member: Member) =>
        new Set(
          (
            await metricsCsvLines(handle.db, contextOf(world, member), range)
          ).map((line) => line.split(",")[1]),
        );

      expect(await connectionsIn("owner")).toEqual(
        new Set([urns.get(ownerApi), urns.get(marketerApi)]),
      );
      expect(await connectionsIn("marketer")).toEqual(
        new Set([urns.get(marketerApi)]),
      );
      expect(await connectionsIn("viewer")).toEqual(new Set());

      // Workspace totals sum every member's numbers, so they follow the rule too.
      await updateWorkspaceSettings(handle.db, contextOf(world, "owner"), {
        metricsVisibility: "totals_and_own",
      });
      expect(await connectionsIn("marketer")).toEqual(
        new Set([urns.get(marketerApi)]),
      );
      await updateExportPolicy(
        handle.db,
        contextOf(world, "owner"),
        "everyone",
      );
      expect(await connectionsIn("marketer")).toEqual(
        new Set([urns.get(marketerApi), WORKSPACE_TOTAL_LABEL]),
      );
      await updateExportPolicy(handle.db, contextOf(world, "owner"), "nobody");
      expect(await connectionsIn("owner")).toEqual(new Set());

      session.user = world.users.owner;
      const response = await metricsCsv(
        new Request(
          `http://localhost/api/metrics.csv?from=${range.from}&to=${range.to}&workspace=${world.workspaceId}`,
        ),
      );
      expect(response.status).toBe(200);
      expect((await response.text()).trim()).toBe(
        "day,connection,metric,value",
      );
    });

    it("metrics csv names bad parameters", async () => {
      const world = await createWorld(handle.db);
      session.user = world.users.owner;
      const ask = async (query: string) => {
        const response = await metricsCsv(
          new Request(
            `http://localhost/api/metrics.csv?${query}&workspace=${world.workspaceId}`,
          ),
        );
        const body = (await response.json()) as { error: { message: string } };
        return { status: response.status, message: body.error.message };
      };
      expect(await ask("to=2026-03-01")).toEqual({
        status: 422,
        message:
          "Missing from: give a day as YYYY-MM-DD, for example from=2026-11-01.",
      });
      expect(await ask("from=2026-02-30&to=2026-03-01")).toEqual({
        status: 422,
        message:
          'Invalid from "2026-02-30": give a calendar day as YYYY-MM-DD.',
      });
      expect(await ask("from=2026-03-02&to=2026-03-01")).toEqual({
        status: 422,
        message: "Invalid range: from (2026-03-02) is after to (2026-03-01).",
      });
    });
  });

  describe("reconciliation", () => {
    async function createLinkedWorld() {
      const world = await createWorld(handle.db);
      const api = await createConnection(
        handle.db,
        contextOf(world, "marketer"),
        {
          kind: "person",
        },
      );
      const imported = await createImportConnection(world, "marketer", api);
      // The API covers the 1st to the 10th and the import the 6th to the
      // 15th, so the 6th to the 10th overlap. The import counts one
      // impression more on the 8th and 7 reactions on the 9th.
      const apiDays = listDays({ from: "2026-03-01", to: "2026-03-10" });
      const importDays = listDays({ from: "2026-03-06", to: "2026-03-15" });
      await upsertDailyMetrics(handle.db, [
        ...dailyRows(world, api, apiDays, (index) => 100 + index),
        ...dailyRows(
          world,
          imported,
          importDays,
          (index) => 105 + index + (importDays[index] === "2026-03-08" ? 1 : 0),
          "import",
        ).map((row) =>
          row.day === "2026-03-09" && row.metric === "reactions"
            ? { ...row, value: 7 }
            : row,
        ),
      ]);
      return { world, api, imported };
    }

    it("lists overlapping days and their differences", async () => {
      const { world, imported, api } = await createLinkedWorld();
      const result = await loadReconciliation(
        handle.db,
        contextOf(world, "marketer"),
        imported,
      );
      expect(result.apiConnection?.id).toBe(api);
      expect(result.rows).toHaveLength(10);
      expect(result.rows.map((row) => row.day)).toEqual(
        listDays({ from: "2026-03-06", to: "2026-03-10" }).flatMap((day) => [
          day,
          day,
        ]),
      );
      const differing = result.rows.filter((row) => row.difference !== 0);
      expect(differing).toEqual([
        {
          day: "2026-03-08",
          metric: "impressions",
          apiValue: 107,
          importedValue: 108,
          difference: 1,
        },
        {
          day: "2026-03-09",
          metric: "reactions",
          // Reactions are the day of the month modulo 3 on both sides.
          apiValue: 0,
          importedValue: 7,
          difference: 7,
        },
      ]);
      const impressions = result.summary.find(
        (entry) => entry.metric === "impressions",
      );
      expect(impressions).toEqual({
        metric: "impressions",
        days: 5,
        differingDays: 1,
        apiTotal: 105 + 106 + 107 + 108 + 109,
        importedTotal: 105 + 106 + 108 + 108 + 109,
      });
    });

    it("an unlinked import has nothing to compare", async () => {
      const { world } = await createLinkedWorld();
      const unlinked = await createImportConnection(world, "marketer");
      const result = await loadReconciliation(
        handle.db,
        contextOf(world, "owner"),
        unlinked,
      );
      expect(result.apiConnection).toBeNull();
      expect(result.rows).toEqual([]);
    });

    it("hides imports the caller may not see", async () => {
      const { world, imported, api } = await createLinkedWorld();
      const outsider: WorkspaceContext = {
        userId: world.users.outsider.id,
        workspaceId: world.otherWorkspaceId,
        role: "owner",
      };
      await expect(
        loadReconciliation(handle.db, outsider, imported),
      ).rejects.toThrow(NotFoundError);
      // An API connection id is no import.
      await expect(
        loadReconciliation(handle.db, contextOf(world, "owner"), api),
      ).rejects.toThrow(NotFoundError);

      await updateWorkspaceSettings(handle.db, contextOf(world, "owner"), {
        metricsVisibility: "own",
      });
      await expect(
        loadReconciliation(handle.db, contextOf(world, "viewer"), imported),
      ).rejects.toThrow(NotFoundError);
      const own = await loadReconciliation(
        handle.db,
        contextOf(world, "marketer"),
        imported,
      );
      expect(own.rows).toHaveLength(10);
    });
  });
});
