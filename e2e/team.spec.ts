import { expect, test } from "@playwright/test";
import { approveOnLinkedIn, signInAs } from "./helpers";

test("admin invites, demotes and removes a member", async ({
  page,
  browser,
}) => {
  await signInAs(page, "Ada Lovelace");
  await page.getByRole("link", { name: "Team" }).click();
  await expect(page).toHaveURL(/\/team/);
  const workspaceId = await page
    .getByLabel("Workspace", { exact: true })
    .inputValue();

  await page.getByLabel("Email", { exact: true }).fill("grace@example.com");
  await page.locator("select[name=role]").selectOption("marketer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status")).toContainText("copy the link below");
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{40,}$/);

  const graceContext = await browser.newContext();
  const grace = await graceContext.newPage();
  await grace.goto(link);
  await expect(grace).toHaveURL(/\/sign-in\?next=/);
  await grace.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await approveOnLinkedIn(grace, "Grace Hopper");
  await expect(grace).toHaveURL(/\/invite\//);
  await grace.getByRole("button", { name: "Accept and join" }).click();
  await expect(grace).toHaveURL(/\/dashboard/);
  await expect(grace.getByLabel("Workspace", { exact: true })).toHaveValue(
    workspaceId,
  );
  await expect(grace.getByRole("option", { name: /\(marketer\)/ })).toHaveCount(
    1,
  );
  await expect(grace.getByRole("link", { name: "Team" })).toHaveCount(0);
  await grace.goto("/team");
  await expect(grace.getByText(/cannot manage team members/)).toBeVisible();
  const csvUrl = `/api/metrics.csv?from=2026-01-01&to=2026-01-02&workspace=${workspaceId}`;
  expect((await grace.request.get(csvUrl)).status()).toBe(200);

  await page.reload();
  await page.getByLabel("Role of Grace Hopper").selectOption("viewer");
  const confirmRole = page.getByRole("group", {
    name: "Confirm role change for Grace Hopper",
  });
  await expect(confirmRole).toContainText("from marketer to viewer");
  // Nothing changes before the confirmation.
  await grace.goto("/dashboard");
  await expect(grace.getByRole("option", { name: /\(marketer\)/ })).toHaveCount(
    1,
  );
  // Keyboard: Tab from the select reaches the confirm button.
  await page.getByLabel("Role of Grace Hopper").focus();
  await page.keyboard.press("Tab");
  await expect(
    confirmRole.getByRole("button", { name: "Change role" }),
  ).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText(
    "Grace Hopper is now viewer (was marketer)",
  );
  await grace.goto("/dashboard");
  await expect(grace.getByRole("option", { name: /\(viewer\)/ })).toHaveCount(
    1,
  );

  const member = page.getByTestId("member").filter({ hasText: "Grace Hopper" });
  await member.getByRole("button", { name: "Remove" }).click();
  await expect(
    page.getByRole("group", { name: "Confirm removing Grace Hopper" }),
  ).toContainText("loses access to this workspace at once");
  await page.getByRole("button", { name: "Confirm removal" }).click();
  await expect(page.getByRole("status")).toContainText(
    "Grace Hopper was removed",
  );
  await expect(page.getByTestId("member")).toHaveCount(1);

  expect((await grace.request.get(csvUrl)).status()).toBe(404);
  await grace.goto("/dashboard");
  await expect(grace.getByLabel("Workspace", { exact: true })).not.toHaveValue(
    workspaceId,
  );

  await page.goto("/audit");
  for (const action of [
    "member.invited",
    "member.joined",
    "member.role_changed",
    "member.removed",
  ]) {
    await expect(
      page.getByTestId("audit-event").filter({ hasText: action }),
    ).not.toHaveCount(0);
  }
  await graceContext.close();
});

test("viewer leaves from the workspace menu", async ({ page, browser }) => {
  await signInAs(page, "Ada Lovelace");
  await page.getByRole("link", { name: "Team" }).click();
  const workspaceId = await page
    .getByLabel("Workspace", { exact: true })
    .inputValue();
  await page.getByLabel("Email", { exact: true }).fill("alan@example.com");
  await page.locator("select[name=role]").selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();

  const alanContext = await browser.newContext();
  const alan = await alanContext.newPage();
  await alan.goto(link);
  await alan.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await approveOnLinkedIn(alan, "Alan Turing");
  await alan.getByRole("button", { name: "Accept and join" }).click();
  await expect(alan.getByLabel("Workspace", { exact: true })).toHaveValue(
    workspaceId,
  );

  await alan.getByRole("button", { name: "Leave workspace" }).click();
  await expect(
    alan.getByRole("group", { name: "Confirm leaving the workspace" }),
  ).toContainText("leave it with you");
  await alan.getByRole("button", { name: "Confirm leaving" }).click();
  await expect(alan.getByLabel("Workspace", { exact: true })).not.toHaveValue(
    workspaceId,
  );
  await expect(alan.getByRole("option", { name: /\(viewer\)/ })).toHaveCount(0);
  await expect(
    alan.getByRole("button", { name: "Leave workspace" }),
  ).toHaveCount(0);

  await page.goto("/audit");
  await expect(
    page.getByTestId("audit-event").filter({ hasText: "member.left" }),
  ).not.toHaveCount(0);
  await alanContext.close();
});
