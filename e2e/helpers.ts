import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { EMULATOR_URL } from "../playwright.config";

export { EMULATOR_URL };

/** Signs in through the emulator's LinkedIn authorize page as a demo member. */
export async function signInAs(page: Page, memberName: string): Promise<void> {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await expect(page).toHaveURL(/\/oauth\/v2\/authorization/);
  // Sign-in requests exactly the OpenID Connect scopes.
  const scope = new URL(page.url()).searchParams.get("scope");
  expect(scope?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
  await approveOnLinkedIn(page, memberName);
  await expect(page).toHaveURL(/\/dashboard/);
}

/** Picks the member on the emulator's authorize page and allows. */
export async function approveOnLinkedIn(
  page: Page,
  memberName: string,
): Promise<void> {
  await expect(page).toHaveURL(
    new RegExp(`^${EMULATOR_URL.replace(/\./g, "\\.")}/oauth/v2/authorization`),
  );
  await page.getByLabel(new RegExp(memberName)).check();
  await page.getByRole("button", { name: "Allow" }).click();
}

/** Consents, authorizes analytics on the emulator and waits until every connection has synced. */
export async function connectAnalytics(
  page: Page,
  memberName: string,
  expectedConnections: number,
): Promise<void> {
  // The specs share one emulator and connect some members more than once a
  // day, so LinkedIn's development-tier quota (100 calls per member) would
  // stop them. Quotas have their own integration tests.
  const quotas = await page.request.post(`${EMULATOR_URL}/__emulator/config`, {
    data: { appDailyQuota: 100_000, memberDailyQuota: 10_000 },
  });
  expect(quotas.ok(), "raise the emulator's quotas").toBe(true);
  await page.goto("/connections/connect");
  await page
    .getByRole("button", { name: "Agree and connect with LinkedIn" })
    .click();
  await expect(page).toHaveURL(/\/oauth\/v2\/authorization/);
  // Connecting requests the analytics scopes, plus openid to prove identity.
  const scope = new URL(page.url()).searchParams.get("scope");
  expect(scope?.split(" ").sort()).toEqual([
    "openid",
    "r_member_postAnalytics",
    "r_member_profileAnalytics",
    "rw_organization_admin",
  ]);
  await approveOnLinkedIn(page, memberName);
  await expect(page).toHaveURL(/\/connections\?connected=1/);
  await expect(async () => {
    await page.reload();
    const cards = page.getByTestId("connection");
    await expect(cards).toHaveCount(expectedConnections);
    for (const card of await cards.all()) {
      await expect(card.getByTestId("last-synced")).not.toHaveText("never", {
        timeout: 1000,
      });
      await expect(card.getByRole("progressbar")).toHaveCount(0, {
        timeout: 1000,
      });
    }
  }).toPass({ timeout: 120_000, intervals: [1000, 2000] });
}

export type TruthPoint = { day: string; value: number };

export async function truthSeries(
  request: APIRequestContext,
  subject: string,
  metric: string,
  range: { from: string; to: string },
): Promise<TruthPoint[]> {
  const url = `${EMULATOR_URL}/__emulator/truth?subject=${encodeURIComponent(subject)}&metric=${metric}&from=${range.from}&to=${range.to}`;
  const response = await request.get(url);
  expect(response.ok(), `truth for ${subject} ${metric}`).toBe(true);
  return (await response.json()) as TruthPoint[];
}

export async function truthTotal(
  request: APIRequestContext,
  subject: string,
  metric: string,
  range: { from: string; to: string },
): Promise<number> {
  const url = `${EMULATOR_URL}/__emulator/truth?subject=${encodeURIComponent(subject)}&metric=${metric}&from=${range.from}&to=${range.to}`;
  const response = await request.get(url);
  expect(response.ok(), `truth for ${subject} ${metric}`).toBe(true);
  const body = (await response.json()) as TruthPoint[] | { value: number };
  return Array.isArray(body)
    ? body.reduce((sum, point) => sum + point.value, 0)
    : body.value;
}

/** Returns the URNs shown on the connections page, in the page's order. */
export async function connectionUrns(page: Page): Promise<string[]> {
  await page.goto("/connections");
  const texts = await page.getByTestId("connection-urn").allTextContents();
  return texts.map((text) => text.trim());
}

export function lastCompleteDays(
  days: number,
  now = new Date(),
): { from: string; to: string } {
  const dayMs = 86_400_000;
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(today - days * dayMs), to: iso(today - dayMs) };
}

/**
 * Scans the page with axe and returns its serious and critical violations.
 * A scan right after `router.refresh()` once found no <title> in the head,
 * most likely while Next.js rendered the page again, so it first waits for a
 * non-empty title.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((item) => item.impact === "serious" || item.impact === "critical")
    .map(
      (item) =>
        `${item.id}: ${item.nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
}
