import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import {
  connectAnalytics,
  connectionUrns,
  EMULATOR_URL,
  lastCompleteDays,
  seriousViolations,
  signInAs,
  truthTotal,
} from "./helpers";

test("an imported export file shows on the dashboard", async ({
  page,
  request,
}) => {
  await page.goto("/sign-in");
  expect(await seriousViolations(page)).toEqual([]);
  await signInAs(page, "Katherine Johnson");
  const members = (await (
    await request.get(`${EMULATOR_URL}/__emulator/members`)
  ).json()) as {
    name: string;
    urn: string;
    organizations: { urn: string }[];
  }[];
  const katherine = members.find(
    (member) => member.name === "Katherine Johnson",
  )!;
  const pageUrn = katherine.organizations[0]!.urn;
  const range = lastCompleteDays(28);

  // An import can be removed again, with what it brought.
  const content = await request.get(
    `${EMULATOR_URL}/__emulator/exports/member_content?subject=${encodeURIComponent(katherine.urn)}&from=${range.from}&to=${range.to}`,
  );
  await page.goto("/connections");
  await page.getByLabel(/Export file/).setInputFiles({
    name: "Content_profile.xlsx",
    mimeType: "application/octet-stream",
    buffer: await content.body(),
  });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Imported \d+ values/ }),
  ).toBeVisible();
  const card = page.getByTestId("connection").filter({
    has: page.getByText("Imported from files"),
  });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId("imported-files")).toContainText(
    `Content_profile.xlsx, ${range.from} to ${range.to}`,
  );
  expect(await seriousViolations(page)).toEqual([]);
  await card.getByRole("button", { name: "Remove" }).click();
  const confirm = card.getByRole("group", { name: /Confirm removing/ });
  await expect(confirm).toContainText("deletes the numbers and posts");
  await confirm.getByRole("button", { name: "Confirm removal" }).click();
  await expect(
    page
      .getByRole("status")
      .filter({ hasText: /^Removed .* stored daily values\.$/ }),
  ).toBeVisible();
  await expect(page.getByTestId("connection")).toHaveCount(0);
  const file = await request.get(
    `${EMULATOR_URL}/__emulator/exports/page_visitors?subject=${encodeURIComponent(pageUrn)}&from=${range.from}&to=${range.to}`,
  );
  const fileName = /filename="([^"]+)"/.exec(
    file.headers()["content-disposition"] ?? "",
  )![1]!;

  await page.getByLabel(/Export file/).setInputFiles({
    name: fileName,
    mimeType: "application/vnd.ms-excel",
    buffer: await file.body(),
  });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Imported \d+ values/ }),
  ).toBeVisible();

  await page.getByLabel(/Export file/).setInputFiles({
    name: "notes.xlsx",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("not a workbook"),
  });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "notes.xlsx is not an .xlsx or .xls workbook" }),
  ).toBeVisible();

  // 11 MB is past the proxy's default 10 MB body buffer, which cut the body
  // off and hid its size from the import route.
  await page.getByLabel(/Export file/).setInputFiles({
    name: "huge.xlsx",
    mimeType: "application/octet-stream",
    buffer: Buffer.alloc(11 * 1024 * 1024, 1),
  });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "The upload is larger than 10 MB" }),
  ).toBeVisible();

  await page.goto("/dashboard?range=28");
  const expected = await truthTotal(request, pageUrn, "page_views", range);
  await expect(page.getByTestId("kpi-page_views-value")).toHaveAttribute(
    "data-value",
    String(expected),
  );
  await page.getByTestId("source-page_views").locator("summary").click();
  await expect(page.getByTestId("source-page_views")).toContainText(fileName);

  // A second file of the page runs two weeks from a Wednesday about two
  // months ago. Weekly buckets start on Mondays, so the first week of a view
  // from that Monday has only five stored days, and the last, to the
  // Thursday after the file, only two of four.
  const dayMs = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const earlier = Date.parse(`${lastCompleteDays(60).from}T00:00:00Z`);
  const wednesday =
    earlier - ((new Date(earlier).getUTCDay() - 3 + 7) % 7) * dayMs;
  const older = await request.get(
    `${EMULATOR_URL}/__emulator/exports/page_visitors?subject=${encodeURIComponent(pageUrn)}&from=${iso(wednesday)}&to=${iso(wednesday + 13 * dayMs)}`,
  );
  await page.goto("/connections");
  // LinkedIn names the page in the file name, which finds its connection.
  await page.getByLabel(/Export file/).setInputFiles({
    name: /filename="([^"]+)"/.exec(
      older.headers()["content-disposition"] ?? "",
    )![1]!,
    mimeType: "application/vnd.ms-excel",
    buffer: await older.body(),
  });
  await page.getByRole("button", { name: "Import file" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: /^Imported \d+ values/ }),
  ).toBeVisible();
  await page.goto(
    `/dashboard?range=custom&from=${iso(wednesday - 2 * dayMs)}&to=${iso(wednesday + 15 * dayMs)}&by=week`,
  );
  const chart = page.getByRole("img", { name: /^Page views/ });
  await expect(chart.locator('[data-testid="partial-dot"]')).toHaveCount(2);
  await expect(chart).toHaveAccessibleName(
    /2 points have only part of their days stored/,
  );
  await expect(page.getByText("Only part of the days stored")).toBeVisible();
  await page.getByRole("button", { name: "Show data table" }).first().click();
  const firstWeek = page
    .getByRole("region", { name: /Page views/ })
    .locator("tbody tr")
    .first();
  await expect(firstWeek).toContainText("5 of 7 days stored");

  // The PNG's legend names the hollow dot in a third row of 18 pixels,
  // under the title (28) and above a 4-pixel gap.
  const surface = await chart.locator("svg.recharts-surface").boundingBox();
  const pngDownload = page.waitForEvent("download");
  await page
    .getByRole("button", { name: "Download Page views chart as PNG" })
    .click();
  const png = await fs.readFile(await (await pngDownload).path());
  expect(png.readUInt32BE(20)).toBe(
    Math.ceil(surface!.height + 28 + 3 * 18 + 4),
  );
});

