import { expect, test } from "@playwright/test";
import {
  connectAnalytics,
  EMULATOR_URL,
  lastCompleteDays,
  seriousViolations,
  signInAs,
  truthTotal,
} from "./helpers";

test("a posts table row opens the post's own trend", async ({
  page,
  request,
}) => {
  await signInAs(page, "Grace Hopper");
  await connectAnalytics(page, "Grace Hopper", 1);
  const members = (await (
    await request.get(`${EMULATOR_URL}/__emulator/members`)
  ).json()) as { name: string; urn: string }[];
  const grace = members.find((member) => member.name === "Grace Hopper")!;
  const range = lastCompleteDays(28);

  const content = await request.get(
    `${EMULATOR_URL}/__emulator/exports/member_content?subject=${encodeURIComponent(grace.urn)}&from=${range.from}&to=${range.to}`,
  );
  expect(content.ok()).toBe(true);
  await page.goto("/connections");
  await page.getByLabel(/Export file/).setInputFiles({
    name: "Content_grace.xlsx",
    mimeType: "application/octet-stream",
    buffer: await content.body(),
  });
  await page.getByLabel("Same member or page as").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Imported \d+ values/ }),
  ).toBeVisible();

  await page.goto("/dashboard?range=28");
  const links = page.getByTestId("post-trend-link");
  await expect(links.first()).toBeVisible();
  // Open the first post whose link names a share or ugcPost URN.
  let postUrn: string | null = null;
  for (const link of await links.all()) {
    const href = (await link.getAttribute("href")) ?? "";
    const url = new URL(href, "http://localhost").searchParams.get("url") ?? "";
    const match = /urn:li:(share|ugcPost):\d+/.exec(url);
    if (match) {
      postUrn = match[0];
      await link.focus();
      await page.keyboard.press("Enter");
      break;
    }
  }
  expect(postUrn, "a post with a share or ugcPost URN").not.toBeNull();
  await expect(page).toHaveURL(/\/dashboard\/posts\//);
  await expect(
    page.getByRole("link", { name: /Open the post on LinkedIn/ }),
  ).toBeVisible();

  // The import queued a sync that reads the post's daily numbers.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("trend-table")).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 90_000, intervals: [1000, 2000] });

  const publishedDay = await page
    .getByTestId("trend-table")
    .locator("tbody tr th time")
    .first()
    .getAttribute("datetime");
  const sincePublication = { from: publishedDay!, to: range.to };
  for (const [metric, label] of [
    ["impressions", "Impressions"],
    ["reactions", "Reactions"],
    ["comments", "Comments"],
    ["reshares", "Reshares"],
  ] as const) {
    const expected = await truthTotal(
      request,
      postUrn!,
      metric,
      sincePublication,
    );
    // The sync stores a post's metrics in separate steps, so one metric
    // can still be missing when the first has arrived. Reload until it is.
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId(`trend-total-${metric}`), label).toHaveText(
        `${new Intl.NumberFormat("en-US").format(expected)} in total`,
        { timeout: 1000 },
      );
    }).toPass({ timeout: 60_000, intervals: [1000, 2000] });
  }
  await expect(page.getByTestId("trend-source")).toContainText(
    "memberCreatorPostAnalytics",
  );
  expect(await seriousViolations(page)).toEqual([]);

  // The range control is a set of links, usable from the keyboard.
  await page.getByRole("link", { name: "Last 7 days" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/range=7/);
  const rows = await page
    .getByTestId("trend-table")
    .locator("tbody tr")
    .count();
  expect(rows).toBeGreaterThan(0);
  expect(rows).toBeLessThanOrEqual(7);

  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth,
  );
  expect(overflow).toBeLessThanOrEqual(375);
});
