import { E2E_APP_DAILY_BUDGET } from "../playwright.config";
import { expect, test, type Page } from "@playwright/test";
import { LINKEDIN_VERSION } from "../lib/linkedin/config";
import {
  EMULATOR_URL,
  approveOnLinkedIn,
  connectAnalytics,
  signInAs,
} from "./helpers";

async function setSwitches(
  page: Page,
  switches: Record<string, unknown>,
): Promise<void> {
  const response = await page.request.post(
    `${EMULATOR_URL}/__emulator/config`,
    {
      data: switches,
    },
  );
  expect(response.ok()).toBe(true);
}

async function connectAgain(page: Page): Promise<void> {
  await page.goto("/connections/connect");
  await page
    .getByRole("button", { name: "Agree and connect with LinkedIn" })
    .click();
  await approveOnLinkedIn(page, "Alan Turing");
  await expect(page).toHaveURL(/\/connections\?connected=1/);
}

test.afterEach(async ({ page }) => {
  await setSwitches(page, { sunsetVersions: [] });
});

test("admin sees API health and the sunset banner", async ({ page }) => {
  await signInAs(page, "Alan Turing");
  await connectAnalytics(page, "Alan Turing", 2);

  await page.getByRole("link", { name: "API health" }).click();
  await expect(page.getByRole("heading", { name: "API health" })).toBeVisible();
  const appMeter = page.getByRole("meter", {
    name: "All of Inview (app) calls used",
  });
  await expect(appMeter).toHaveAttribute(
    "aria-valuemax",
    String(E2E_APP_DAILY_BUDGET),
  );
  expect(Number(await appMeter.getAttribute("aria-valuenow"))).toBeGreaterThan(
    0,
  );
  await expect(page.getByTestId("connection-health")).toHaveCount(2);
  await expect(page.getByTestId("connection-health").first()).toContainText(
    "no error",
  );

  await setSwitches(page, { sunsetVersions: [LINKEDIN_VERSION] });
  await connectAgain(page);
  const banner = page
    .getByRole("alert")
    .filter({ hasText: "no longer serves API version" });
  await expect(async () => {
    await page.reload();
    await expect(banner).toContainText(LINKEDIN_VERSION, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000, 2000] });
  await expect(
    page.getByTestId("connection").first().getByText("Last sync failed"),
  ).toBeVisible();
  await expect(page.getByTestId("status-reason").first()).toContainText(
    "Inview is upgraded",
  );

  await setSwitches(page, { sunsetVersions: [] });
  await connectAgain(page);
  await expect(async () => {
    await page.reload();
    await expect(banner).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 60_000, intervals: [1000, 2000] });
});
