import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  LinkedInClient,
  type CallRecord,
  type LinkedInClientOptions,
} from "./client";
import { LINKEDIN_VERSION } from "./config";
import { BadRequest, RateLimited, TokenInvalid, Transient } from "./errors";
import {
  startTestServer,
  type RecordedRequest,
  type Reply,
  type TestServer,
} from "./test-server";

const TOKEN = "secret-token-123";
const item = z.object({ id: z.number() });

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  handler: (request: RecordedRequest) => Reply,
): Promise<TestServer> {
  server = await startTestServer(handler);
  return server;
}

function clientFor(
  target: TestServer,
  options: Partial<LinkedInClientOptions> = {},
): LinkedInClient {
  return new LinkedInClient({
    apiBase: target.url,
    accessToken: TOKEN,
    sleep: async () => {},
    ...options,
  });
}

function page(ids: number[], extra: Record<string, unknown> = {}): Reply {
  return { body: { elements: ids.map((id) => ({ id })), ...extra } };
}

describe("request building", () => {
  it("sends the LinkedIn headers", async () => {
    const target = await serve(() => ({ body: {} }));
    await clientFor(target).get("/rest/x", "", z.object({}));
    const headers = target.requests[0]?.headers;
    expect(headers?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers?.["linkedin-version"]).toBe(LINKEDIN_VERSION);
    expect(headers?.["x-restli-protocol-version"]).toBe("2.0.0");
  });

  it("sends an overridden version", async () => {
    const target = await serve(() => ({ body: {} }));
    await clientFor(target, { version: "202610" }).get(
      "/rest/x",
      "",
      z.object({}),
    );
    expect(target.requests[0]?.headers["linkedin-version"]).toBe("202610");
  });

  it("sends the query unchanged", async () => {
    const target = await serve(() => ({ body: {} }));
    const query =
      "q=organization&organization=urn%3Ali%3Aorganization%3A1" +
      "&timeIntervals=(timeRange:(start:1,end:2),timeGranularityType:DAY)";
    await clientFor(target).get(
      "/rest/organizationPageStatistics",
      query,
      z.object({}),
    );
    expect(target.requests[0]?.url).toBe(
      `/rest/organizationPageStatistics?${query}`,
    );
  });

  it("omits an empty query", async () => {
    const target = await serve(() => ({ body: {} }));
    await clientFor(target).get("/rest/organizations/1", "", z.object({}));
    expect(target.requests[0]?.url).toBe("/rest/organizations/1");
  });

  it("rejects a body that fails the schema", async () => {
    const target = await serve(() => ({ body: { id: "x" } }));
    const call = clientFor(target).get("/rest/x", "", item);
    await expect(call).rejects.toThrow(/Unexpected response from \/rest\/x/);
  });
});

