import { expect, expectAccessible, lastFiscalQuarter, open, screenshot, serverToday, signIn, test } from "./helpers";

const MANAGER = "manager@servicecanada.example";
const REPORTER = "reporter@accessns.example";

async function agreementId(page, reference: string): Promise<number> {
  const r = await page.request.get(`/api/v1/agreements?q=${reference}`);
  expect(r.status()).toBe(200);
  const body = await r.json();
  return body.items[0].id;
}

test("dragging the channel-shift control changes each partner's bill without a reload", async ({ page }) => {
  await signIn(page, MANAGER);
  const id = await agreementId(page, "AGR-2023-0001");
  await open(page, `/agreements/${id}/cost-model`);
  const table = page.getByTestId("sim-table");
  await expect(table).toBeVisible();
  const before = await table.getByTestId("before").allTextContents();
  const after0 = await table.getByTestId("after").allTextContents();
  expect(after0).toEqual(before);
  // Marks this page: a reload would lose the mark.
  await page.evaluate(() => ((window as any).__concordMark = 42));

  const slider = page.getByTestId("shift");
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId("shift-value")).not.toHaveText("0 %");
  await expect.poll(async () => table.getByTestId("after").allTextContents()).not.toEqual(before);
  // The bills still add up: the total row's before and after are the
  // partnership's total cost before and after the shift, priced at the
  // measured cost per transaction (counter to online saves money).
  const foot = table.locator("tfoot td");
  await expect(foot.nth(0)).toHaveText((await page.getByTestId("cost-before").textContent()) ?? "");
  await expect(foot.nth(1)).toHaveText((await page.getByTestId("cost-after").textContent()) ?? "");
  await expect(page.getByTestId("saving")).not.toHaveText("0.00");
  expect(await page.evaluate(() => (window as any).__concordMark)).toBe(42);
  await expect(page.getByTestId("bar-chart")).toBeVisible();
  await screenshot(page, "cost-model-simulator");
  await expectAccessible(page);

  // A model that does not add up to 100 is flagged as it is typed.
  const first = page.locator("#m-p-0");
  const original = await first.inputValue();
  await first.fill(String(Number(original) + 1));
  await expect(page.getByTestId("model-problem")).toContainText("not exactly 100");
  await expect(page.getByTestId("sim-error")).toBeVisible();
  await first.fill(original);
  await expect(page.getByTestId("model-problem")).toHaveText("");
});

test("a reporter reconciles a quarter and uploads costs, fixing a bad line", async ({ page }) => {
  await signIn(page, REPORTER);
  const id = await agreementId(page, "AGR-2023-0001");
  // The last fiscal quarter ended (AGR-2023-0001's fiscal year starts in April).
  const quarter = lastFiscalQuarter(await serverToday(page), 4);
  const [, second, third] = quarter.months;
  await open(page, `/agreements/${id}/costs?period=${quarter.label}`);
  const recon = page.getByTestId("reconciliation");
  await expect(recon).toContainText(quarter.label);
  await expect(page.getByTestId("balances")).toContainText("Access Nova Scotia");
  await expect(page.getByTestId("transfers")).toBeVisible();
  const totalBefore = await page.getByTestId("total-cost").textContent();

  const upload = page.getByTestId("upload-form");
  await upload.locator("#u-file").setInputFiles({
    name: "costs.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`period,kind,category,amount,organisation_id\n${third},actual,other,12.34,ACCESSNS\n${third},actual,other,1.234,ACCESSNS\n`),
  });
  await upload.getByRole("button", { name: "Upload" }).click();
  const errors = page.getByTestId("upload-errors");
  await expect(errors).toContainText("Line 3");
  await expect(errors).toContainText("nothing was imported");
  await expect(page.getByTestId("total-cost")).toHaveText(totalBefore ?? "");
  await screenshot(page, "costs-upload-errors");

  await upload.locator("#u-file").setInputFiles({
    name: "costs.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`period,kind,category,amount,organisation_id\n${third},actual,other,12.34,ACCESSNS\n`),
  });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-ok")).toContainText("1 row(s) imported");
  await expect(page.getByTestId("total-cost")).not.toHaveText(totalBefore ?? "");
  await screenshot(page, "costs-reconciliation");
  await expectAccessible(page);

  // One entry by hand: a bad amount is refused with its reason, a good one
  // changes the total at once.
  const totalAfterUpload = await page.getByTestId("total-cost").textContent();
  const form = page.getByTestId("entry-form");
  await form.locator("#e-period").fill(second);
  await form.locator("#e-category").selectOption("technology");
  await form.locator("#e-amount").fill("-5");
  await form.getByRole("button", { name: "Record the cost" }).click();
  await expect(page.getByTestId("record-error")).toContainText("amount");
  await form.locator("#e-amount").fill("100.00");
  await form.getByRole("button", { name: "Record the cost" }).click();
  await expect(page.getByText("The cost was recorded.")).toBeVisible();
  await expect(page.getByTestId("total-cost")).not.toHaveText(totalAfterUpload ?? "");
});
