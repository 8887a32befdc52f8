import { expect, test, type Page, type Route } from "@playwright/test";
import { APP_URL, EMULATOR_URL } from "../playwright.config";

// Every OAuth error path of sign-in ends on the sign-in page with a message
// that explains what happened and a button to try again, and leaves the browser
// signed out. The database side (no user, account or session row) is checked
// in tests/integration/sign-in-errors.test.ts, because here the app owns the
// PGlite files.

const MEMBER = "Alan Turing";
const AUTHORIZE = `${EMULATOR_URL}/oauth/v2/authorization`;
const CODE_LIFETIME_MS = 30 * 60 * 1000;

type Switches = {
  unauthorizedScopes?: string[];
  idTokenFault?: "issuer" | "audience" | "signature" | "expired" | null;
  oauthUnavailable?: boolean;
};

const DEFAULTS: Switches = {
  unauthorizedScopes: [],
  idTokenFault: null,
  oauthUnavailable: false,
};

async function setSwitches(page: Page, switches: Switches): Promise<void> {
  const response = await page.request.post(
    `${EMULATOR_URL}/__emulator/config`,
    {
      data: switches,
    },
  );
  expect(response.status()).toBe(200);
}

async function advanceClock(page: Page, advanceMs: number): Promise<void> {
  const response = await page.request.post(`${EMULATOR_URL}/__emulator/clock`, {
    data: { advanceMs },
  });
  expect(response.status()).toBe(200);
}

test.afterEach(async ({ page }) => {
  await setSwitches(page, DEFAULTS);
});

async function startSignIn(page: Page): Promise<void> {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
}

async function allowOnLinkedIn(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/oauth\/v2\/authorization/);
  await page.getByLabel(new RegExp(MEMBER)).check();
  await page.getByRole("button", { name: "Allow" }).click();
}

/**
 * Runs `change` on LinkedIn's redirect to the app's callback before the
 * browser follows it. Playwright does not route redirected requests, so the
 * emulator's response to Allow is fetched and its Location rewritten.
 */
async function onCallback(
  page: Page,
  change: (url: URL) => Promise<URL | void>,
): Promise<void> {
  await page.route(AUTHORIZE, async (route: Route) => {
    if (route.request().method() !== "POST") return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    const url = new URL(response.headers()["location"] ?? "");
    expect(url.pathname).toBe("/api/auth/callback/linkedin");
    const changed = (await change(url)) ?? url;
    await route.fulfill({
      status: 302,
      headers: { location: changed.toString() },
    });
  });
}

/** Checks that the browser is on the sign-in page with this reason and message, and signed out. */
async function expectSignInError(
  page: Page,
  reason: string,
  message: RegExp,
): Promise<void> {
  await expect(page).toHaveURL(
    new RegExp(`^${APP_URL}/sign-in\\?error=\\w+&reason=${reason}$`),
  );
  // Next.js's route announcer is an alert too, outside <main>.
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText(message);
  await expect(alert).toContainText(/try again/i);
  await expect(
    page.getByRole("button", { name: "Try again with LinkedIn" }),
  ).toBeEnabled();

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
}

test("cancel on LinkedIn explains it", async ({ page }) => {
  await startSignIn(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expectSignInError(
    page,
    "user_cancelled_authorize",
    /You chose Cancel on LinkedIn's permission page/,
  );
});

test("unauthorized scope names the app settings", async ({ page }) => {
  await setSwitches(page, { unauthorizedScopes: ["email"] });
  await startSignIn(page);
  await expectSignInError(
    page,
    "unauthorized_scope_error",
    /this app's LinkedIn settings do not include them/,
  );
});

test("missing state is rejected", async ({ page }) => {
  await onCallback(page, async (url) => {
    url.searchParams.delete("state");
    return url;
  });
  await startSignIn(page);
  await allowOnLinkedIn(page);
  await expectSignInError(
    page,
    "state_invalid",
    /This sign-in could not be verified/,
  );
});

test("tampered state is rejected", async ({ page }) => {
  await onCallback(page, async (url) => {
    const state = url.searchParams.get("state") ?? "";
    url.searchParams.set("state", `${state.slice(0, -4)}AAAA`);
    return url;
  });
  await startSignIn(page);
  await allowOnLinkedIn(page);
  await expectSignInError(
    page,
    "state_invalid",
    /This sign-in could not be verified/,
  );
});

test("expired code is rejected", async ({ page }) => {
  await onCallback(page, () => advanceClock(page, CODE_LIFETIME_MS + 60_000));
  try {
    await startSignIn(page);
    await allowOnLinkedIn(page);
    await expectSignInError(
      page,
      "code_rejected",
      /its one-time code had expired or was already used/,
    );
  } finally {
    await advanceClock(page, -(CODE_LIFETIME_MS + 60_000));
  }
});

test("reused code is rejected", async ({ page }) => {
  await onCallback(page, async (url) => {
    // Someone else redeems the code first.
    const response = await page.request.post(
      `${EMULATOR_URL}/oauth/v2/accessToken`,
      {
        form: {
          grant_type: "authorization_code",
          code: url.searchParams.get("code") ?? "",
          redirect_uri: `${APP_URL}/api/auth/callback/linkedin`,
          client_id: "inview-local",
          client_secret: "inview-local-secret",
        },
      },
    );
    expect(response.status()).toBe(200);
  });
  await startSignIn(page);
  await allowOnLinkedIn(page);
  await expectSignInError(
    page,
    "code_rejected",
    /its one-time code had expired or was already used/,
  );
});

for (const fault of ["issuer", "audience", "signature", "expired"] as const) {
  test(`id_token with wrong ${fault} is rejected`, async ({ page }) => {
    await setSwitches(page, { idTokenFault: fault });
    await startSignIn(page);
    await allowOnLinkedIn(page);
    await expectSignInError(
      page,
      "id_token_invalid",
      /could not verify the identity LinkedIn sent back/,
    );
  });
}

test("LinkedIn down before sign-in", async ({ page }) => {
  await page.goto("/sign-in");
  await setSwitches(page, { oauthUnavailable: true });
  await page.getByRole("button", { name: "Sign in with LinkedIn" }).click();
  await expectSignInError(
    page,
    "linkedin_unavailable",
    /LinkedIn could not be reached or did not respond/,
  );
});

test("LinkedIn down on the callback", async ({ page }) => {
  await onCallback(page, () => setSwitches(page, { oauthUnavailable: true }));
  await startSignIn(page);
  await allowOnLinkedIn(page);
  await expectSignInError(
    page,
    "linkedin_unavailable",
    /LinkedIn could not be reached or did not respond/,
  );
});

test("try again after a failure signs in", async ({ page }) => {
  await startSignIn(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/reason=user_cancelled_authorize/);

  await page.getByRole("button", { name: "Try again with LinkedIn" }).click();
  await allowOnLinkedIn(page);
  await expect(page).toHaveURL(/\/dashboard/);
});