describe("getAll paging", () => {
  it("follows next links past short pages", async () => {
    const target = await serve((request) => {
      if (request.url === "/rest/acl?q=a") {
        return page([1], {
          paging: {
            start: 0,
            count: 10,
            links: [{ rel: "next", href: "/rest/acl?q=a&start=10&count=10" }],
          },
        });
      }
      return page([2, 3], { paging: { start: 10, count: 10, links: [] } });
    });
    const elements = await clientFor(target).getAll("/rest/acl", "q=a", item);
    expect(elements).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(target.requests.map((request) => request.url)).toEqual([
      "/rest/acl?q=a",
      "/rest/acl?q=a&start=10&count=10",
    ]);
  });

  it("follows an absolute next link", async () => {
    let calls = 0;
    const target = await serve(() => {
      calls++;
      if (calls === 1) {
        const href = `${server?.url ?? ""}/rest/acl?q=a&start=1`;
        return page([1], { paging: { links: [{ rel: "next", href }] } });
      }
      return page([2]);
    });
    const elements = await clientFor(target).getAll("/rest/acl", "q=a", item);
    expect(elements).toHaveLength(2);
    expect(target.requests[1]?.url).toBe("/rest/acl?q=a&start=1");
  });

  it("refuses a next link to another origin", async () => {
    const target = await serve(() =>
      page([1], {
        paging: {
          links: [{ rel: "next", href: "http://127.0.0.2:9/rest/acl" }],
        },
      }),
    );
    const call = clientFor(target).getAll("/rest/acl", "q=a", item);
    await expect(call).rejects.toThrow(/Refusing to follow/);
    expect(target.requests).toHaveLength(1);
  });

  it("sends nextPageToken as pageToken", async () => {
    const target = await serve((request) => {
      if (!request.url.includes("pageToken")) {
        return page([1], {
          paging: { count: 10 },
          metadata: { nextPageToken: "tok/1=" },
        });
      }
      if (request.url.includes("pageToken=tok%2F1%3D")) {
        return page([2], { metadata: { nextPageToken: "tok2" } });
      }
      return page([3], { metadata: { nextPageToken: null } });
    });
    const elements = await clientFor(target).getAll("/rest/m", "q=me", item);
    expect(elements.map((element) => element.id)).toEqual([1, 2, 3]);
    expect(target.requests[1]?.url).toBe("/rest/m?q=me&pageToken=tok%2F1%3D");
    expect(target.requests[2]?.url).toBe("/rest/m?q=me&pageToken=tok2");
  });

  it("pages by start while full", async () => {
    const target = await serve((request) => {
      const start = Number(
        new URL(request.url, "http://h").searchParams.get("start") ?? 0,
      );
      const ids = start < 4 ? [start + 1, start + 2] : [start + 1];
      return page(ids, { paging: { start, count: 2 } });
    });
    const elements = await clientFor(target).getAll(
      "/rest/o",
      "q=x&count=2",
      item,
    );
    expect(elements.map((element) => element.id)).toEqual([1, 2, 3, 4, 5]);
    expect(target.requests.map((request) => request.url)).toEqual([
      "/rest/o?q=x&count=2",
      "/rest/o?q=x&start=2&count=2",
      "/rest/o?q=x&start=4&count=2",
    ]);
  });

  it("stops at total", async () => {
    const target = await serve(() =>
      page([1, 2], { paging: { start: 0, count: 2, total: 2 } }),
    );
    const elements = await clientFor(target).getAll("/rest/o", "q=x", item);
    expect(elements).toHaveLength(2);
    expect(target.requests).toHaveLength(1);
  });

  it("stops without paging data", async () => {
    const target = await serve(() => page([1, 2]));
    await clientFor(target).getAll("/rest/o", "q=x", item);
    expect(target.requests).toHaveLength(1);
  });

  it("stops a next-link loop", async () => {
    const target = await serve(() =>
      page([], {
        paging: { links: [{ rel: "next", href: "/rest/loop?q=x" }] },
      }),
    );
    const call = clientFor(target).getAll("/rest/loop", "q=x", item);
    await expect(call).rejects.toThrow(/exceeded 1000 pages/);
    expect(target.requests).toHaveLength(1000);
  });
});

