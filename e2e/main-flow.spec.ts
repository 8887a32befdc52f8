import { expect, test } from "@playwright/test";
import {
  connectAnalytics,
  connectionUrns,
  lastCompleteDays,
  signInAs,
  truthSeries,
  truthTotal,
} from "./helpers";

const DAILY_METRICS = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "follower_gains",
  "page_views",
];
const PERSON_METRICS = [
  "impressions",
  "reactions",
  "comments",
  "reshares",
  "follower_gains",
];

async function kpiValue(
  page: import("@playwright/test").Page,
  metric: string,
): Promise<number | null> {
  const value = await page
    .getByTestId(`kpi-${metric}-value`)
    .getAttribute("data-value");
  return value === null ? null : Number(value);
}

test("member signs in, connects and sees the true 28-day totals", async ({
  page,
  request,
}) => {
  await signInAs(page, "Grace Hopper");
  await expect(
    page.getByRole("link", { name: "Connect LinkedIn analytics" }),
  ).toBeVisible();

  await connectAnalytics(page, "Grace Hopper", 1);
  const [urn] = await connectionUrns(page);
  expect(urn).toMatch(/^urn:li:person:/);

  await page.goto("/dashboard?range=28");
  const range = lastCompleteDays(28);
  for (const metric of PERSON_METRICS) {
    const expected = await truthTotal(request, urn!, metric, range);
    if (metric === "impressions") expect(expected).toBeGreaterThan(0);
    await expect
      .poll(() => kpiValue(page, metric), { message: metric })
      .toBe(expected);
  }
  const reached = await truthTotal(request, urn!, "members_reached", range);
  expect(await kpiValue(page, "members_reached")).toBe(reached);
  await expect(page.getByTestId("kpi-page_views")).toContainText(
    "Not available",
  );
  // The series load after hydration, all in one response.
  await expect(page.getByRole("img", { name: /^Impressions/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /page views/i })).toHaveCount(0);

  const csv = await page.request.get(
    `/api/metrics.csv?from=${range.from}&to=${range.to}`,
  );
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toBe("day,connection,metric,value");
  const stored = new Map(
    lines.slice(1).map((line) => {
      const [day, connection, metric, value] = line.split(",");
      return [`${connection}|${metric}|${day}`, Number(value)];
    }),
  );
  for (const metric of PERSON_METRICS) {
    for (const point of await truthSeries(request, urn!, metric, range)) {
      expect(
        stored.get(`${urn}|${metric}|${point.day}`),
        `${metric} ${point.day}`,
      ).toBe(point.value);
    }
  }

  // The sync stored the last 365 days, so the first days of a 400-day range
  // are a gap, and the tooltip over them reads "No data".
  const longer = lastCompleteDays(400);
  await page.goto(
    `/dashboard?range=custom&from=${longer.from}&to=${longer.to}`,
  );
  const chart = page.getByRole("img", { name: /^Impressions/ });
  await expect(chart.locator("svg.recharts-surface")).toBeVisible();
  // The y axis is 44 pixels wide, and the first days start right after it.
  await chart.hover({ position: { x: 48, y: 100 } });
  const tooltip = chart.locator(".recharts-tooltip-wrapper");
  await expect(tooltip).toBeVisible();
  await expect(tooltip).toContainText("No data");

  // Days long before the sync's window were never stored: no data, not 0.
  await page.goto("/dashboard?range=custom&from=2016-01-01&to=2016-01-31");
  await expect(page.getByTestId("kpi-impressions-value")).toHaveText("No data");
  await expect(page.getByTestId("kpi-impressions-coverage")).toHaveText(
    "No data is stored for these days.",
  );
  await expect(
    page.getByRole("heading", { name: "No data for this range" }),
  ).toBeVisible();
  await expect(
    page.locator('[data-testid^="breakdown-"][data-testid$="-impressions"]'),
  ).toHaveText(["No data"]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect(
    (
      await page.request.get("/api/metrics.csv?from=2026-01-01&to=2026-01-02")
    ).status(),
  ).toBe(401);
});

test("page administrator sees the page-view chart", async ({
  page,
  request,
}) => {
  await signInAs(page, "Ada Lovelace");
  await connectAnalytics(page, "Ada Lovelace", 2);
  const urns = await connectionUrns(page);
  const organization = urns.find((urn) =>
    urn.startsWith("urn:li:organization:"),
  );
  const person = urns.find((urn) => urn.startsWith("urn:li:person:"));
  expect(organization).toBeDefined();
  expect(person).toBeDefined();

  await page.goto("/dashboard?range=28");
  await expect(page.getByRole("img", { name: /page views/i })).toBeVisible();
  const range = lastCompleteDays(28);
  for (const metric of DAILY_METRICS) {
    const personTotal =
      metric === "page_views"
        ? 0
        : await truthTotal(request, person!, metric, range);
    const pageTotal = await truthTotal(request, organization!, metric, range);
    await expect
      .poll(() => kpiValue(page, metric), { message: metric })
      .toBe(personTotal + pageTotal);
  }
});
