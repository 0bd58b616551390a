import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

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