describe("retries", () => {
  function failing(
    times: number,
    reply: Reply,
  ): (request: RecordedRequest) => Reply {
    let calls = 0;
    return () => (++calls <= times ? reply : { body: { ok: true } });
  }

  it("backs off with full jitter", async () => {
    const target = await serve(failing(3, { status: 503 }));
    const delays: number[] = [];
    const client = clientFor(target, {
      baseDelayMs: 100,
      maxDelayMs: 250,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await client.get("/rest/x", "", z.object({ ok: z.boolean() }));
    expect(delays).toEqual([50, 100, 125]);
    expect(target.requests).toHaveLength(4);
  });

  it("gives up after maxAttempts", async () => {
    const target = await serve(() => ({ status: 500 }));
    const call = clientFor(target, { maxAttempts: 3 }).get(
      "/rest/x",
      "",
      z.unknown(),
    );
    await expect(call).rejects.toBeInstanceOf(Transient);
    expect(target.requests).toHaveLength(3);
  });

  it("never sleeps a negative time", async () => {
    const target = await serve(failing(1, { status: 502 }));
    const delays: number[] = [];
    const client = clientFor(target, {
      random: () => -3,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await client.get("/rest/x", "", z.unknown());
    expect(delays).toEqual([0]);
  });

  it("honours Retry-After", async () => {
    const target = await serve(
      failing(1, { status: 429, headers: { "Retry-After": "2" } }),
    );
    const delays: number[] = [];
    const client = clientFor(target, {
      random: () => 0.9,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await client.get("/rest/x", "", z.unknown());
    expect(delays).toEqual([2000]);
  });

  it("gives a past Retry-After date zero wait", async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    const target = await serve(
      failing(1, { status: 429, headers: { "Retry-After": past } }),
    );
    const delays: number[] = [];
    const client = clientFor(target, {
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await client.get("/rest/x", "", z.unknown());
    expect(delays).toEqual([0]);
  });

  it("throws a long Retry-After at once", async () => {
    const target = await serve(() => ({
      status: 429,
      headers: { "Retry-After": "3600" },
    }));
    const call = clientFor(target).get("/rest/x", "", z.unknown());
    await expect(call).rejects.toMatchObject({
      retryAfterMs: 3_600_000,
      quota: false,
    });
    expect(target.requests).toHaveLength(1);
  });

  it("does not retry a quota 429", async () => {
    const target = await serve(() => ({
      status: 429,
      body: { status: 429, serviceErrorCode: 101 },
    }));
    const call = clientFor(target).get("/rest/x", "", z.unknown());
    await expect(call).rejects.toBeInstanceOf(RateLimited);
    expect(target.requests).toHaveLength(1);
  });

  it("does not retry a 400", async () => {
    const target = await serve(() => ({
      status: 400,
      body: { code: "PARAM_INVALID" },
    }));
    const call = clientFor(target).get("/rest/x", "", z.unknown());
    await expect(call).rejects.toBeInstanceOf(BadRequest);
    expect(target.requests).toHaveLength(1);
  });

  it("does not retry a 401", async () => {
    const target = await serve(() => ({
      status: 401,
      body: { serviceErrorCode: 65600 },
    }));
    const call = clientFor(target).get("/rest/x", "", z.unknown());
    await expect(call).rejects.toBeInstanceOf(TokenInvalid);
    expect(target.requests).toHaveLength(1);
  });

  it("retries a dropped connection", async () => {
    const target = await serve(failing(1, { destroy: true }));
    const result = await clientFor(target).get(
      "/rest/x",
      "",
      z.object({ ok: z.boolean() }),
    );
    expect(result.ok).toBe(true);
    expect(target.requests).toHaveLength(2);
  });
});

describe("timeout", () => {
  it("aborts a slow response", async () => {
    const target = await serve(() => ({ delayMs: 500, body: {} }));
    const call = clientFor(target, { timeoutMs: 50, maxAttempts: 1 }).get(
      "/rest/x",
      "",
      z.unknown(),
    );
    await expect(call).rejects.toMatchObject({
      reason: "timeout",
      status: null,
    });
  });

  it("retries after a timeout", async () => {
    let calls = 0;
    const target = await serve(() =>
      ++calls === 1 ? { delayMs: 500, body: {} } : { body: { ok: true } },
    );
    const result = await clientFor(target, { timeoutMs: 50 }).get(
      "/rest/x",
      "",
      z.unknown(),
    );
    expect(result).toEqual({ ok: true });
  });
});

describe("call hooks", () => {
  it("runs beforeCall for every try", async () => {
    let calls = 0;
    const target = await serve(() =>
      ++calls === 1 ? { status: 500 } : { body: {} },
    );
    const endpoints: string[] = [];
    const client = clientFor(target, {
      beforeCall: async (endpoint) => {
        endpoints.push(endpoint);
      },
    });
    await client.get("/rest/x", "q=1", z.unknown());
    expect(endpoints).toEqual(["/rest/x", "/rest/x"]);
  });

  it("stops when beforeCall throws", async () => {
    const target = await serve(() => ({ body: {} }));
    const client = clientFor(target, {
      beforeCall: async () => {
        throw new Error("budget spent");
      },
    });
    await expect(client.get("/rest/x", "", z.unknown())).rejects.toThrow(
      "budget spent",
    );
    expect(target.requests).toHaveLength(0);
  });

  it("records each try in afterCall", async () => {
    let calls = 0;
    const target = await serve(() =>
      ++calls === 1 ? { status: 503 } : { body: {} },
    );
    const records: CallRecord[] = [];
    const client = clientFor(target, {
      afterCall: async (record) => {
        records.push(record);
      },
    });
    await client.get("/rest/x", "q=secret", z.unknown());
    expect(
      records.map((record) => [record.endpoint, record.status, record.attempt]),
    ).toEqual([
      ["/rest/x", 503, 1],
      ["/rest/x", 200, 2],
    ]);
    expect(records.every((record) => record.durationMs >= 0)).toBe(true);
  });
});

describe("logging", () => {
  it("logs calls without token or body", async () => {
    const target = await serve(() => ({ body: { private: "member-data" } }));
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level: "debug" }, stream);
    await clientFor(target, { logger }).get("/rest/x", "q=me", z.unknown());
    const output = lines.join("");
    expect(output).toContain('"endpoint":"/rest/x"');
    expect(output).toContain('"status":200');
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain("member-data");
  });
});
