import { Readable } from "node:stream";
import { ZipArchive } from "archiver";
import * as XLSX from "@e965/xlsx";
import fc from "fast-check";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  vi,
} from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import type { DatabaseHandle, SqlRunner } from "@/lib/db/client";
import { csvCell } from "@/lib/privacy/csv";
import { createWorld, snapshotDatabase, type World } from "../helpers/callers";
import { testEngines } from "../helpers/databases";
import {
  entry,
  settle,
  type Action,
  type Handler,
  type Outcome,
} from "../helpers/entry-points";

// Sends hostile input to the entry points: random action input, random
// query strings and bodies, malformed uploads, and more requests than the
// limits allow. A refused call must leave the database as it was, except for
// the rate limit counter it consumed.

const session = vi.hoisted(() => {
  process.env.TRUSTED_PROXY = "1";
  return { user: null as SessionUser | null };
});

vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSessionUser: () => Promise.resolve(session.user),
}));
vi.mock("next/cache", () => ({
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
}));
vi.mock("next/headers", () => {
  const store = {
    get: () => undefined,
    has: () => false,
    getAll: () => [],
    set: () => undefined,
    delete: () => undefined,
  };
  return {
    cookies: () => Promise.resolve(store),
    headers: () => Promise.resolve(new Headers()),
  };
});

const RUNS = { numRuns: 40 };

const ACTIONS = [
  "app/(prerendered)/dashboard/actions.ts#loadDashboard",
  "app/(dashboard)/actions.ts#switchWorkspace",
  "app/(dashboard)/actions.ts#createWorkspace",
  "app/(dashboard)/actions.ts#updateWorkspaceSettings",
  "app/(dashboard)/team/actions.ts#inviteMember",
  "app/(dashboard)/team/actions.ts#resendInvitation",
  "app/(dashboard)/team/actions.ts#revokeInvitation",
  "app/(dashboard)/team/actions.ts#changeMemberRole",
  "app/(dashboard)/team/actions.ts#removeMember",
  "app/(dashboard)/team/actions.ts#leaveWorkspace",
  "app/(auth)/invite/[token]/actions.ts#acceptInvitation",
  "app/(dashboard)/connections/actions.ts#removeConnection",
];

const FORM_ACTIONS = [
  "app/(dashboard)/connections/actions.ts#acceptConsentAndConnect",
  "app/(dashboard)/privacy/actions.ts#reacceptConsent",
];

/** Snapshot of every table but rate_limits, which a refused call may count in. */
async function snapshotWithoutCounters(sql: SqlRunner): Promise<string> {
  return (await snapshotDatabase(sql))
    .split("\n")
    .filter((line) => !line.startsWith("rate_limits:"))
    .join("\n");
}

/** Action input that is random, or a valid shape with hostile field values. */
function hostileInput(world: World) {
  const text = fc.oneof(
    fc.string(),
    fc.constantFrom("", "\u0000", "' or 1=1 --", "../../etc/passwd"),
    fc.constant("x".repeat(10_000)),
  );
  const value = fc.oneof(text, fc.anything());
  return fc.oneof(
    fc.anything(),
    fc.record({
      workspaceId: fc.oneof(fc.constant(world.workspaceId), value),
      name: value,
      email: value,
      role: value,
      userId: value,
      invitationId: value,
      connectionId: value,
      token: value,
      metricsVisibility: value,
      view: value,
    }),
  );
}

function xlsx(sheets: Record<string, unknown[][]>): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets))
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  return new Uint8Array(
    XLSX.write(book, { type: "array", bookType: "xlsx" }) as ArrayBuffer,
  );
}

/** A small ZIP whose one entry inflates to `megabytes` of zeros. */
async function zipBomb(megabytes: number): Promise<Uint8Array> {
  const chunk = Buffer.alloc(1024 * 1024);
  const zeros = Readable.from(
    (function* () {
      for (let index = 0; index < megabytes; index++) yield chunk;
    })(),
  );
  const archive = new ZipArchive({ zlib: { level: 9 } });
  const parts: Buffer[] = [];
  archive.on("data", (part: Buffer) => parts.push(part));
  const done = new Promise((resolve) => archive.on("end", resolve));
  archive.append(zeros, { name: "xl/worksheets/sheet1.xml" });
  await archive.finalize();
  await done;
  return new Uint8Array(Buffer.concat(parts));
}

