import { expect, test, type Page } from "@playwright/test";
import { connectAnalytics, signInAs } from "./helpers";

type LayoutShift = { value: number; sources: string[] };

declare global {
  interface Window {
    layoutShifts: LayoutShift[];
  }
}

/** Records the page's layout shifts from its first paint on. */
function recordLayoutShifts(): void {
  window.layoutShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Chromium's LayoutShift entry, which the DOM types do not declare.
      const shift = entry as PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
        sources: { node?: Node | null }[];
      };
      if (shift.hadRecentInput) continue;
      window.layoutShifts.push({
        value: shift.value,
        sources: shift.sources.map((source) => {
          const node = source.node;
          if (!(node instanceof Element)) return node?.nodeName ?? "?";
          const testId = node.getAttribute("data-testid");
          return testId ? `[data-testid=${testId}]` : node.tagName;
        }),
      });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

/** Measures the dashboard's own header: heading, view controls and filters. */
async function headerBox(page: Page) {
  const box = await page.locator("main header").first().boundingBox();
  expect(box, "the dashboard header is on the page").not.toBeNull();
  return { y: Math.round(box!.y), height: Math.round(box!.height) };
}

test("dashboard layout holds while data loads", async ({ page }) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Ada, because the main-flow spec needs Grace Hopper without connections.
  await signInAs(page, "Ada Lovelace");
  await connectAnalytics(page, "Ada Lovelace", 2);

  await page.addInitScript(recordLayoutShifts);
  // The loadDashboard action's response is held back, so the page can be
  // measured as it is before the data arrives. Its arguments name the view.
  // loadAccount, which brings the header first, has none.
  let releaseData = () => {};
  const dataReleased = new Promise<void>((resolve) => {
    releaseData = resolve;
  });
  await page.route("**/dashboard**", async (route) => {
    const request = route.request();
    if (
      request.headers()["next-action"] &&
      request.postData()?.includes('"view"')
    )
      await dataReleased;
    await route.continue();
  });

  // compare=yesterday is invalid in the URL itself. The connection id is a
  // valid UUID, and only the loaded data shows that no such connection exists.
  await page.goto(
    "/dashboard?compare=yesterday&connections=00000000-0000-0000-0000-000000000000",
  );
  await expect(page.getByText("Loading the dashboard…")).toBeVisible();
  const before = await headerBox(page);
  const linkProblemsBefore = await page.getByTestId("view-problems").count();
  const filters = page.locator("summary", {
    hasText: "Metrics and connections",
  });
  const filtersBefore = await filters.count();

  releaseData();
  await expect(page.getByText("Loading the dashboard…")).toHaveCount(0);
  await expect(filters).not.toContainText("Loading…");
  // Charts size themselves after they mount, so the test waits a second for
  // any shift that causes.
  await page.waitForTimeout(1000);
  const after = await headerBox(page);
  const shifts = await page.evaluate(() => window.layoutShifts);
  const shiftScore = shifts.reduce((sum, shift) => sum + shift.value, 0);

  expect.soft(after.y, "header top after the data, in px").toBe(before.y);
  expect
    .soft(after.height, "header height after the data, in px")
    .toBe(before.height);
  expect
    .soft(shiftScore, `layout shift score: ${JSON.stringify(shifts)}`)
    .toBeLessThan(0.001);
  expect.soft(linkProblemsBefore, "link problems before the data").toBe(1);
  expect.soft(filtersBefore, "filters box before the data").toBe(1);

  await expect(page.getByTestId("view-problems")).toContainText(
    "compare=yesterday is not valid",
  );
  await expect(page.getByTestId("unknown-connections")).toContainText(
    "1 connection id is not found",
  );
  expect(pageErrors).toEqual([]);
});
