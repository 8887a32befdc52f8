import { expect, test } from "@playwright/test";
import { APP_URL } from "../playwright.config";
import { approveOnLinkedIn } from "./helpers";

test("sign-in returns to the requested page", async ({ page }) => {
  await page.goto("/dashboard?range=90&by=week");
  await expect(page).toHaveURL(
    /\/sign-in\?next=%2Fdashboard%3Frange%3D90%26by%3Dweek$/,
  );
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await approveOnLinkedIn(page, "Grace Hopper");
  await expect(page).toHaveURL(`${APP_URL}/dashboard?range=90&by=week`);
});

test("expired session keeps the path", async ({ page, context }) => {
  await context.addCookies([
    { name: "authjs.session-token", value: "expired", url: APP_URL },
  ]);
  await page.goto("/team?tab=invitations");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fteam%3Ftab%3Dinvitations$/);
});

for (const target of [
  "//evil.example",
  "https://evil.example/",
  "/\\evil.example",
  "/\\/evil.example",
]) {
  test(`sign-in ignores next=${target}`, async ({ page }) => {
    await page.goto(`/sign-in?next=${encodeURIComponent(target)}`);
    await expect(page.locator('input[name="next"]')).toHaveValue("/dashboard");
  });
}

test("sign-in action rejects a tampered next", async ({ page }) => {
  await page.goto("/sign-in");
  await page
    .locator('input[name="next"]')
    .evaluate((input: HTMLInputElement) => {
      input.value = "//evil.example/dashboard";
    });
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await approveOnLinkedIn(page, "Grace Hopper");
  await expect(page).toHaveURL(`${APP_URL}/dashboard`);
});
