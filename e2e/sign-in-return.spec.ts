import { expect, test } from "@playwright/test";
import { APP_URL } from "../playwright.config";
import { approveOnLinkedIn, signInAs } from "./helpers";

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

test("expired session on the dashboard keeps the view", async ({
  page,
  context,
}) => {
  await context.addCookies([
    { name: "authjs.session-token", value: "expired", url: APP_URL },
  ]);
  // The prerendered page loads, and its account request finds no session.
  await page.goto("/dashboard?range=7&by=week");
  await expect(page).toHaveURL(
    /\/sign-in\?next=%2Fdashboard%3Frange%3D7%26by%3Dweek$/,
  );
});

test("session ending on an open dashboard", async ({ page, context }) => {
  await signInAs(page, "Grace Hopper");
  await page.goto("/dashboard?range=7");
  await expect(page.getByLabel("Date range")).toHaveValue("7");

  // The session row is gone for the server from here on.
  await context.addCookies([
    { name: "authjs.session-token", value: "ended", url: APP_URL },
  ]);
  await page.getByLabel("Date range").selectOption("90");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdashboard%3Frange%3D90/);
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await approveOnLinkedIn(page, "Grace Hopper");
  await expect(page).toHaveURL(/\/dashboard\?range=90/);
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