test("view controls live in the URL and agree at every granularity", async ({
  page,
  request,
}) => {
  await signInAs(page, "Katherine Johnson");
  // Two API connections and the import connection of the test above.
  await connectAnalytics(page, "Katherine Johnson", 3);
  const urns = (await connectionUrns(page)).filter((urn) =>
    urn.startsWith("urn:li:"),
  );
  expect(await seriousViolations(page)).toEqual([]);

  const impressions = async (days: number) => {
    let total = 0;
    for (const urn of urns) {
      total += await truthTotal(
        request,
        urn,
        "impressions",
        lastCompleteDays(days),
      );
    }
    return total;
  };

  // A link with an impossible day says what it could not use.
  await page.goto("/dashboard?range=custom&from=2026-02-30&to=2026-03-01");
  await expect(page.getByTestId("view-problems")).toContainText(
    "from=2026-02-30 is not valid",
  );
  // A change to the select before hydration can be lost, so the test
  // waits for the charts, which load after hydration.
  await expect(
    page
      .getByRole("img", { name: /^Impressions/ })
      .locator("svg")
      .first(),
  ).toBeVisible();
  await page.getByLabel("Date range").selectOption("7");
  await expect(page).toHaveURL(/range=7/);
  await expect(page.getByTestId("view-problems")).toHaveCount(0);

  await page.goto("/dashboard");
  const value = page.getByTestId("kpi-impressions-value");
  const expected28 = await impressions(28);
  await expect(value).toHaveAttribute("data-value", String(expected28));
  await expect(page.getByTestId("range-note")).toContainText(
    "last complete UTC day",
  );
  // Checked with the charts drawn, which load after hydration.
  await expect(
    page
      .getByRole("img", { name: /^Impressions/ })
      .locator("svg")
      .first(),
  ).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Date range").selectOption("90");
  await expect(page).toHaveURL(/range=90/);
  const expected90 = await impressions(90);
  await expect(value).toHaveAttribute("data-value", String(expected90));

  for (const name of ["Week", "Month"]) {
    await page.getByRole("button", { name, exact: true }).click();
    await expect(value).toHaveAttribute("data-value", String(expected90));
    await page.getByRole("button", { name: "Show data table" }).first().click();
    const cells = await page
      .getByRole("region", { name: /Impressions/ })
      .locator("tbody tr td:nth-child(2)")
      .allTextContents();
    // A cell may name its stored days after the value, so only the
    // leading number counts.
    const sum = cells.reduce(
      (total, text) =>
        total + Number(/^[\d,]+/.exec(text)![0].replace(/,/g, "")),
      0,
    );
    expect(sum, name).toBe(expected90);
    await page.getByRole("button", { name: "Hide data table" }).first().click();
  }
  await expect(page).toHaveURL(/by=month/);

  await page.getByLabel("Compare with").selectOption("none");
  await expect(page.getByTestId("kpi-impressions-previous")).toHaveCount(0);

  await page.goBack();
  await expect(page).not.toHaveURL(/compare=none/);
  await expect(page.getByTestId("kpi-impressions-previous")).toBeVisible();

  await page.keyboard.press("1");
  await expect(page).toHaveURL(/range=7/);
  await page.keyboard.press("?");
  await expect(
    page.getByRole("heading", { name: "Keyboard shortcuts" }),
  ).toBeVisible();
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 375, height: 800 });
  await page.screenshot({
    path: "test-results/dashboard-375.png",
    fullPage: true,
  });
});

