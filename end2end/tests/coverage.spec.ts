import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

test("an executive reads which agreements cover each life event where, and the gaps", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await page.getByRole("link", { name: "Life events" }).first().click();
  await expect(page).toHaveURL(/\/life-events$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  const map = page.getByTestId("coverage");
  // Losing a job is covered in Canada by the demo's agreements in force…
  const jobLoss = map.locator('tr[data-life-event="job_loss"]');
  await expect(jobLoss).toContainText("AGR-2023-0001");
  await expect(jobLoss).toContainText("AGR-2023-0007");
  // …which do not yet say who passes the notice on.
  await expect(jobLoss.locator('[data-gap="no_propagation"]').first()).toBeVisible();
  await expect(page.getByTestId("no-propagation")).toContainText("AGR-2023-0001");
  // A death is covered nowhere in Canada: a gap.
  await expect(map.locator('tr[data-life-event="death"] td.gap').first()).toHaveText("Gap");
  await expectAccessible(page);
  await screenshot(page, "life-event-coverage");
  // From the map to the agreement.
  await jobLoss.getByRole("link", { name: "AGR-2023-0001" }).first().click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  await expect(page.locator("#h-propagation")).toBeVisible();
});

test("the map is in French for a French reader, and a reporter does not see it", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  await open(page, "/life-events");
  await expect(page.locator("h1")).toHaveText("Couverture des événements de la vie");
  await expect(page.getByTestId("coverage").locator('tr[data-life-event="death"] td.gap').first()).toHaveText("Lacune");
  await expectAccessible(page);
});
