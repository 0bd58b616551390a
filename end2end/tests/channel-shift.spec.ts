import { Page } from "@playwright/test";
import { expect, expectAccessible, monthFrom, open, screenshot, serverToday, signIn, test } from "./helpers";

// The channel-migration business case (issue 22): each channel's measured
// cost per transaction, and a shift of N % from any channel to any other
// priced at those costs, recomputed in the browser as the slider moves.

async function agreementId(page: Page, reference: string): Promise<number> {
  const r = await page.request.get(`/api/v1/agreements?q=${reference}`);
  expect(r.status()).toBe(200);
  return (await r.json()).items[0].id;
}

/** The saving shown, as a number (English formatting: 1,234.56, −1.00). */
async function saving(page: Page): Promise<number> {
  const text = (await page.getByTestId("saving").textContent()) ?? "";
  return Number(text.replace(/,/g, "").replace("−", "-"));
}

/** Moves `percent` % of `from`'s volume to `to`, as a user would. */
async function shift(page: Page, from: string, to: string, percent: number) {
  await page.getByTestId("shift-from").selectOption(from);
  await page.getByTestId("shift-to").selectOption(to);
  await page.getByTestId("shift").fill(String(percent));
  await expect(page.getByTestId("shift-value")).toHaveText(`${percent} %`);
}

/** Marks the page: a reload or a navigation would lose the mark. */
async function mark(page: Page) {
  await page.evaluate(() => ((window as any).__concordShiftMark = "still here"));
}

async function expectSamePage(page: Page, url: string) {
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => (window as any).__concordShiftMark)).toBe("still here");
}

test("moving counter volume to another channel shows the saving grow without a reload", async ({ page }) => {
  await signIn(page, "manager@servicecanada.example");
  await open(page, "/agreements/1/cost-model");
  const url = page.url();
  await mark(page);

  // The measured basis, with its method.
  const cpt = page.getByTestId("cpt-table");
  await expect(cpt.locator("tr[data-channel=in_person] [data-testid=cpt]")).toHaveText(/^\d[\d,]*\.\d\d$/);
  await expect(cpt.locator("tr[data-channel=online] [data-testid=cpt]")).toHaveText(/^\d[\d,]*\.\d\d$/);
  await expect(page.getByTestId("cpt-method")).toContainText("cost per transaction");

  // Agreement 1 recorded no kiosk transaction: moving volume there cannot
  // be priced, and the page says so instead of a result.
  await shift(page, "in_person", "kiosk", 10);
  await expect(page.getByTestId("sim-error")).toContainText("Kiosk");
  await expect(page.getByTestId("saving")).toHaveCount(0);
  // The same channel twice: a message, not a result.
  await shift(page, "online", "online", 10);
  await expect(page.getByTestId("sim-error")).toContainText("two different channels");

  // The minimum service levels in force (the demo keeps 25 % of the
  // transactions in person and 5 % on the phone) are listed.
  const minimums = page.getByTestId("minimum-list");
  await expect(minimums.locator("li[data-channel=in_person]")).toContainText("25");
  await expect(minimums.locator("li[data-channel=phone]")).toContainText("5");

  // Counter to online, 10 % then 30 %: the saving grows. The counter keeps
  // about 31 % of the transactions: 10 % less keeps its minimum, 30 % less
  // breaches it, and the page says so before anything is saved.
  await shift(page, "in_person", "online", 10);
  await expect(page.getByTestId("saving")).toBeVisible();
  await expect(page.getByTestId("minimums-kept")).toBeVisible();
  await expect(page.getByTestId("minimum-breach")).toHaveCount(0);
  const at10 = await saving(page);
  expect(at10).toBeGreaterThan(0);
  await shift(page, "in_person", "online", 30);
  await expect.poll(() => saving(page)).toBeGreaterThan(at10);
  const breach = page.getByTestId("minimum-breach");
  await expect(breach).toBeVisible();
  await expect(breach.locator("li[data-channel=in_person]")).toContainText("In person");
  await expect(breach.locator("li[data-channel=phone]")).toHaveCount(0);
  await expect(page.getByTestId("minimums-kept")).toHaveCount(0);
  const bills = page.getByTestId("bills");
  const before = await bills.getByTestId("before").allTextContents();
  const after = await bills.getByTestId("after").allTextContents();
  expect(after).not.toEqual(before);
  await expect(bills.getByTestId("bar-chart")).toBeVisible();
  await expectSamePage(page, url);
  await screenshot(page, "channel-shift-business-case");
  await expectAccessible(page);

  // Another period reloads the measured costs in place, not the page.
  const today = await serverToday(page);
  const from = monthFrom(today, -3);
  const to = monthFrom(today, -1);
  await page.getByTestId("period-from").fill(from);
  await expect(cpt.locator("caption")).toContainText(`${from} – ${to}`);
  await expect(page.getByTestId("saving")).toBeVisible();
  await expectSamePage(page, url);
});

test("the agreement shows the minimum service levels its terms set and the service a commitment is about", async ({ page }) => {
  await signIn(page, "executive@accessns.example");
  await open(page, "/agreements/1");
  const table = page.getByTestId("minimums");
  await expect(table.locator("tr[data-channel=in_person] td")).toHaveText("25 %");
  await expect(table.locator("tr[data-channel=phone] td")).toHaveText("5 %");
  // A commitment names the service it is about.
  await expect(page.getByTestId("commitments").getByTestId("commitment-service").first())
    .toContainText("SC-0042");
});

test("moving volume from the counter to the kiosk changes the saving without a reload", async ({ page }) => {
  // ServiceOntario's driver and vehicle agreement has kiosks.
  await signIn(page, "manager@serviceontario.example");
  const id = await agreementId(page, "AGR-2023-0004");
  await open(page, `/agreements/${id}/cost-model`);
  const url = page.url();
  await mark(page);
  const cpt = page.getByTestId("cpt-table");
  await expect(cpt.locator("tr[data-channel=kiosk]")).toBeVisible();
  await expect(cpt.locator("tr[data-channel=in_person]")).toBeVisible();

  await shift(page, "in_person", "kiosk", 10);
  const saving10 = await page.getByTestId("saving").textContent();
  const at10 = await saving(page);
  await shift(page, "in_person", "kiosk", 30);
  await expect(page.getByTestId("saving")).not.toHaveText(saving10 ?? "");
  expect(await saving(page)).toBeGreaterThan(at10);
  await expect(page.getByTestId("moved")).not.toHaveText("0");
  await expectSamePage(page, url);
});