describe("csvCell", () => {
  it("returns one neutral field for any value", () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true }), (value) => {
        const cell = csvCell(value);
        expect(typeof cell).toBe("string");
        const unquoted = cell.startsWith('"')
          ? cell.slice(1, -1).replace(/""/g, '"')
          : cell;
        if (!cell.startsWith('"')) expect(cell).not.toMatch(/[",\r\n]/);
        if (typeof value !== "number")
          expect(unquoted).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 200 },
    );
  });

  it("writes an invalid date as empty", () => {
    expect(csvCell(new Date(Number.NaN))).toBe("");
  });
});

describe.each(testEngines())("hostile input on $name", (engine) => {
  let handle: DatabaseHandle & { url: string | null };
  let world: World;
  const globalForDb = globalThis as { inviewDatabase?: DatabaseHandle };

  beforeAll(async () => {
    handle = await engine.open();
    globalForDb.inviewDatabase = handle;
    world = await createWorld(handle.db);
  });
  afterAll(async () => {
    globalForDb.inviewDatabase = undefined;
    await handle.close();
  });
  beforeEach(async () => {
    session.user = world.users.owner;
    await handle.sql.executeSql("delete from rate_limits");
  });

  async function upload(bytes: Uint8Array, name = "Content_x.xlsx") {
    const post = await entry<Handler>("app/api/imports/route.ts#POST");
    const form = new FormData();
    form.set("workspaceId", world.workspaceId);
    form.set("file", new File([bytes.slice()], name));
    return post(
      new Request("http://localhost/api/imports", {
        method: "POST",
        body: form,
      }),
    );
  }

  async function expectRefusedUpload(bytes: Uint8Array, pattern: RegExp) {
    const before = await snapshotWithoutCounters(handle.sql);
    const response = await upload(bytes);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(pattern);
    expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
  }

  it.each(ACTIONS)("action %s survives random input", async (key) => {
    const run = await entry<Action>(key);
    await fc.assert(
      fc.asyncProperty(hostileInput(world), async (input) => {
        const before = await snapshotWithoutCounters(handle.sql);
        const outcome: Outcome = await settle(() => run(input));
        expect(outcome).not.toBe("internal");
        if (outcome !== "ok")
          expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
      }),
      RUNS,
    );
  });

  it.each(FORM_ACTIONS)(
    "form action %s survives random fields",
    async (key) => {
      const run =
        await entry<(previous: null, form: FormData) => Promise<never>>(key);
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.string({ maxLength: 20 }), fc.string()),
          async (fields) => {
            const form = new FormData();
            for (const [name, value] of Object.entries(fields))
              form.set(name, value);
            const before = await snapshotWithoutCounters(handle.sql);
            const outcome = await settle(() => run(null, form));
            expect(outcome).not.toBe("internal");
            if (outcome !== "ok")
              expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
          },
        ),
        RUNS,
      );
    },
  );

  it("metrics CSV survives random query strings", async () => {
    const get = await entry<Handler>("app/api/metrics.csv/route.ts#GET");
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom("from", "to", "workspace", "x"),
          fc.oneof(
            fc.string(),
            fc.constantFrom("2026-01-01", "9999-12-31", "0000-00-00"),
          ),
        ),
        async (query) => {
          const url = new URL("http://localhost/api/metrics.csv");
          for (const [name, value] of Object.entries(query))
            url.searchParams.set(name, value);
          const response = await get(new Request(url));
          expect(response.status).toBeLessThan(500);
        },
      ),
      RUNS,
    );
  });

  it("import route survives random bodies", async () => {
    const post = await entry<Handler>("app/api/imports/route.ts#POST");
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        fc.constantFrom(
          "multipart/form-data; boundary=x",
          "application/json",
          "application/x-www-form-urlencoded",
          "",
        ),
        async (bytes, contentType) => {
          const before = await snapshotWithoutCounters(handle.sql);
          const response = await post(
            new Request("http://localhost/api/imports", {
              method: "POST",
              headers: contentType ? { "content-type": contentType } : {},
              body: bytes,
            }),
          );
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
        },
      ),
      RUNS,
    );
  });

  it("import route survives random file bytes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4000 }),
          fc
            .uint8Array({ maxLength: 4000 })
            .map((tail) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...tail])),
        ),
        async (bytes) => {
          await handle.sql.executeSql("delete from rate_limits");
          const before = await snapshotWithoutCounters(handle.sql);
          const response = await upload(bytes);
          expect(response.status).toBe(422);
          expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
        },
      ),
      RUNS,
    );
  });

  it("erasure survives random bodies", async () => {
    const erase = await entry<Handler>("app/api/me/data/route.ts#DELETE");
    await fc.assert(
      fc.asyncProperty(fc.string(), async (body) => {
        await handle.sql.executeSql("delete from rate_limits");
        const before = await snapshotWithoutCounters(handle.sql);
        const response = await erase(
          new Request("http://localhost/api/me/data", {
            method: "DELETE",
            body,
          }),
        );
        expect(response.status).toBe(422);
        expect(await snapshotWithoutCounters(handle.sql)).toBe(before);
      }),
      { numRuns: 20 },
    );
  });

  it("upload rejects a zip bomb", async () => {
    const bomb = await zipBomb(300);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expectRefusedUpload(bomb, /inflates to more than 100 MB/);
  });

  it("upload rejects a renamed PNG", async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ]);
    await expectRefusedUpload(png, /is not an \.xlsx or \.xls workbook/);
  });

  it("upload rejects a CSV renamed .xlsx", async () => {
    const csv = new TextEncoder().encode("Date,Impressions\n1/1/2026,5\n");
    await expectRefusedUpload(csv, /is not an \.xlsx or \.xls workbook/);
  });

  it("upload rejects a formula cell", async () => {
    const book = XLSX.utils.book_new();
    const sheet = XLSX.utils.aoa_to_sheet([["Date", "Total followers"]]);
    sheet.A2 = { t: "n", v: 1, f: "1+0" };
    sheet["!ref"] = "A1:B2";
    XLSX.utils.book_append_sheet(book, sheet, "New followers");
    const bytes = new Uint8Array(
      XLSX.write(book, { type: "array", bookType: "xlsx" }) as ArrayBuffer,
    );
    await expectRefusedUpload(bytes, /contains a formula/);
  });

  it("upload rejects a date serial out of range", async () => {
    const bytes = xlsx({
      "New followers": [
        ["Date", "Total followers"],
        [1e10, 3],
      ],
    });
    await expectRefusedUpload(bytes, /year is outside 2000 to 2100/);
  });

  it("upload rejects a javascript post link", async () => {
    const bytes = xlsx({
      Metrics: [
        ["note"],
        [
          "Date",
          "Impressions (total)",
          "Reactions (total)",
          "Comments (total)",
          "Reposts (total)",
        ],
        ["01/02/2026", 1, 1, 1, 1],
      ],
      "All posts": [
        ["note"],
        [
          "Post title",
          "Post link",
          "Created date",
          "Impressions",
          "Clicks",
          "Likes",
          "Comments",
          "Reposts",
        ],
        ["Hi", "javascript:alert(1)", "01/02/2026", 1, 1, 1, 1, 1],
      ],
    });
    await expectRefusedUpload(bytes, /Invalid link "javascript:alert\(1\)"/);
  });

  it("upload strips control characters from titles", async () => {
    const { readText } = await import("@/lib/import/workbook");
    expect(readText("a\u0000b\u0007c\u007f")).toBe("abc");
    expect(readText("line\nbreak")).toBe("line\nbreak");
  });

  it("upload limit returns 429 with Retry-After", async () => {
    const { UPLOAD_LIMIT } = await import("@/lib/privacy/rate-limit");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    for (let index = 0; index < UPLOAD_LIMIT.limit; index++)
      expect((await upload(png)).status).toBe(422);
    const refused = await upload(png);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("invitation limit counts per user", async () => {
    const { INVITATIONS_PER_USER_LIMIT } =
      await import("@/lib/privacy/rate-limit");
    const run = await entry<Action>(
      "app/(dashboard)/team/actions.ts#inviteMember",
    );
    const invite = () =>
      settle(() =>
        run({
          workspaceId: world.workspaceId,
          email: `${crypto.randomUUID()}@example.test`,
          role: "viewer",
        }),
      );
    for (let index = 0; index < INVITATIONS_PER_USER_LIMIT.limit; index++)
      expect(await invite()).toBe("ok");
    expect(await invite()).toBe("rate_limited");
  });

  it("sign-in limit counts per forwarded IP", async () => {
    const { SIGN_IN_LIMIT } = await import("@/lib/privacy/rate-limit");
    const post = await entry<Handler>(
      "app/api/auth/[...nextauth]/route.ts#POST",
    );
    const { NextRequest } = await import("next/server");
    const attempt = (ip: string) =>
      post(
        new NextRequest("http://localhost/api/auth/signin/linkedin", {
          method: "POST",
          headers: { "x-forwarded-for": `198.51.100.7, ${ip}` },
        }),
      );
    for (let index = 0; index < SIGN_IN_LIMIT.limit; index++)
      expect((await attempt("203.0.113.5")).status).not.toBe(429);
    const refused = await attempt("203.0.113.5");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await attempt("203.0.113.6")).status).not.toBe(429);
  });
});
