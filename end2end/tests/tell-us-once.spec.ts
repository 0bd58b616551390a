import { expect, expectAccessible, monthFrom, open, screenshot, serverToday, signIn, test } from "./helpers";
import type { Page } from "@playwright/test";

/** The number of notices of the last twelve months the coverage map shows for a death in the UK. */
async function deathsInTheUk(page: Page): Promise<number> {
  await open(page, "/life-events");
  const cells = page.getByTestId("coverage").locator('tr[data-life-event="death"] [data-testid="cell-notices"]');
  const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-notices"))));
  return Math.max(0, ...counts);
}

/** The value the compliance heatmap shows for DWP's acknowledgements in `month`. */
async function dwpAcknowledged(page: Page, agreement: string, month: string): Promise<string> {
  await open(page, `/agreements/${agreement}/compliance?year=${month.slice(0, 4)}`);
  const row = page
    .locator("tr[data-commitment]")
    .filter({ hasText: "Life-event notices acknowledged in target" })
    .filter({ hasText: "Department for Work and Pensions" });
  const cell = row.locator(`button[title^="${month}:"]`);
  await expect(cell).toHaveCount(1);
  return (await cell.getAttribute("title")) ?? "";
}

test("a notice told once reaches every party, and compliance and the coverage map follow", async ({ page, browser }) => {
  const today = await serverToday(page);
  const lastMonth = monthFrom(today, -1);
  const received = `${lastMonth}-01`;
  const reference = `LDS-E2E-${Date.now().toString(36).toUpperCase()}`;

  // Before: what an executive reads.
  await signIn(page, "oversight@concord.example");
  await open(page, "/");
  const agreementHref = await page.getByRole("link", { name: "AGR-2023-0006", exact: true }).first().getAttribute("href");
  const agreement = agreementHref!.split("/").pop()!;
  const deathsBefore = await deathsInTheUk(page);
  const valueBefore = await dwpAcknowledged(page, agreement, lastMonth);

  // The Leeds register office records the notice: no name, only its own reference.
  const leeds = await (await browser.newContext()).newPage();
  await signIn(leeds, "reporter@leeds.example");
  await leeds.getByRole("link", { name: "Tell Us Once" }).first().click();
  await expect(leeds).toHaveURL(/\/notices$/);
  await expect(leeds.locator("body[data-hydrated=true]")).toHaveCount(1);
  await leeds.getByLabel("Life event").selectOption("death");
  await leeds.getByLabel("Received on").fill(received);
  await leeds.getByLabel("Channel").selectOption("phone");
  // Personal data is refused before anything is sent.
  await leeds.getByLabel("Case reference in your system").fill("Jane Doe");
  await leeds.getByRole("button", { name: "Record a notice" }).click();
  await expect(leeds.locator(".error-summary")).toContainText("no spaces");
  await leeds.getByLabel("Case reference in your system").fill(reference);
  await leeds.getByRole("button", { name: "Record a notice" }).click();
  await expect(leeds.getByTestId("notice-saved")).toContainText("Department for Work and Pensions");
  const recorded = leeds.locator(`[data-testid="notice"][data-case="${reference}"]`);
  await expect(recorded).toBeVisible();
  await expect(recorded.getByTestId("delivery-status")).toHaveCount(3);
  await expectAccessible(leeds);
  await screenshot(leeds, "tell-us-once-intake");

  // The DWP acknowledges it, then records what it did.
  const dwp = await (await browser.newContext()).newPage();
  await signIn(dwp, "reporter@dwp.example");
  await open(dwp, "/notices");
  const row = dwp.locator(`[data-testid="delivery"][data-case="${reference}"]`);
  await expect(row.getByTestId("delivery-status")).toHaveAttribute("data-status", "overdue");
  await row.getByTestId("acknowledge").click();
  await expect(row.getByTestId("acknowledge")).toHaveCount(0);
  await row.getByTestId("act-text").fill("Bereavement support payment assessed");
  await row.getByRole("button", { name: /Record the action taken/ }).click();
  await expect(row.getByTestId("delivery-status")).toHaveAttribute("data-status", "acted");
  await expect(row).toContainText("Bereavement support payment assessed");
  await expectAccessible(dwp);
  await screenshot(dwp, "tell-us-once-deliveries");
  // Another party told sees its own delivery only, and HMRC declines.
  const hmrc = await (await browser.newContext()).newPage();
  await signIn(hmrc, "reporter@hmrc.example");
  await open(hmrc, "/notices");
  const mine = hmrc.locator(`[data-testid="delivery"][data-case="${reference}"]`);
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute("data-organisation", "HM Revenue & Customs");
  await mine.getByTestId("decline").check();
  await mine.getByTestId("act-text").fill("No record held in our system");
  await mine.getByRole("button", { name: /^Decline / }).click();
  await expect(mine.getByTestId("delivery-status")).toHaveAttribute("data-status", "declined");

  // The intake party follows how each delivery stands.
  await open(leeds, "/notices");
  await expect(recorded.locator('[data-status="acted"]')).toHaveCount(1);
  await expect(recorded.locator('[data-status="declined"]')).toHaveCount(1);

  // After: the DWP's acknowledgement came late, so last month's value moved,
  // and the coverage map counts one more death.
  expect(await dwpAcknowledged(page, agreement, lastMonth)).not.toEqual(valueBefore);
  await screenshot(page, "tell-us-once-compliance");
  expect(await deathsInTheUk(page)).toEqual(deathsBefore + 1);
  await screenshot(page, "tell-us-once-coverage");
});

test("the notices page is in French for a French reader", async ({ page }) => {
  await signIn(page, "reporter@leeds.example");
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  await open(page, "/notices");
  await expect(page.locator("h1")).toHaveText("Avis « Dites-le-nous une fois »");
  await expect(page.getByRole("button", { name: "Enregistrer un avis" })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, "tell-us-once-fr");
});