test("view changes and link problems", async ({ page }) => {
  // React reports a hydration mismatch as an uncaught error in production
  // builds and as a console error in development ones.
  const hydrationErrors: string[] = [];
  page.on("console", (message) => {
    if (
      message.type() === "error" &&
      /hydrat|#418|#425/i.test(message.text())
    ) {
      hydrationErrors.push(message.text());
    }
  });
  page.on("pageerror", (error) => {
    if (/hydrat|#418|#425/i.test(error.message)) {
      hydrationErrors.push(error.message);
    }
  });

  await signInAs(page, "Katherine Johnson");
  await connectAnalytics(page, "Katherine Johnson", 3);

  await page.goto("/dashboard");
  const value = page.getByTestId("kpi-impressions-value");
  const all = await value.getAttribute("data-value");
  await expect(
    page
      .getByRole("img", { name: /^Impressions/ })
      .locator("svg")
      .first(),
  ).toBeVisible();
  expect(hydrationErrors).toEqual([]);

  // The last x-axis label is drawn inside the chart, not cut off.
  const chart = page.getByRole("img", { name: /^Impressions/ });
  const surface = await chart.locator("svg.recharts-surface").boundingBox();
  const lastTick = await chart
    .locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value")
    .last()
    .boundingBox();
  expect(surface).not.toBeNull();
  expect(lastTick).not.toBeNull();
  expect(lastTick!.x + lastTick!.width).toBeLessThanOrEqual(
    surface!.x + surface!.width,
  );

  // Each view loads through a server action, and a slow CPU slows the
  // render of each change. Both keep the first change loading while the
  // second is made.
  await page.route("**/dashboard**", async (route) => {
    if (route.request().headers()["next-action"]) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.continue();
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });

  await page.keyboard.press("3");
  await page.keyboard.press("w");
  await expect(page).toHaveURL(/range=90&by=week/);
  await expect(page.getByTestId("range-label")).toHaveText("Last 90 days");
  await expect(
    page.getByRole("button", { name: "Week", exact: true }),
  ).toHaveAttribute("aria-pressed", "true");

  // A checkbox shows the click before the view has loaded.
  await page.getByText("Metrics and connections").click();
  const reactions = page.getByRole("checkbox", { name: "Reactions" });
  await expect(reactions).toBeChecked();
  await reactions.click();
  await expect(reactions).not.toBeChecked({ timeout: 500 });
  await expect(
    page.getByText("Metrics and connections").getByText("Updating…"),
  ).toBeVisible();
  await expect(page).toHaveURL(/metrics=/);
  await page.unrouteAll({ behavior: "wait" });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });

  // "Custom range" starts from the 90 days shown.
  const shown = lastCompleteDays(90);
  await page.getByLabel("Date range").selectOption("custom");
  await expect(page.getByLabel("From", { exact: true })).toHaveValue(
    shown.from,
  );
  await expect(page.getByLabel("To", { exact: true })).toHaveValue(shown.to);
  await expect(page).toHaveURL(
    new RegExp(`range=custom&from=${shown.from}&to=${shown.to}`),
  );

  // A link naming only an unknown connection shows all of them.
  await page.goto(
    "/dashboard?connections=00000000-0000-0000-0000-000000000000",
  );
  await expect(page.getByTestId("unknown-connections")).toContainText(
    "1 connection id is not found",
  );
  await expect(page.getByTestId("unknown-connections")).toContainText(
    "all connections are shown",
  );
  await expect(value).toHaveAttribute("data-value", all ?? "");
  await expect(page.getByText("No connection is selected")).toHaveCount(0);

  // A reversed range is reported, and the heading names the fallback.
  await page.goto("/dashboard?range=custom&from=2026-12-01&to=2026-11-01");
  await expect(page.getByTestId("view-problems")).toContainText(
    "from=2026-12-01 is after to=2026-11-01",
  );
  await expect(page.getByTestId("range-label")).toHaveText("Last 28 days");
  await expect(value).toHaveAttribute("data-value", all ?? "");
  await expect(page.getByText("Choose a custom range")).toHaveCount(0);
  expect(hydrationErrors).toEqual([]);
});
