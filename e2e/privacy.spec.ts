import { expect, test } from "@playwright/test";
import { connectAnalytics, seriousViolations, signInAs } from "./helpers";
import { readZip } from "../tests/helpers/zip";

type Manifest = { files: { file: string; rows: number; sha256: string }[] };

test("member exports, withdraws consent and deletes the account", async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await signInAs(page, "Alan Turing");
  await connectAnalytics(page, "Alan Turing", 2);

  await page.goto("/privacy");
  await expect(page.getByTestId("consent-state")).toContainText(
    "Given for the current text",
  );
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download my data" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^inview-data-\d{4}-\d{2}-\d{2}\.zip$/,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream())
    chunks.push(chunk as Buffer);
  const zip = await readZip(Buffer.concat(chunks));
  const manifest = JSON.parse(
    zip.get("manifest.json")!.toString("utf8"),
  ) as Manifest;
  const rows = (file: string) =>
    manifest.files.find((entry) => entry.file === file)?.rows;
  expect(rows("profile.json")).toBe(1);
  expect(rows("connections.json")).toBe(2);
  expect(rows("metrics-daily.csv")).toBeGreaterThan(365);
  const metricRows = rows("metrics-daily.csv")!;

  await page.getByRole("button", { name: "Withdraw consent" }).click();
  await expect(
    page.getByText(/Files you imported and their numbers stay/),
  ).toBeVisible();
  await page.getByRole("button", { name: "Confirm withdrawal" }).click();
  await expect(
    page.getByText(/Consent withdrawn and syncing stopped/),
  ).toBeVisible();
  await expect(page.getByTestId("removed-metric_daily")).toHaveText(
    `${metricRows.toLocaleString("en-US")} daily metric values`,
  );
  await expect(page.getByTestId("removed-linkedin_connections")).toHaveText(
    "2 connected profiles and pages",
  );
  await expect(page.getByTestId("removed-linkedin_grants")).toHaveText(
    "1 LinkedIn authorization",
  );
  await expect(page.getByText(/linkedin_grants|sync\(s\)/)).toHaveCount(0);
  await page.goto("/connections");
  await expect(page.getByTestId("connection")).toHaveCount(0);

  await page.goto("/privacy");
  const deleteButton = page.getByRole("button", { name: "Delete my account" });
  await page
    .getByLabel("Type your email address to confirm")
    .fill("someone-else@example.com");
  await deleteButton.click();
  await expect(page.getByText(/typed does not match/)).toBeVisible();
  await page
    .getByLabel("Type your email address to confirm")
    .fill("alan@example.com");
  await deleteButton.click();
  await expect(page.getByText("Your account was deleted")).toBeVisible();
  await expect(page.getByTestId("removed-users")).toHaveText("1 profile");
  await expect(
    page.getByRole("link", { name: "Download my data" }),
  ).toHaveCount(0);
  await expect(
    page.getByRole("button", { name: "Withdraw consent" }),
  ).toHaveCount(0);
  const receiptLink = page.getByRole("link", {
    name: "Download the signed receipt",
  });
  const receiptHref = await receiptLink.getAttribute("href");
  const receiptJson = JSON.parse(
    decodeURIComponent(receiptHref!.replace(/^data:[^,]*,/, "")),
  ) as { receiptId: string; removed: Record<string, number> };
  expect(receiptJson.removed.users).toBe(1);
  const cookieNames = (await page.context().cookies()).map(
    (cookie) => cookie.name,
  );
  expect(cookieNames).not.toContain("authjs.session-token");
  expect(cookieNames).not.toContain("inview_workspace");

  // Nothing on screen claims an account, a workspace or consent any more.
  await expect(
    page.getByRole("heading", { level: 1, name: "Your account was deleted" }),
  ).toBeFocused();
  await expect(page).toHaveTitle("Account deleted · Inview");
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(page.getByLabel("Workspace", { exact: true })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await expect(page.getByText("Alan Turing")).toHaveCount(0);
  await expect(page.getByTestId("consent-state")).toHaveCount(0);
  await expect(
    page.getByRole("heading", { name: "What Inview stores about you" }),
  ).toHaveCount(0);
  await expect(
    page.getByRole("heading", { name: "Delete your account" }),
  ).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  const savedReceipt = page.waitForEvent("download");
  await receiptLink.click();
  expect((await savedReceipt).suggestedFilename()).toBe(
    `inview-deletion-receipt-${receiptJson.receiptId}.json`,
  );
  await page.getByRole("link", { name: "Go to sign-in" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // Going back loads the privacy page again, which needs a session.
  await page.goBack();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fprivacy/);
  expect(pageErrors).toEqual([]);

  expect((await page.request.get("/api/me/data")).status()).toBe(401);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
  await signInAs(page, "Alan Turing");
  await page.goto("/privacy");
  await expect(page.getByTestId("consent-state")).toContainText("Not given");
  const again = await page.request.get("/api/me/data");
  const fresh = await readZip(Buffer.from(await again.body()));
  const freshManifest = JSON.parse(
    fresh.get("manifest.json")!.toString("utf8"),
  ) as Manifest;
  expect(
    freshManifest.files.find((entry) => entry.file === "connections.json")
      ?.rows,
  ).toBe(0);
  expect(
    freshManifest.files.find((entry) => entry.file === "consents.json")?.rows,
  ).toBe(0);
});
