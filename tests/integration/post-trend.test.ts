import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "@/emulator/server";
import {
  importedPosts,
  linkedinConnections,
  memberships,
  postMetricDaily,
  workspaceSettings,
} from "@/lib/db/schema";
import type { DatabaseHandle } from "@/lib/db/client";
import { CONNECT_SCOPES } from "@/lib/connections/connect";
import { removeConnection } from "@/lib/connections/remove";
import { importExportFile } from "@/lib/import/store";
import { addDays, todayUtc } from "@/lib/linkedin/days";
import { postReferenceOf } from "@/lib/posts/urn";
import { loadPostTrend } from "@/lib/posts/trend";
import { discoverOrganizations } from "@/lib/sync/discover";
import { syncConnection, type SyncDeps } from "@/lib/sync/sync-connection";
import { testEngines } from "../helpers/databases";
import {
  fetchTruth,
  TEST_CLIENT,
  startTestEmulator,
} from "../helpers/emulator";
import { connectMember, setSwitches } from "../helpers/connect";
import { createOwner } from "../helpers/fixtures";

const METRICS = ["impressions", "reactions", "comments", "reshares"];

describe.each(testEngines())("post trends on $name", (engine) => {
  let handle: DatabaseHandle;
  let emulator: RunningEmulator;
  let deps: SyncDeps;
  const yesterday = addDays(todayUtc(new Date()), -1);
  const exportRange = { from: addDays(yesterday, -27), to: yesterday };

  beforeAll(async () => {
    handle = await engine.open();
    emulator = await startTestEmulator();
    // A member's first sync with posts takes about 4 calls a post on top of
    // the backfill, more than LinkedIn's development quota of 100 a day.
    await setSwitches(emulator, { memberDailyQuota: 1000 });
    deps = {
      database: handle.db,
      keyRing: {
        currentKeyId: "test",
        keys: new Map([["test", randomBytes(32)]]),
      },
      apiBase: emulator.url,
      logger: pino({ level: "silent" }),
    };
  });
  afterAll(async () => {
    await emulator.close();
    await handle.close();
  });

  async function connect(memberId: string, scopes: readonly string[]) {
    const { owner, stored, tokens } = await connectMember(
      handle.db,
      emulator,
      memberId,
      deps.keyRing,
      scopes,
    );
    return { owner, stored, urn: `urn:li:person:${tokens.sub}` };
  }

  async function importExport(
    owner: Awaited<ReturnType<typeof createOwner>>,
    kind: string,
    subject: string,
    apiConnectionId: string,
  ) {
    const query = new URLSearchParams({ subject, ...exportRange });
    const response = await fetch(
      `${emulator.url}/__emulator/exports/${kind}?${query.toString()}`,
    );
    expect(response.status).toBe(200);
    const fileName = /filename="([^"]+)"/.exec(
      response.headers.get("content-disposition") ?? "",
    )![1]!;
    return importExportFile(handle.db, owner, {
      bytes: new Uint8Array(await response.arrayBuffer()),
      fileName,
      apiConnectionId,
    });
  }

  async function importedUrls(connectionId: string) {
    const rows = await handle.db
      .select({
        url: importedPosts.url,
        publishedOn: importedPosts.publishedOn,
      })
      .from(importedPosts)
      .where(eq(importedPosts.connectionId, connectionId));
    return rows;
  }

  async function storedSeries(
    connectionId: string,
    postUrn: string,
    metric: string,
  ) {
    return handle.db
      .select({ day: postMetricDaily.day, value: postMetricDaily.value })
      .from(postMetricDaily)
      .where(
        and(
          eq(postMetricDaily.connectionId, connectionId),
          eq(postMetricDaily.postUrn, postUrn),
          eq(postMetricDaily.metric, metric),
        ),
      )
      .orderBy(postMetricDaily.day);
  }

  /** Checks that the stored days of a post equal the truth, missing days as 0. */
  async function expectTruth(
    connectionId: string,
    postUrn: string,
    publishedOn: string,
  ) {
    for (const metric of METRICS) {
      const rows = await storedSeries(connectionId, postUrn, metric);
      const truth = await fetchTruth(emulator, postUrn, metric, {
        from: publishedOn,
        to: yesterday,
      });
      const truthByDay = new Map(
        truth.map((point) => [point.day, point.value]),
      );
      expect(rows.length, `${postUrn} ${metric}`).toBeGreaterThan(0);
      expect(rows[0]?.day, `${postUrn} ${metric} first day`).toBe(publishedOn);
      expect(rows.at(-1)?.day, `${postUrn} ${metric} last day`).toBe(yesterday);
      for (const row of rows) {
        expect(row.value, `${postUrn} ${metric} ${row.day}`).toBe(
          truthByDay.get(row.day) ?? 0,
        );
      }
      for (const point of truth) {
        expect(
          rows.some((row) => row.day === point.day),
          `${postUrn} ${metric} ${point.day} stored`,
        ).toBe(true);
      }
    }
  }

  it("member sync stores each post's truth", async () => {
    const { owner, stored, urn } = await connect("grace", CONNECT_SCOPES);
    const imported = await importExport(
      owner,
      "member_content",
      urn,
      stored.connectionId,
    );
    expect(imported.postsApiConnectionId).toBe(stored.connectionId);
    const posts = await importedUrls(imported.connectionId);
    expect(posts.length).toBeGreaterThan(3);

    const outcome = await syncConnection(deps, stored.connectionId, "daily");
    expect(outcome.kind).toBe("synced");

    let withUrn = 0;
    for (const post of posts) {
      const reference = postReferenceOf(post.url);
      if (reference.kind === "activity") {
        const rows = await handle.db
          .select()
          .from(postMetricDaily)
          .where(eq(postMetricDaily.postUrn, reference.urn));
        expect(rows, post.url).toHaveLength(0);
        continue;
      }
      expect(["share", "ugcPost"]).toContain(reference.kind);
      if (reference.kind === "none") continue;
      withUrn += 1;
      await expectTruth(stored.connectionId, reference.urn, post.publishedOn!);
    }
    expect(withUrn).toBeGreaterThan(0);

    const again = await syncConnection(deps, stored.connectionId, "daily");
    expect(again.kind).toBe("synced");
    const firstPost = posts
      .map((post) => postReferenceOf(post.url))
      .find((reference) => reference.kind !== "activity")!;
    if (firstPost.kind === "none") throw new Error("no post with a URN");
    const trend = await loadPostTrend(handle.db, owner, {
      connectionId: imported.connectionId,
      url: posts.find((post) => post.url.includes(firstPost.urn))!.url,
    });
    expect(trend?.availability.kind).toBe("available");
    const truth = await fetchTruth(emulator, firstPost.urn, "impressions", {
      from: addDays(yesterday, -400),
      to: yesterday,
    });
    expect(
      trend?.series.find((series) => series.metric === "impressions")?.total,
    ).toBe(truth.reduce((sum, point) => sum + point.value, 0));
  });

  it("post of another workspace or member is hidden", async () => {
    const { owner, stored, urn } = await connect("katherine", CONNECT_SCOPES);
    const imported = await importExport(
      owner,
      "member_content",
      urn,
      stored.connectionId,
    );
    const [post] = await importedUrls(imported.connectionId);
    const input = { connectionId: imported.connectionId, url: post!.url };
    expect(await loadPostTrend(handle.db, owner, input)).not.toBeNull();

    const outsider = await createOwner(handle.db);
    expect(await loadPostTrend(handle.db, outsider, input)).toBeNull();

    const marketer = await createOwner(handle.db);
    await handle.db.insert(memberships).values({
      workspaceId: owner.workspaceId,
      userId: marketer.userId,
      role: "marketer",
    });
    const asMarketer = { ...marketer, workspaceId: owner.workspaceId };
    const marketerContext = { ...asMarketer, role: "marketer" as const };
    expect(
      await loadPostTrend(handle.db, marketerContext, input),
    ).not.toBeNull();
    await handle.db.insert(workspaceSettings).values({
      workspaceId: owner.workspaceId,
      metricsVisibility: "own",
    });
    expect(await loadPostTrend(handle.db, marketerContext, input)).toBeNull();
  });

  it("page sync stores each post's truth", async () => {
    const { owner, stored } = await connect("ada", CONNECT_SCOPES);
    const [pageId] = await discoverOrganizations(deps, stored.grantId);
    const [page] = await handle.db
      .select()
      .from(linkedinConnections)
      .where(eq(linkedinConnections.id, pageId!));
    const imported = await importExport(
      owner,
      "page_content",
      page!.urn,
      page!.id,
    );
    const posts = await importedUrls(imported.connectionId);
    expect(posts.length).toBeGreaterThan(3);

    const outcome = await syncConnection(deps, page!.id, "daily");
    expect(outcome.kind).toBe("synced");
    let withUrn = 0;
    for (const post of posts) {
      const reference = postReferenceOf(post.url);
      if (reference.kind !== "share" && reference.kind !== "ugcPost") continue;
      withUrn += 1;
      await expectTruth(page!.id, reference.urn, post.publishedOn!);
    }
    expect(withUrn).toBeGreaterThan(0);

    const removal = await removeConnection(
      handle.db,
      owner,
      stored.connectionId,
      {
        keyRing: deps.keyRing,
        linkedin: { oauthBase: emulator.url, ...TEST_CLIENT },
        logger: deps.logger,
        cancelSyncJobs: (ids) => Promise.resolve(ids.length),
      },
    );
    expect(removal.metricRowsRemoved).toBeGreaterThan(0);
    const left = await handle.db
      .select()
      .from(postMetricDaily)
      .where(eq(postMetricDaily.connectionId, page!.id));
    expect(left).toHaveLength(0);
  });

  it("post without scope says what is missing", async () => {
    const { owner, stored, urn } = await connect("alan", [
      "openid",
      "r_member_profileAnalytics",
    ]);
    const imported = await importExport(
      owner,
      "member_content",
      urn,
      stored.connectionId,
    );
    const outcome = await syncConnection(deps, stored.connectionId, "daily");
    expect(outcome.kind).toBe("synced");
    const posts = await importedUrls(imported.connectionId);
    const post = posts.find(
      (candidate) => postReferenceOf(candidate.url).kind !== "activity",
    )!;
    const trend = await loadPostTrend(handle.db, owner, {
      connectionId: imported.connectionId,
      url: post.url,
    });
    expect(trend?.availability).toMatchObject({
      kind: "unavailable",
      cause: "missing_scope",
    });
    const rows = await handle.db
      .select()
      .from(postMetricDaily)
      .where(eq(postMetricDaily.connectionId, stored.connectionId));
    expect(rows).toHaveLength(0);
  });
});
