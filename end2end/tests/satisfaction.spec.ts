import { Page } from "@playwright/test";
import { expect, expectAccessible, monthFrom, open, screenshot, serverToday, signIn, test } from "./helpers";

// Citizen satisfaction by driver (issue 22): an executive reads the
// benchmarks by driver and the drivers ranked, and changes the grouping
// without a reload; a partner's reporter records one survey result by form
// and more by CSV (all rows or none).

const EXECUTIVE = "executive@servicecanada.example"; // reads in French
const REPORTER = "reporter@accessns.example";

/** Chooses the option of `select` whose text contains `text`. */
async function choose(page: Page, testid: string, text: string) {
  const select = page.getByTestId(testid);
  const value = await select.locator("option", { hasText: text }).first().getAttribute("value");
  await select.selectOption(value!);
}

const driverRows = (page: Page) => page.locator("[data-testid=sat-drivers] tbody tr");
const groupRows = (page: Page) => page.locator("[data-testid=sat-benchmarks] tbody tr");

test("an executive sees the drivers ranked and regroups the benchmarks by structure", async ({ page }) => {
  await signIn(page, EXECUTIVE);
  await page.getByRole("navigation").getByRole("link", { name: "Satisfaction", exact: true }).click();
  await expect(page).toHaveURL(/\/satisfaction$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Citizen satisfaction|Satisfaction des citoyens/);

  // Five drivers, ranked 1 to 5; the demo's surveys make timeliness and
  // outcome the two that go most with overall satisfaction.
  await expect(driverRows(page)).toHaveCount(5);
  const ranked = await driverRows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-driver")));
  expect(ranked.slice(0, 2).sort()).toEqual(["outcome", "timeliness"]);
  await expect(driverRows(page).first().locator("td").first()).toHaveText("1");
  await expect(driverRows(page).first().getByTestId("sat-correlation")).toHaveText(/^0[.,]\d+$/);
  await expect(page.getByTestId("sat-method")).toContainText(/Pearson/);
  await expect(page.getByTestId("sat-portfolio")).toBeVisible();

  // Grouped by agreement: only Service Canada's agreements.
  const agreements = await groupRows(page).count();
  expect(agreements).toBeGreaterThan(0);
  await expectAccessible(page);
  await screenshot(page, "satisfaction");

  // By structure, asked of the server again without reloading the page.
  await page.evaluate(() => ((window as any).__notReloaded = true));
  await page.getByTestId("sat-group-by").selectOption("structure");
  await expect(page).toHaveURL(/group_by=structure/);
  await expect
    .poll(() => groupRows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-group"))))
    .toEqual(expect.arrayContaining(["shared"]));
  const structures = await groupRows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-group")));
  for (const s of structures) {
    expect(["direct", "co_located", "shared", "service_agent", "isd_organisation"]).toContain(s);
  }
  // Ordered by a driver: the rows follow its score, highest first.
  await page.getByTestId("sat-order-by").selectOption("timeliness");
  await expect(page).toHaveURL(/driver=timeliness/);
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
});

test("a partner's reporter records a survey result and uploads more by CSV, all rows or none", async ({ page }) => {
  const today = await serverToday(page);
  const [month, earlier] = [monthFrom(today, -1), monthFrom(today, -2)];
  await signIn(page, REPORTER);
  await open(page, "/satisfaction");
  const form = page.getByTestId("sat-record-form");
  await expect(form).toBeVisible();
  // A reporter sees no portfolio benchmarks, only what it records.
  await expect(page.getByTestId("sat-benchmarks")).toHaveCount(0);

  await choose(page, "sat-agreement", "AGR-2023-0001");
  await choose(page, "sat-service", "ANS-0310");
  await form.getByTestId("sat-channel").selectOption("online");
  await form.getByTestId("sat-period").fill(month);
  await form.getByLabel("Respondents (sample size)").fill("240");
  await form.getByLabel("Satisfied overall (%)").fill("81.5");
  await form.getByLabel("Timeliness").fill("77");
  await form.getByLabel("Outcome").fill("84.25");
  await form.getByTestId("sat-record-submit").click();
  await expect(page.getByTestId("sat-recorded")).toBeVisible();
  const results = page.locator("[data-testid=sat-results] tbody tr");
  await expect(results.filter({ hasText: month }).filter({ hasText: "ANS-0310" }).filter({ has: page.locator("td", { hasText: /^240$/ }) })).toHaveCount(1);

  // A bad number is refused beside its field.
  await form.getByLabel("Satisfied overall (%)").fill("101");
  await form.getByTestId("sat-record-submit").click();
  await expect(form.locator(".field-error[data-field=overall]")).toBeVisible();

  // CSV: one bad line refuses the whole file; the good file is imported.
  const upload = page.getByTestId("sat-upload");
  const header = "period,service,channel,organisation_id,sample_size,overall,margin_of_error,timeliness,knowledge,courtesy,fairness,outcome\n";
  await upload.locator("#sat-file").setInputFiles({
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${header}${earlier},ANS-0310,in_person,ACCESSNS,150,70,,65,,,,72\n${earlier},ANS-0310,online,ACCESSNS,0,70,,,,,,\n`),
  });
  await upload.locator("button[type=submit]").click();
  await expect(page.getByTestId("sat-upload-errors")).toContainText("3");
  await upload.locator("#sat-file").setInputFiles({
    name: "good.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`${header}${earlier},ANS-0310,in_person,ACCESSNS,150,70,,65,,,,72\n${earlier},ANS-0310,online,ACCESSNS,287,76.5,4.7,70,88,91,,80\n`),
  });
  await upload.locator("button[type=submit]").click();
  await expect(page.getByTestId("sat-upload-ok")).toContainText("2");
  await expect(results.filter({ hasText: earlier }).filter({ has: page.locator("td", { hasText: /^287$/ }) })).toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, "satisfaction-record");
});
