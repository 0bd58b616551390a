import { Page } from "@playwright/test";
import { addParty, expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

// The service inventory (issue 22): every service of the agreements a
// person may see, filtered and sorted by the server from the URL's query,
// with each channel's service standard and how it did.

const OVERSIGHT = "oversight@concord.example";
const MANAGER = "manager@servicecanada.example";

const rows = (page: Page) => page.locator("[data-testid=services] tbody tr");

/** The inventory's own count of the services shown. */
async function shownCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("service-count").getAttribute("data-count"));
}

/** The transactions of each row, in the order shown. */
async function volumes(page: Page): Promise<number[]> {
  return (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-volume")))).map(Number);
}

test("an executive filters the service inventory by channel, sorts it by volume and reads it in French", async ({ page }) => {
  await signIn(page, OVERSIGHT);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Services", exact: true }).click();
  await expect(page).toHaveURL(/\/services$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service inventory");

  // Every service of the portfolio, with its agreement and a count that agrees.
  await expect(page.getByTestId("service-count")).toBeVisible();
  const all = await rows(page).count();
  expect(all).toBeGreaterThan(10);
  expect(await shownCount(page)).toBe(all);
  await expect(rows(page).first().locator("a[href^='/agreements/']")).toBeVisible();
  // Each channel's standard says met or missed in words, not by colour alone.
  const marks = page.locator("[data-testid=services] .mark");
  if ((await marks.count()) > 0) {
    await expect(marks.first()).toHaveText(/Met|Missed|No volume judged/);
  }
  await expectAccessible(page);
  await screenshot(page, "services");

  // Filtering asks the server again, without reloading the page.
  await page.evaluate(() => ((window as any).__notReloaded = true));
  await page.getByLabel("Channel", { exact: true }).selectOption("kiosk");
  await expect(page).toHaveURL(/channel=kiosk/);
  await expect.poll(() => shownCount(page)).not.toBe(all);
  const kiosk = await shownCount(page);
  expect(kiosk).toBeGreaterThan(0);
  await expect(rows(page)).toHaveCount(kiosk);
  for (let i = 0; i < kiosk; i++) {
    await expect(rows(page).nth(i)).toContainText("Kiosk");
  }
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);
  // The CSV carries the same filters.
  const csv = page.getByTestId("services-csv");
  await expect(csv).toHaveAttribute("href", /^\/api\/v1\/services\.csv\?.*channel=kiosk/);
  const download = await page.request.get((await csv.getAttribute("href"))!);
  expect(download.ok()).toBe(true);
  expect((await download.text()).trim().split("\n").length).toBeGreaterThan(1);
  await screenshot(page, "services-kiosk");

  // The view is the URL: opened afresh, the same rows.
  const fresh = await page.context().newPage();
  await open(fresh, page.url());
  await expect(rows(fresh)).toHaveCount(kiosk);
  await fresh.close();

  // Cleared, every service again; then the busiest first, and the other way.
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await expect(page).not.toHaveURL(/channel=/);
  await expect.poll(() => shownCount(page)).toBe(all);
  await page.locator("button[data-sort=volume]").click();
  await expect(page).toHaveURL(/sort=-volume/);
  await expect(page.locator("th:has(button[data-sort=volume])")).toHaveAttribute("aria-sort", "descending");
  await expect.poll(async () => {
    const v = await volumes(page);
    return v.length === all && v.every((x, i) => i === 0 || v[i - 1] >= x);
  }).toBe(true);
  const busiest = await volumes(page);
  await page.locator("button[data-sort=volume]").click();
  await expect(page).toHaveURL(/sort=volume/);
  await expect(page.locator("th:has(button[data-sort=volume])")).toHaveAttribute("aria-sort", "ascending");
  await expect.poll(async () => {
    const v = await volumes(page);
    return v.length === all && v.every((x, i) => i === 0 || v[i - 1] <= x);
  }).toBe(true);
  expect((await volumes(page))[0]).toBe(busiest[busiest.length - 1]);
  await expectAccessible(page);

  // In French: the page, the filters and the values.
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Répertoire des services");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByLabel("Type de clientèle")).toBeVisible();
  await expect(page.getByLabel("Entièrement en ligne")).toBeVisible();
  await expect(page.locator("[data-testid=services] thead")).toContainText("Normes de service");
  await expect(page.locator("[data-testid=services] thead")).toContainText("Type et clientèle");
  await expect(page.getByTestId("service-count")).toContainText("services affichés");
  await expect(page.locator("#s-client-type option[value=individuals]")).toHaveText("Particuliers");
  await expect(page.locator("#s-channel option[value=in_person]")).toHaveText("En personne");
  await expectAccessible(page);
  await screenshot(page, "services-fr");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service inventory");
});

test("a manager sees only the services of their organisation's agreements", async ({ page, browser }) => {
  // Service Canada is a party to AGR-2023-0001, AGR-2023-0002 and
  // AGR-2025-0001, not to Service NSW's agreement (AGR-2023-0005) nor
  // ServiceOntario's (AGR-2023-0004), whose services an executive sees.
  const executive = await (await browser.newContext()).newPage();
  await signIn(executive, OVERSIGHT);
  await open(executive, "/services?q=AGR-2023-0005");
  await expect(rows(executive).first()).toHaveAttribute("data-agreement", "AGR-2023-0005");
  await executive.context().close();

  await signIn(page, MANAGER);
  await open(page, "/services");
  await expect(page.getByTestId("service-count")).toBeVisible();
  const count = await rows(page).count();
  expect(count).toBeGreaterThan(0);
  const agreements = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-agreement")));
  expect(agreements).toContain("AGR-2023-0001");
  expect(agreements).not.toContain("AGR-2023-0005");
  expect(agreements).not.toContain("AGR-2023-0004");
  expect(agreements).not.toContain("AGR-2025-0002");

  // Searching for another organisation's agreement finds nothing, and
  // says why and what to do.
  await page.getByLabel("Search").fill("AGR-2023-0005");
  await expect(page).toHaveURL(/q=AGR-2023-0005/);
  await expect(page.getByTestId("services-empty")).toContainText("No service matches these filters");
  await expectAccessible(page);
  await page.getByTestId("services-empty").getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(count);
});

test("a manager gives a service its id, clients, fee, online stages and a standard, and they are kept when editing", async ({ page }) => {
  await signIn(page, MANAGER);
  await open(page, "/agreements/new");
  await page.locator("#f-title").fill(`Service inventory journey ${Date.now()}`);
  await addParty(page, "SC", "lead");
  await addParty(page, "NS-CS", "partner");

  const sc = await page.locator("#f-svc-by option", { hasText: "(SC)" }).getAttribute("value");
  await page.locator("#f-svc-code").fill("svc-e2e-1");
  await expect(page.locator("#f-svc-code")).toHaveValue("SVC-E2E-1");
  await page.locator("#f-svc-name").fill("Pension applications");
  await page.locator("#f-svc-name-fr").fill("Demandes de pension");
  await page.locator("#f-svc-by").selectOption(sc!);
  await page.locator("#f-svc-type").selectOption("benefit");
  await page.locator("#f-ch-in_person").check();
  await page.locator("#f-ch-online").check();
  await page.locator("#f-ct-individuals").check();
  for (const stage of ["application", "authentication", "decision"]) {
    await page.locator(`#f-os-${stage}`).check();
  }
  await page.locator("#f-std-online").fill("Decision within 10 working days");
  await page.locator("#f-std-online-fr").fill("Décision dans les 10 jours ouvrables");
  await page.locator("#f-std-online-target").fill("80");
  // A fee with a tenth of a cent is refused before anything is sent.
  await page.locator("#f-svc-fee").fill("12.505");
  await page.getByTestId("add-service").click();
  await expect(page.getByTestId("service-problems")).toContainText("fee");
  await page.locator("#f-svc-fee").fill("12.50");
  await expectAccessible(page);
  await page.locator("#f-services").screenshot({ path: `${process.env.CONCORD_SCREENSHOTS ?? "screenshots"}/services-form-editor.png` });
  await page.getByTestId("add-service").click();
  const listed = page.locator("[data-testid=form-services] li[data-code=SVC-E2E-1]");
  await expect(listed).toContainText("Pension applications");
  await expect(listed).toContainText("3/5");
  await expect(page.getByTestId("service-problems")).toHaveText("");

  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  const path = new URL(page.url()).pathname;
  const row = page.locator("[data-testid=services] tbody tr[data-code=SVC-E2E-1]");
  await expect(row).toContainText("Benefit");
  await expect(row).toContainText("Individuals");
  await expect(row).toContainText("12.50 CAD");
  await expect(row).toContainText("3/5");
  await expect(row).toContainText("Decision within 10 working days — 80 %");
  await expectAccessible(page);
  await screenshot(page, "services-agreement");

  // Editing: the service keeps its id and everything else.
  await open(page, `${path}/edit`);
  // One form: the browser hydrates the server's, and draws no second one.
  await expect(page.locator("form.agreement-form")).toHaveCount(1);
  const kept = page.locator("[data-testid=form-services] li[data-code=SVC-E2E-1]");
  await expect(kept).toContainText("12.50 CAD");
  await kept.getByRole("button", { name: /^Edit/ }).click();
  await expect(page.locator("#f-svc-code")).toHaveValue("SVC-E2E-1");
  await expect(page.locator("#f-svc-fee")).toHaveValue("12.50");
  await expect(page.locator("#f-std-online-target")).toHaveValue("80");
  await expect(page.locator("#f-os-decision")).toBeChecked();
  await expect(page.getByTestId("add-service")).toHaveText("Save the service");
});
