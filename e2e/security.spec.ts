import { expect, test } from "@playwright/test";
import { signInAs } from "./helpers";

test("pages carry a nonce-based policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy"))
      violations.push(message.text());
  });

  const response = await page.goto("/sign-in");
  const headers = response!.headers();
  const policy = headers["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  const scripts = page.locator("script");
  const count = await scripts.count();
  expect(count).toBeGreaterThan(0);
  // Browsers hide the nonce attribute after parsing, so read the property.
  const nonces = await scripts.evaluateAll((elements) =>
    elements.map((element) => (element as HTMLScriptElement).nonce),
  );
  for (const [index, scriptNonce] of nonces.entries()) {
    expect(scriptNonce, `script ${index}`).toBe(nonce);
  }
  // The page hydrated: the sign-in button works without violations.
  await expect(
    page.getByRole("button", { name: "Sign in with LinkedIn" }),
  ).toBeEnabled();
  expect(violations).toEqual([]);
});

test("prerendered dashboard allows its scripts by hash", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy"))
      violations.push(message.text());
  });
  await signInAs(page, "Alan Turing");

  const response = await page.goto("/dashboard?range=7");
  const policy = response!.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self'( 'sha256-[^']+')+;/);
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(policy).not.toContain("'nonce-");
  expect(policy).toContain("frame-ancestors 'none'");
  // The same HTML for everyone: the caller's name is not in it.
  const html = await response!.text();
  expect(html).not.toContain("Alan Turing");

  // Hydrated: the header and the view loaded through server actions.
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", {
      name: "Dashboard",
    }),
  ).toBeVisible();
  await expect(page.getByText("Alan Turing", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test("cross-origin writes to route handlers are rejected", async ({
  request,
}) => {
  const response = await request.post("/api/health", {
    headers: { origin: "https://evil.example" },
  });
  expect(response.status()).toBe(403);
  const body = (await response.json()) as { error: { code: string } };
  expect(body.error.code).toBe("cross_origin");
});
