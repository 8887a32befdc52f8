import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "./server";
import {
  control,
  dayIntervals,
  encodeUrn,
  restGet,
  signIn,
  startTestEmulator,
} from "./test-support";

let emulator: RunningEmulator;
let adaToken: string;
let graceToken: string;
let signInOnlyToken: string;
const ADA_PAGE = encodeUrn("urn:li:organization:2414183");

type ErrorBody = {
  status: number;
  serviceErrorCode?: number;
  code?: string;
  message: string;
};

beforeAll(async () => {
  emulator = await startTestEmulator();
  adaToken = (await signIn(emulator, "ada")).access_token;
  graceToken = (await signIn(emulator, "grace")).access_token;
  signInOnlyToken = (await signIn(emulator, "alan", "openid profile email"))
    .access_token;
});

afterAll(async () => {
  await emulator.close();
});

describe("version header", () => {
  it("missing gives 400", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
      {
        "linkedin-version": "",
      },
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).code).toBe("VERSION_MISSING");
  });

  it("older than a year gives 426", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
      {
        "linkedin-version": "202404",
      },
    );
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(426);
    expect(body).toEqual({
      status: 426,
      code: "NONEXISTENT_VERSION",
      message: "Requested version 20240401 is not active",
    });
  });

  it("future version gives 426", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
      {
        "linkedin-version": "202701",
      },
    );
    expect(response.status).toBe(426);
  });

  it("sunset switch gives 426", async () => {
    await control(emulator, "/config", { sunsetVersions: ["202611"] });
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
    );
    await control(emulator, "/config", { sunsetVersions: [] });
    expect(response.status).toBe(426);
  });

  it("eleven-month-old version is active", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
      {
        "linkedin-version": "202512",
      },
    );
    expect(response.status).toBe(200);
  });

  it("protocol header is required", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      adaToken,
      {
        "x-restli-protocol-version": "",
      },
    );
    expect(response.status).toBe(400);
  });
});

describe("access checks", () => {
  it("unknown token gives 65600", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      "nope",
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      status: 401,
      serviceErrorCode: 65600,
      code: "INVALID_ACCESS_TOKEN",
      message: "Invalid access token",
    });
  });

  it("missing scope gives 403", async () => {
    const response = await restGet(
      emulator,
      "memberFollowersCount?q=me",
      signInOnlyToken,
    );
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(403);
    expect(body.serviceErrorCode).toBe(100);
    expect(body.message).toBe(
      "Not enough permissions to access: memberFollowersCount.GET.20261101",
    );
  });

  it("page of another admin gives 403", async () => {
    const response = await restGet(
      emulator,
      `organizationPageStatistics?q=organization&organization=${ADA_PAGE}`,
      graceToken,
    );
    const body = (await response.json()) as ErrorBody;
    expect(response.status).toBe(403);
    expect(body.message).toBe(
      "Not enough permissions to access: organizationPageStatistics.GET.20261101",
    );
  });

  it("missing page role gives 403", async () => {
    await control(emulator, "/config", { missingPageRole: ["ada"] });
    const stats = await restGet(
      emulator,
      `organizationPageStatistics?q=organization&organization=${ADA_PAGE}`,
      adaToken,
    );
    const acls = await restGet(
      emulator,
      "organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
      adaToken,
    );
    await control(emulator, "/config", { missingPageRole: [] });
    expect(stats.status).toBe(403);
    expect(((await acls.json()) as { elements: unknown[] }).elements).toEqual(
      [],
    );
  });

  it("unknown resource gives 404", async () => {
    const response = await restGet(emulator, "profileViewers?q=me", adaToken);
    expect(response.status).toBe(404);
  });
});

