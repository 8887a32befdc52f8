import { expect, test } from "@playwright/test";
import { connectAnalytics, seriousViolations, signInAs } from "./helpers";

// Every page an owner can open, in light and dark colour schemes.
const PAGES = [
  "/dashboard",
  "/connections",
  "/connections/connect",
  "/team",
  "/audit",
  "/privacy",
  "/api-health",
];

for (const colorScheme of ["light", "dark"] as const) {
  test(`pages have no serious axe violations in ${colorScheme}`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto("/sign-in");
    expect(await seriousViolations(page), "/sign-in").toEqual([]);
    await signInAs(page, "Ada Lovelace");
    for (const path of PAGES) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      expect(await seriousViolations(page), path).toEqual([]);
    }
  });
}

test("pages fit a 375 px wide screen", async ({ page }) => {
  await signInAs(page, "Ada Lovelace");
  // With data, so the charts and the breakdown table are on the page.
  await connectAnalytics(page, "Ada Lovelace", 2);
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.locator("main")).toBeVisible();
    if (path === "/dashboard") {
      // The charts load after hydration; measure with them drawn.
      await expect(
        page
          .getByRole("img", { name: /^Impressions/ })
          .locator("svg")
          .first(),
      ).toBeVisible();
    }
    const width = await page.evaluate(
      () => document.documentElement.scrollWidth,
    );
    expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(375);
  }
});
