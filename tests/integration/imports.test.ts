import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { DatabaseHandle } from "@/lib/db/client";
import {
  importedPosts,
  imports,
  linkedinConnections,
  metricDaily,
} from "@/lib/db/schema";
import { importExportFile } from "@/lib/import/store";
import { ImportFileError } from "@/lib/import/workbook";
import { loadDashboardData } from "@/lib/metrics/dashboard";
import { DEFAULT_VIEW } from "@/lib/metrics/view";
import { upsertDailyMetrics } from "@/lib/sync/upsert";
import { control, startTestEmulator, TEST_NOW } from "@/emulator/test-support";
import type { RunningEmulator } from "@/emulator/server";
import { testEngines } from "../helpers/databases";
import { createConnection, createOwner } from "../helpers/fixtures";

const NOW = new Date(TEST_NOW);
const RANGE = { from: "2026-10-18", to: "2026-11-14" };

type Member = { urn: string; name: string; organizations: { urn: string }[] };

async function download(
  emulator: RunningEmulator,
  kind: string,
  subject: string,
  range = RANGE,
) {
  const query = new URLSearchParams({ subject, ...range });
  const response = await fetch(
    `${emulator.url}/__emulator/exports/${kind}?${query}`,
  );
  expect(response.status, kind).toBe(200);
  const fileName =
    /filename="([^"]+)"/.exec(
      response.headers.get("content-disposition") ?? "",
    )?.[1] ?? "";
  return { bytes: new Uint8Array(await response.arrayBuffer()), fileName };
}

async function truth(
  emulator: RunningEmulator,
  subject: string,
  metric: string,
) {
  const query = new URLSearchParams({ subject, metric, ...RANGE });
  const response = await control(emulator, `/truth?${query}`);
  const points = (await response.json()) as { value: number }[];
  return points.reduce((sum, point) => sum + point.value, 0);
}

