import { expect, test } from "@playwright/test";
import { EMULATOR_URL, lastCompleteDays, signInAs } from "./helpers";

test("import click before hydration", async ({ page, request }) => {
  await signInAs(page, "Ada Lovelace");
  const members = (await (
    await request.get(`${EMULATOR_URL}/__emulator/members`)
  ).json()) as { name: string; urn: string }[];
  const ada = members.find((member) => member.name === "Ada Lovelace")!;
  const range = lastCompleteDays(28);
  const content = await request.get(
    `${EMULATOR_URL}/__emulator/exports/member_content?subject=${encodeURIComponent(ada.urn)}&from=${range.from}&to=${range.to}`,
  );
  expect(content.ok()).toBe(true);

  // Holding back the page's scripts keeps React from hydrating the form
  // until the test releases them.
  let releaseScripts: () => void = () => {};
  const scriptsReleased = new Promise<void>((resolve) => {
    releaseScripts = resolve;
  });
  const heldScripts: string[] = [];
  await page.route("**/_next/static/chunks/**", async (route) => {
    if (route.request().resourceType() === "script") {
      heldScripts.push(route.request().url());
      await scriptsReleased;
    }
    await route.continue();
  });

  await page.goto("/connections", { waitUntil: "domcontentloaded" });
  await page.getByLabel(/Export file/).setInputFiles({
    name: "Content_early.xlsx",
    mimeType: "application/octet-stream",
    buffer: await content.body(),
  });
  const importButton = page.getByRole("button", { name: "Import file" });
  expect(heldScripts.length).toBeGreaterThan(0);
  // A person's click does not wait for the button to be enabled.
  await importButton.click({ force: true });
  expect(new URL(page.url()).search).toBe("");
  await expect(importButton).toBeDisabled();

  releaseScripts();
  await expect(importButton).toBeEnabled();
  expect(new URL(page.url()).search).toBe("");
  await importButton.click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Imported \d+ values/ }),
  ).toBeVisible();
  expect(new URL(page.url()).search).toBe("");

  // Later specs count Ada Lovelace's connections, so the import goes again.
  const card = page.getByTestId("connection").filter({
    has: page.getByText("Imported from files"),
  });
  await card.getByRole("button", { name: "Remove" }).click();
  await card
    .getByRole("group", { name: /Confirm removing/ })
    .getByRole("button", { name: "Confirm removal" })
    .click();
  await expect(
    page.getByTestId("connection").filter({
      has: page.getByText("Imported from files"),
    }),
  ).toHaveCount(0);
});
