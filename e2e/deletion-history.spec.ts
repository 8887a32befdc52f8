import { expect, test, type Page } from "@playwright/test";
import { signInAs } from "./helpers";

// The receipt exists only in the browser tab that deleted the account, so
// every way out of it must load the target page from the server, which finds
// no session and redirects to the sign-in page.

/** Deletes Grace Hopper's account on the open Privacy page and waits for the receipt. */
async function deleteAccount(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/privacy$/);
  await page
    .getByLabel("Type your email address to confirm")
    .fill("grace@example.com");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Your account was deleted" }),
  ).toBeVisible();
  await expect(
    page.getByRole("link", { name: "Download the signed receipt" }),
  ).toBeVisible();
}

/**
 * Expects the sign-in page at `url`. Its `next` parameter names the page that
 * redirected there, except for the dashboard, which is the default.
 */
async function expectSignInPage(page: Page, url: RegExp): Promise<void> {
  await expect(page).toHaveURL(url);
  await expect(
    page.getByRole("button", { name: "Sign in with LinkedIn" }),
  ).toBeVisible();
  await expect(page.getByText("Your account was deleted")).toHaveCount(0);
  await expect(page).not.toHaveTitle(/Dashboard|Account deleted/);
}

test("Back from deletion receipt reloads", async ({ page }) => {
  await signInAs(page, "Grace Hopper");
  await page.goto("/dashboard");
  await expect(page).toHaveTitle("Dashboard · Inview");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Privacy" })
    .click();
  await deleteAccount(page);

  await page.goBack();
  await expectSignInPage(page, /\/sign-in$/);

  // The privacy entry belonged to the document that the reload replaced, so
  // Forward loads it from the server as well.
  await page.goForward();
  await expectSignInPage(page, /\/sign-in\?next=%2Fprivacy$/);
});

test("Forward from deletion receipt reloads", async ({ page }) => {
  await signInAs(page, "Grace Hopper");
  await page.goto("/dashboard");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Privacy" }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await nav.getByRole("link", { name: "Connections" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await page.goBack();
  await deleteAccount(page);

  await page.goForward();
  await expectSignInPage(page, /\/sign-in\?next=%2Fconnections$/);
});