describe.each(testEngines())("imports on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let ada: Member;

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    const members = (await (
      await control(emulator, "/members")
    ).json()) as Member[];
    ada = members.find((member) => member.name === "Ada Lovelace")!;
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  it("imported exports equal the truth", async () => {
    const owner = await createOwner(handle.db);
    const page = ada.organizations[0]!.urn;
    for (const [kind, subject] of [
      ["member_content", ada.urn],
      ["page_content", page],
      ["page_followers", page],
      ["page_visitors", page],
    ] as const) {
      const file = await download(emulator, kind, subject);
      const result = await importExportFile(handle.db, owner, file);
      expect(result.kind).toBe(kind);
    }

    const view = { ...DEFAULT_VIEW, range: "custom" as const, ...RANGE };
    const data = await loadDashboardData(handle.db, owner, view, NOW);
    expect(data.connections.filter((c) => c.source === "import")).toHaveLength(
      2,
    );
    for (const metric of ["impressions", "follower_gains"]) {
      const expected =
        (await truth(emulator, ada.urn, metric)) +
        (await truth(emulator, page, metric));
      expect(
        data.kpis.find((kpi) => kpi.metric === metric)?.value,
        metric,
      ).toBe(expected);
    }
    for (const metric of ["reactions", "comments", "reshares", "page_views"]) {
      expect(
        data.kpis.find((kpi) => kpi.metric === metric)?.value,
        metric,
      ).toBe(await truth(emulator, page, metric));
    }
    const source = data.kpis.find((kpi) => kpi.metric === "page_views")
      ?.sources[0];
    expect(source?.origin.kind).toBe("import");
  });

  it("same file twice changes nothing", async () => {
    const owner = await createOwner(handle.db);
    const file = await download(emulator, "member_content", ada.urn);
    const first = await importExportFile(handle.db, owner, file);
    const second = await importExportFile(handle.db, owner, file);

    // 28 days of impressions and follower gains, and the TOP POSTS rows.
    const posts = await handle.db
      .select({ url: importedPosts.url })
      .from(importedPosts)
      .where(eq(importedPosts.connectionId, first.connectionId));
    expect(posts.length).toBeGreaterThan(0);
    expect(first.rowsWritten).toBe(56 + posts.length);
    expect(second.duplicate).toBe(true);
    expect(second.rowsWritten).toBe(0);
    const recorded = await handle.db
      .select()
      .from(imports)
      .where(eq(imports.workspaceId, owner.workspaceId));
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      kind: "member_content",
      rowsRead: 56 + posts.length,
      userId: owner.userId,
    });
  });

  it("renamed copy of a file changes nothing", async () => {
    const owner = await createOwner(handle.db);
    const file = await download(emulator, "member_content", ada.urn);
    const first = await importExportFile(handle.db, owner, file);
    const renamed = await importExportFile(handle.db, owner, {
      ...file,
      fileName: "export (1).xlsx",
    });

    expect(renamed.duplicate).toBe(true);
    expect(renamed.rowsWritten).toBe(0);
    expect(renamed.connectionId).toBe(first.connectionId);
    const connections = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.workspaceId, owner.workspaceId));
    expect(connections).toHaveLength(1);
  });

  it("overlapping file updates only its days", async () => {
    const owner = await createOwner(handle.db);
    const first = await importExportFile(
      handle.db,
      owner,
      await download(emulator, "page_visitors", ada.organizations[0]!.urn),
    );
    await handle.db.execute(
      sql`update metric_daily set value = value + 1000 where connection_id = ${first.connectionId} and day = '2026-11-01'`,
    );
    const overlap = await download(
      emulator,
      "page_visitors",
      ada.organizations[0]!.urn,
      { from: "2026-10-30", to: "2026-11-14" },
    );
    const second = await importExportFile(handle.db, owner, overlap);

    expect(second.connectionId).toBe(first.connectionId);
    expect(second.rowsWritten).toBe(1);
    const [count] = await handle.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(metricDaily)
      .where(eq(metricDaily.connectionId, first.connectionId));
    expect(count?.n).toBe(28);
  });

  it("bad file imports nothing", async () => {
    const owner = await createOwner(handle.db);
    await expect(
      importExportFile(handle.db, owner, {
        bytes: new Uint8Array([1, 2, 3]),
        fileName: "broken.xlsx",
      }),
    ).rejects.toBeInstanceOf(ImportFileError);
    const recorded = await handle.db
      .select()
      .from(imports)
      .where(eq(imports.workspaceId, owner.workspaceId));
    expect(recorded).toHaveLength(0);
  });

  it("API values win on days they cover", async () => {
    const owner = await createOwner(handle.db);
    const api = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    const file = await download(
      emulator,
      "page_visitors",
      ada.organizations[0]!.urn,
      { from: "2026-11-13", to: "2026-11-14" },
    );
    const imported = await importExportFile(handle.db, owner, {
      ...file,
      apiConnectionId: api,
    });
    await upsertDailyMetrics(handle.db, [
      {
        workspaceId: owner.workspaceId,
        connectionId: api,
        metric: "page_views",
        day: "2026-11-14",
        value: 1,
        source: "api",
      },
    ]);

    const view = {
      ...DEFAULT_VIEW,
      range: "custom" as const,
      from: "2026-11-13",
      to: "2026-11-14",
    };
    const data = await loadDashboardData(handle.db, owner, view, NOW);
    const rows = await handle.db
      .select()
      .from(metricDaily)
      .where(eq(metricDaily.connectionId, imported.connectionId));
    const importedOn13 = rows.find((row) => row.day === "2026-11-13")!.value;
    expect(data.kpis.find((kpi) => kpi.metric === "page_views")?.value).toBe(
      importedOn13 + 1,
    );
  });

  it("same file again links a later API connection", async () => {
    const owner = await createOwner(handle.db);
    const file = await download(
      emulator,
      "page_visitors",
      ada.organizations[0]!.urn,
      { from: "2026-11-13", to: "2026-11-14" },
    );
    // Imported before the page's API connection existed, so unlinked.
    const imported = await importExportFile(handle.db, owner, file);
    const api = await createConnection(handle.db, owner, {
      kind: "organization",
    });
    await upsertDailyMetrics(handle.db, [
      {
        workspaceId: owner.workspaceId,
        connectionId: api,
        metric: "page_views",
        day: "2026-11-14",
        value: 1,
        source: "api",
      },
    ]);
    const view = {
      ...DEFAULT_VIEW,
      range: "custom" as const,
      from: "2026-11-13",
      to: "2026-11-14",
    };
    const pageViews = async () =>
      (await loadDashboardData(handle.db, owner, view, NOW)).kpis.find(
        (kpi) => kpi.metric === "page_views",
      )?.value;
    const rows = await handle.db
      .select()
      .from(metricDaily)
      .where(eq(metricDaily.connectionId, imported.connectionId));
    const importedOn = (day: string) =>
      rows.find((row) => row.day === day)!.value;
    // Unlinked, both sources count on the 14th.
    expect(await pageViews()).toBe(
      importedOn("2026-11-13") + importedOn("2026-11-14") + 1,
    );

    const again = await importExportFile(handle.db, owner, {
      ...file,
      apiConnectionId: api,
    });
    expect(again.duplicate).toBe(true);
    expect(again.linked).toBe(true);
    expect(again.rowsWritten).toBe(0);
    expect(await pageViews()).toBe(importedOn("2026-11-13") + 1);

    // Linking to the same connection a second time changes nothing.
    const third = await importExportFile(handle.db, owner, {
      ...file,
      apiConnectionId: api,
    });
    expect(third.linked).toBe(false);
  });

  it("rejects another workspace's API connection", async () => {
    const owner = await createOwner(handle.db);
    const stranger = await createOwner(handle.db);
    const theirs = await createConnection(handle.db, stranger, {
      kind: "organization",
    });
    const file = await download(
      emulator,
      "page_visitors",
      ada.organizations[0]!.urn,
    );
    await expect(
      importExportFile(handle.db, owner, { ...file, apiConnectionId: theirs }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
