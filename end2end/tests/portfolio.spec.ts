import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

const OVERSIGHT = "oversight@concord.example";

test.beforeEach(async ({ page }) => {
  await signIn(page, OVERSIGHT);
});

test("a visitor filters the portfolio by structure without a reload and can share the view", async ({ page }) => {
  await open(page, "/");
  const rows = page.locator("[data-testid=portfolio] tbody tr");
  const all = await rows.count();
  expect(all).toBeGreaterThanOrEqual(10);
  await expectAccessible(page);
  await screenshot(page, "portfolio");

  // Filtering happens in the browser: the page is never reloaded.
  await page.evaluate(() => ((window as any).__notReloaded = true));
  await page.getByLabel("Structure").selectOption("co_located");
  await expect(page).toHaveURL(/structure=co_located/);
  await expect(rows).not.toHaveCount(all);
  const shown = await rows.count();
  expect(shown).toBeGreaterThan(0);
  for (let i = 0; i < shown; i++) {
    await expect(rows.nth(i).locator("td").nth(2)).toHaveText("Co-located");
  }
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
  await expectAccessible(page);
  await screenshot(page, "portfolio-co-located");

  // The URL is the view: opening it afresh shows the same rows.
  const url = page.url();
  const fresh = await page.context().newPage();
  await open(fresh, url);
  await expect(fresh.locator("[data-testid=portfolio] tbody tr")).toHaveCount(shown);
  await fresh.close();
});

test("a visitor searches by party name", async ({ page }) => {
  await open(page, "/");
  await page.getByLabel("Search").fill("Nova Scotia");
  await expect(page).toHaveURL(/q=Nova/);
  const rows = page.locator("[data-testid=portfolio] tbody tr");
  await expect(rows.first()).toContainText(/Nova Scotia|NS/);
});

test("a visitor opens an agreement and sees its parties and the boundaries it crosses", async ({ page }) => {
  await open(page, "/");
  const link = page.locator("[data-testid=portfolio] tbody tr").first().locator("a").first();
  const reference = (await link.textContent())!.trim();
  await link.click();
  await expect(page).toHaveURL(/\/agreements\/\d+/);
  await expect(page.locator(".reference")).toHaveText(reference);
  await expect(page.locator("[data-testid=parties] tbody tr")).not.toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Boundaries crossed" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "agreement");
});

test("a visitor switches to French and the choice is remembered", async ({ page }) => {
  await open(page, "/");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Portefeuille de partenariats");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expectAccessible(page);
  await screenshot(page, "portfolio-fr");

  // A new visit is served in French by the server itself.
  await open(page, "/organisations");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisations");
  await expect(page.getByText("Toutes les parties pouvant signer une entente")).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "organisations-fr");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByText("Every party that can sign an agreement")).toBeVisible();
});

test("the organisations directory lists kinds, sectors and jurisdictions", async ({ page }) => {
  await open(page, "/organisations");
  await expect(page.locator("[data-testid=organisations] tbody tr")).not.toHaveCount(0);
  await expect(page.getByRole("cell", { name: "Community", exact: true }).first()).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "organisations");
});

test("a keyboard user can skip to the content and sees where the focus is", async ({ page }) => {
  await open(page, "/");
  await page.keyboard.press("Tab");
  const skip = page.locator(".skip-link");
  await expect(skip).toBeFocused();
  const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("an unknown page answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("link", { name: "Back to the portfolio" })).toBeVisible();
  await expectAccessible(page);
});
