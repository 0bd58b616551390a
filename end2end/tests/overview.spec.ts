import { DEMO_PASSWORD, expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

test("an executive sees the portfolio at a glance, each number opening what it counts", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await open(page, "/overview");
  await expect(page.getByTestId("counts")).toContainText("Active");
  await expect(page.getByTestId("last-month")).toContainText("%");
  await expect(page.getByTestId("boundary-view").getByTestId("bar-chart")).toBeVisible();
  await expect(page.getByTestId("worst").locator("tbody tr").first()).toBeVisible();
  // Money is never added across currencies: one row per currency.
  const costs = page.getByTestId("portfolio-costs");
  await expect(costs).toContainText("CAD");
  await expect(costs).toContainText("AUD");
  await expect(page.getByTestId("channels")).toContainText("Online");
  await screenshot(page, "overview");
  await expectAccessible(page);
  await page.getByTestId("counts").getByRole("link", { name: /^Shared/ }).click();
  await expect(page).toHaveURL(/structure=shared/);
});

test("an executive whose organisation is party to no agreement is told why each list is empty, and what comes next", async ({ page, browser }) => {
  // The admin adds an executive at Veterans Affairs, which no demo
  // agreement names.
  await signIn(page, "admin@concord.example", "/admin/users");
  const email = `empty.executive.${Date.now()}@vac.example`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Name", { exact: true }).fill("Erin Empty");
  await page.getByLabel("Organisation code").fill("VAC");
  await page.locator("#new-role").selectOption("executive");
  await page.locator("#new-scope").selectOption("organisation");
  await page.getByLabel("Initial password (12 characters or more)").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.locator("[data-testid=users] tbody tr", { hasText: email })).toBeVisible();

  const context = await browser.newContext();
  const theirs = await context.newPage();
  await signIn(theirs, email);
  await expect(theirs.getByTestId("portfolio-empty")).toContainText("You cannot see any agreement yet");
  await open(theirs, "/overview");
  await expect(theirs.getByTestId("last-month-empty")).toContainText("No report was due last month");
  await expect(theirs.getByTestId("boundary-view")).toContainText("No agreement you can see has reports");
  await expect(theirs.getByTestId("bar-chart")).toHaveCount(0);
  await expect(theirs.locator("main")).toContainText("nothing to rank yet");
  await expect(theirs.locator("main")).toContainText("No transaction volumes are recorded");
  await expect(theirs.locator("main")).toContainText("No costs or budgets are recorded");
  await expectAccessible(theirs);
  await screenshot(theirs, "overview-empty");
  await context.close();
});
