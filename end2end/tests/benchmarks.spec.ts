import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

test("an executive changes the grouping and a filter without a reload, and shares the view", async ({ page, browser }) => {
  await signIn(page, "oversight@concord.example");
  await open(page, "/benchmarks?from=2025-01&to=2025-12");
  const table = page.getByTestId("benchmarks");
  await expect(table).toContainText("AGR-2023-0001");
  await page.evaluate(() => ((window as any).__concordMark = 7));

  await page.locator("#b-group").selectOption("structure");
  await expect(page).toHaveURL(/group_by=structure/);
  await expect(table).toContainText("Co-located");
  await expect(table).not.toContainText("AGR-2023-0001");
  await expect(page.getByTestId("bar-chart")).toContainText("Co-located");

  await page.locator("#b-kpi").selectOption("in_person_wait_min");
  await expect(page).toHaveURL(/kpi=in_person_wait_min/);
  await expect(table.getByRole("columnheader", { name: "Median" })).toBeVisible();
  await expect(page.getByTestId("box-plot")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__concordMark)).toBe(7);
  await screenshot(page, "benchmarks");
  await expectAccessible(page);

  // Trends: by month, as a line.
  await page.locator("#b-group").selectOption("period");
  await expect(page.getByTestId("line-chart").first()).toBeVisible();
  await expect(table).toContainText("2025-06");
  await screenshot(page, "benchmarks-trend");
  await page.locator("#b-group").selectOption("structure");
  await expect(table).toContainText("Co-located");

  // The same URL in another browser gives the same view.
  const url = page.url();
  const rows = await table.locator("tbody tr").allTextContents();
  const other = await browser.newPage();
  await signIn(other, "oversight@concord.example");
  await open(other, url.replace(/^https?:\/\/[^/]+/, ""));
  await expect(other.locator("#b-group")).toHaveValue("structure");
  await expect(other.getByTestId("benchmarks").locator("tbody tr")).toHaveText(rows);
  await other.close();
});
