import { expect, expectAccessible, monthFrom, open, screenshot, serverToday, signIn, test } from "./helpers";

/** Twelve months of history as far behind today as 2025 was when these journeys were written. */
async function pastYear(page) {
  const today = await serverToday(page);
  return { from: monthFrom(today, -22), mid: monthFrom(today, -17), to: monthFrom(today, -11) };
}

test("an executive changes the grouping and a filter without a reload, and shares the view", async ({ page, browser }) => {
  await signIn(page, "oversight@concord.example");
  const year = await pastYear(page);
  await open(page, `/benchmarks?from=${year.from}&to=${year.to}`);
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
  await expect(table).toContainText(year.mid);
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

test("a long grouping is read a page at a time, each page in the URL", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  const year = await pastYear(page);
  await open(page, `/benchmarks?group_by=commitment&from=${year.from}&to=${year.to}&per_page=10`);
  const table = page.getByTestId("benchmarks");
  const pages = page.getByTestId("benchmark-pages");
  await expect(pages).toContainText(/Groups 1–10 of \d+/);
  await expect(table.locator("tbody tr")).toHaveCount(10);
  const first = await table.locator("tbody tr").allTextContents();
  await page.evaluate(() => ((window as any).__concordMark = 8));

  await pages.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(pages).toContainText(/Groups 11–20 of \d+/);
  await expect(table.locator("tbody tr")).not.toHaveText(first);
  expect(await page.evaluate(() => (window as any).__concordMark)).toBe(8);
  await screenshot(page, "benchmarks-pages");

  await pages.getByRole("link", { name: "Previous" }).click();
  await expect(page).not.toHaveURL(/[?&]page=/);
  await expect(table.locator("tbody tr")).toHaveText(first);
  // Another grouping starts at its first page.
  await pages.getByRole("link", { name: "Next" }).click();
  await page.locator("#b-group").selectOption("agreement");
  await expect(page).not.toHaveURL(/[?&]page=/);
  await expect(table.getByRole("columnheader", { name: "Rank" })).toBeVisible();
  // Fewer agreements than a page: no pages to turn.
  await expect(table.locator("tbody tr")).toHaveCount(9);
  await expect(pages).toHaveCount(0);
});
