import { expect, test } from "@playwright/test";

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
