import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { connectAnalytics, signInAs } from "./helpers";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test("dashboard exports CSV and PNG", async ({ page }) => {
  // Ada, because the main flow expects Grace to have no connection yet.
  await signInAs(page, "Ada Lovelace");
  await connectAnalytics(page, "Ada Lovelace", 2);

  await page.goto("/dashboard?range=28&by=week");
  const impressions = Number(
    await page.getByTestId("kpi-impressions-value").getAttribute("data-value"),
  );

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(
    /^inview-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-by-week\.csv$/,
  );
  const lines = (await fs.readFile(await csv.path(), "utf8"))
    .trimEnd()
    .split("\r\n");
  expect(lines[0]).toBe(
    "metric,period_start,period_end,value,comparison_start,comparison_end,comparison_value,stored_days,comparison_stored_days",
  );
  const impressionRows = lines
    .slice(1)
    .map((line) => line.split(","))
    .filter((cells) => cells[0] === "impressions");
  // 28 days span four or five ISO weeks, the first and last clipped.
  expect(impressionRows.length).toBeGreaterThanOrEqual(4);
  expect(impressionRows.length).toBeLessThanOrEqual(5);
  expect(impressionRows.reduce((sum, cells) => sum + Number(cells[3]), 0)).toBe(
    impressions,
  );

  const surface = await page
    .getByRole("img", { name: /^Impressions/ })
    .locator("svg.recharts-surface")
    .boundingBox();
  expect(surface).not.toBeNull();
  const pngDownload = page.waitForEvent("download");
  await page
    .getByRole("button", { name: "Download Impressions chart as PNG" })
    .click();
  const png = await pngDownload;
  expect(png.suggestedFilename()).toMatch(/^inview-impressions-.*\.png$/);
  const bytes = await fs.readFile(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  expect(bytes.length).toBeGreaterThan(1000);
  // The IHDR chunk stores the width and height at bytes 16 and 20. Above
  // the chart are the title (28 px) and a legend row for each period
  // (18 px each, then 4 px), at the page's device pixel ratio of 1.
  expect(bytes.readUInt32BE(16)).toBe(Math.ceil(surface!.width));
  expect(bytes.readUInt32BE(20)).toBe(
    Math.ceil(surface!.height + 28 + 2 * 18 + 4),
  );
});

test("export setting hides the exports", async ({ page }) => {
  await signInAs(page, "Ada Lovelace");

  await page.goto("/team");
  // The radios show the stored setting, so they change once it is saved.
  const nobody = page.getByLabel("Nobody exports numbers from LinkedIn's API");
  await nobody.click();
  await expect(page.getByText("Export setting saved.")).toBeVisible();
  await expect(nobody).toBeChecked();

  await page.goto("/dashboard?range=28");
  await expect(page.getByTestId("export-unavailable")).toContainText(
    "LinkedIn's terms restrict exporting member data",
  );
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /as PNG$/ })).toHaveCount(0);

  await page.goto("/team");
  await page
    .getByLabel(
      "Owners and admins export everything; others only their own connections",
    )
    .click();
  await expect(page.getByText("Export setting saved.")).toBeVisible();
  await page.goto("/dashboard?range=28");
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
});
