import { Page } from "@playwright/test";
import { expect, expectAccessible, monthFrom, open, screenshot, serverToday, signIn, test } from "./helpers";

// Journeys across channels (issue 22): a partner's reporter records the
// month's journeys of a service, by channel started on and ended on, and
// sees the flow table and the two derived KPIs (completion rate, digital
// take-up) change without a reload; an executive opens the flow view from
// the agreement page.

const REPORTER = "reporter@accessns.example"; // Access Nova Scotia reports on AGR-2023-0001
const EXECUTIVE = "executive@accessns.example";

async function agreementId(page: Page, reference: string): Promise<number> {
  const r = await page.request.get(`/api/v1/agreements?q=${reference}`);
  expect(r.status()).toBe(200);
  return (await r.json()).items[0].id;
}

/** The count in the flow table's cell (started on, ended on or "abandoned"). */
function cell(page: Page, started: string, ended: string) {
  return page.locator(`[data-testid=flow-table] tr[data-started=${started}] td[data-ended=${ended}]`);
}

async function record(page: Page, started: string, ended: string, count: number) {
  const form = page.getByTestId("record-journey");
  await form.getByLabel("Started on").selectOption(started);
  await form.getByLabel("Ended on").selectOption(ended);
  await form.getByLabel("Number of journeys").fill(String(count));
  await form.getByRole("button", { name: "Record journeys" }).click();
  await expect(page.getByTestId("journey-saved")).toBeVisible();
}

test("a partner's reporter records a month's journeys and sees the flow and the KPIs change", async ({ page }) => {
  await signIn(page, REPORTER);
  const id = await agreementId(page, "AGR-2023-0001");
  // This month has begun and has no journeys yet in the demo (a run before
  // this one may have left counts, which the recordings below replace).
  const month = monthFrom(await serverToday(page), 0);
  await open(page, `/agreements/${id}/journeys?service=ANS-0310&from=${month}&to=${month}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Journeys across channels");
  await page.evaluate(() => ((window as any).__notReloaded = true));

  const form = page.getByTestId("record-journey");
  await form.getByLabel("Month").fill(month);
  const service = await form.locator("#jr-service option", { hasText: "ANS-0310" }).getAttribute("value");
  await form.getByLabel("Service").selectOption(service!);
  // Only the service's own channels are offered.
  await expect(form.locator("#jr-started option")).toHaveText(["In person", "Online"]);

  // A run before this one may have left abandoned journeys: none, now.
  await record(page, "online", "abandoned", 0);
  // 60 finished online, 40 started online and finished at the counter.
  await record(page, "online", "online", 60);
  await record(page, "online", "in_person", 40);
  await expect(cell(page, "online", "online")).toHaveAttribute("data-count", "60");
  await expect(cell(page, "online", "in_person")).toHaveAttribute("data-count", "40");
  await expect(page.getByTestId("completion-rate")).toHaveAttribute("data-value", "100.00");
  await expect(page.getByTestId("digital-take-up")).toHaveAttribute("data-value", "60.00");

  // 25 more started online and were abandoned: completion 100 / 125 = 80 %;
  // take-up stays 60 of 100 completed.
  await record(page, "online", "abandoned", 25);
  await expect(cell(page, "online", "abandoned")).toHaveAttribute("data-count", "25");
  await expect(page.getByTestId("completion-rate")).toHaveAttribute("data-value", "80.00");
  await expect(page.getByTestId("completion-rate")).toHaveText(/^\s*80\.00\s%\s*$/);
  await expect(page.getByTestId("digital-take-up")).toHaveAttribute("data-value", "60.00");
  // The row's share: 25 of the 125 started online.
  await expect(cell(page, "online", "abandoned")).toContainText("20");

  // A count sent again replaces the first.
  await record(page, "online", "online", 70);
  await expect(page.getByText("Journeys recorded; they replace the count recorded before.")).toBeVisible();
  await expect(page.getByTestId("digital-take-up")).toHaveAttribute("data-value", "63.64");
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);

  // A count out of bounds is refused beside its field.
  await form.getByLabel("Number of journeys").fill("1000000001");
  await form.getByRole("button", { name: "Record journeys" }).click();
  await expect(form.locator(".field-error[data-field=count]")).toBeVisible();

  await expectAccessible(page);
  await screenshot(page, "journeys-reporter");
});

test("an executive opens the flow view from the agreement page", async ({ page }) => {
  await signIn(page, EXECUTIVE);
  const id = await agreementId(page, "AGR-2023-0001");
  await open(page, `/agreements/${id}`);
  await page.getByTestId("open-journeys").click();
  await expect(page).toHaveURL(new RegExp(`/agreements/${id}/journeys$`));
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Journeys across channels");

  // The twelve months to the last with journeys, every service: the demo's
  // counts, cross-channel flows and abandonment among them.
  const table = page.getByTestId("flow-table");
  await expect(table).toBeVisible();
  await expect(table.locator("caption")).toContainText("started on");
  await expect(table.locator("th[scope=row]").first()).toBeVisible();
  expect(Number(await cell(page, "online", "in_person").getAttribute("data-count"))).toBeGreaterThan(0);
  expect(Number(await cell(page, "online", "abandoned").getAttribute("data-count"))).toBeGreaterThan(0);
  await expect(page.getByTestId("completion-rate")).toHaveAttribute("data-value", /^\d+\.\d\d$/);
  await expect(page.getByTestId("digital-take-up")).toHaveAttribute("data-value", /^\d+\.\d\d$/);
  await expect(page.locator("[data-testid=journeys-by-service] tbody tr")).toHaveCount(4);
  await expect(page.locator("[data-testid=journeys-by-month] tbody tr")).toHaveCount(12);
  // An executive reads; the recording form is not offered.
  await expect(page.getByTestId("record-journey")).toHaveCount(0);

  // One service: the view narrows to it.
  const before = await page.getByTestId("journeys-started").textContent();
  await page.getByLabel("Service", { exact: true }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/service=/);
  await expect(page.locator("[data-testid=journeys-by-service] tbody tr")).toHaveCount(1);
  expect(await page.getByTestId("journeys-started").textContent()).not.toBe(before);
  await expectAccessible(page);
  await screenshot(page, "journeys-executive");
});