describe("Rest.li query", () => {
  const path = (intervals: string) =>
    `organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=${ADA_PAGE}&timeIntervals=${intervals}`;

  it("literal structure is accepted", async () => {
    const response = await restGet(
      emulator,
      path(dayIntervals("2026-11-01", "2026-11-08")),
      adaToken,
    );
    expect(response.status).toBe(200);
  });

  it("encoded parentheses give PARAM_INVALID", async () => {
    const encoded = encodeURIComponent(
      dayIntervals("2026-11-01", "2026-11-08"),
    );
    const response = await restGet(emulator, path(encoded), adaToken);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).code).toBe("PARAM_INVALID");
  });

  it("encoded colon in structure gives PARAM_INVALID", async () => {
    const broken = dayIntervals("2026-11-01", "2026-11-08").replace(
      "timeRange:",
      "timeRange%3A",
    );
    const response = await restGet(emulator, path(broken), adaToken);
    expect(response.status).toBe(400);
  });

  it("unencoded URN gives PARAM_INVALID", async () => {
    const response = await restGet(
      emulator,
      "organizationPageStatistics?q=organization&organization=urn:li:organization:2414183",
      adaToken,
    );
    expect(response.status).toBe(400);
  });

  it("encoded dateRange gives PARAM_INVALID", async () => {
    const range = encodeURIComponent(
      "(start:(year:2026,month:11,day:1),end:(year:2026,month:11,day:3))",
    );
    const response = await restGet(
      emulator,
      `memberCreatorPostAnalytics?q=me&queryType=IMPRESSION&dateRange=${range}`,
      adaToken,
    );
    expect(response.status).toBe(400);
  });
});

describe("organization endpoints", () => {
  it("ACLs list the administered page", async () => {
    const response = await restGet(
      emulator,
      "organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
      adaToken,
    );
    const body = (await response.json()) as {
      elements: Array<Record<string, string>>;
    };
    expect(body.elements).toHaveLength(1);
    expect(body.elements[0]?.organization).toBe("urn:li:organization:2414183");
    expect(body.elements[0]?.role).toBe("ADMINISTRATOR");
  });

  it("organization lookup gives name and vanity", async () => {
    const response = await restGet(emulator, "organizations/2414183", adaToken);
    expect(await response.json()).toEqual({
      id: 2414183,
      localizedName: "Analytical Engines",
      vanityName: "analytical-engines",
    });
  });

  it("networkSizes gives the follower total", async () => {
    const response = await restGet(
      emulator,
      `networkSizes/${ADA_PAGE}?edgeType=COMPANY_FOLLOWED_BY_MEMBER`,
      adaToken,
    );
    const body = (await response.json()) as { firstDegreeSize: number };
    expect(body.firstDegreeSize).toBeGreaterThan(4200);
  });
});

describe("paging", () => {
  const daily = (extra: string) =>
    `memberCreatorPostAnalytics?q=me&queryType=IMPRESSION&aggregation=DAILY` +
    `&dateRange=(start:(year:2026,month:10,day:1),end:(year:2026,month:10,day:31))${extra}`;

  type Page = {
    paging: {
      start: number;
      count: number;
      total: number;
      links: Array<{ rel: string; href: string }>;
    };
    elements: unknown[];
  };

  it("count cuts a page with a next link", async () => {
    const response = await restGet(
      emulator,
      daily("&start=0&count=10"),
      adaToken,
    );
    const body = (await response.json()) as Page;
    expect(body.elements).toHaveLength(10);
    expect(body.paging.total).toBe(30);
    expect(body.paging.links[0]?.rel).toBe("next");
    expect(body.paging.links[0]?.href).toContain("start=10&count=10");
  });

  it("short pages still link the rest", async () => {
    await control(emulator, "/config", { shortPages: true });
    const seen: unknown[] = [];
    let next: string | undefined = `/rest/${daily("&start=0&count=10")}`;
    let pages = 0;
    while (next && pages < 20) {
      const response = await restGet(
        emulator,
        next.slice("/rest/".length),
        adaToken,
      );
      const body = (await response.json()) as Page;
      if (pages === 0) expect(body.elements.length).toBeLessThan(10);
      seen.push(...body.elements);
      next = body.paging.links.find((link) => link.rel === "next")?.href;
      pages += 1;
    }
    await control(emulator, "/config", { shortPages: false });
    expect(seen).toHaveLength(30);
  });
});
