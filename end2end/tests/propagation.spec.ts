import { addParty, expect, expectAccessible, screenshot, serverToday, signIn, test, yearFrom } from "./helpers";

test("a manager writes who passes a newcomer's notice to whom, and it shows among the terms", async ({ page }) => {
  const title = `Newcomer notices told once ${Date.now()}`;
  await signIn(page, "manager@servicecanada.example", "/agreements/new");
  await page.locator("#f-title").fill(title);
  const today = await serverToday(page);
  await page.locator("#f-starts-on").fill(`${yearFrom(today, 1)}-04-01`);
  await page.locator("#f-ends-on").fill(`${yearFrom(today, 4)}-03-31`);
  await addParty(page, "SC", "lead");
  await addParty(page, "NS-CS", "partner");
  await addParty(page, "ISANS", "partner");
  await page.locator("#f-le-moving_to_country").check();
  // The settlement agency hears of the arrival and tells both governments.
  const fieldset = page.locator("#f-propagation");
  await fieldset.locator("#f-prop-event").selectOption("moving_to_country");
  const isans = await page.locator("#f-prop-intake option", { hasText: "Immigrant Services" }).getAttribute("value");
  await fieldset.locator("#f-prop-intake").selectOption(isans!);
  await fieldset.getByLabel("Service Canada").check();
  await fieldset.getByLabel(/Department of Community Services/).check();
  await fieldset.locator("#f-prop-ack").fill("2");
  await fieldset.locator("#f-prop-act").fill("10");
  await fieldset.getByRole("button", { name: "Add a propagation term" }).click();
  await expect(fieldset.locator("ul.party-list li")).toHaveCount(1);
  await expect(fieldset.locator("ul.party-list")).toContainText("Moving to");
  await expectAccessible(page);
  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  await expect(page.locator("h1")).toHaveText(title);
  const terms = page.getByTestId("propagation");
  await expect(terms.locator("tbody tr")).toHaveCount(1);
  const row = terms.locator("tbody tr").first();
  await expect(row.locator("th")).toContainText("Moving to");
  await expect(row).toContainText("Immigrant Services");
  await expect(row).toContainText("Service Canada");
  await expect(row).toContainText("Department of Community Services");
  await expect(row.locator("td.num").nth(0)).toHaveText("2");
  await expect(row.locator("td.num").nth(1)).toHaveText("10");
  await expectAccessible(page);
  await screenshot(page, "agreement-propagation");
  // In French, the same terms in French.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("#h-propagation")).toHaveText("Dites-le-nous une fois : qui transmet un avis à qui");
  await page.getByTestId("lang-switch").click();
});
