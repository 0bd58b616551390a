import { expect, expectAccessible, open, screenshot, serverToday, signIn, test, yearFrom } from "./helpers";

/** The signed-in user as the server keeps them. */
async function me(page) {
  const r = await page.request.get("/api/v1/me");
  expect(r.ok()).toBeTruthy();
  return await r.json();
}

test("a French reader sees a Canadian agreement in French throughout", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  await open(page, "/agreements/1");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  // Title, summary, governance and barriers were all written in French
  // too (the demo's Canadian agreements): nothing is marked English.
  await expect(page.locator("h1")).toContainText("Protocole d");
  await expect(page.locator("dl.governance")).toContainText("Comité directeur");
  await expect(page.locator("#h-barriers").locator("xpath=..")).toContainText("Loi sur la protection des renseignements personnels");
  await expect(page.getByTestId("english-only")).toHaveCount(0);
  await expectAccessible(page);
});

test("where a French version is missing, the English one is shown marked as English", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  // Service NSW's agreement: its governance terms exist in English only.
  await open(page, "/?q=AGR-2023-0005");
  await page.locator("table a", { hasText: "AGR-2023-0005" }).first().click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  const governance = page.locator("dl.governance");
  await expect(governance.getByTestId("english-only").first()).toHaveText("(en anglais seulement)");
  await expect(governance.locator('[lang="en"]').first()).not.toBeEmpty();
  await expectAccessible(page);
  // In English there is nothing to mark.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("english-only")).toHaveCount(0);
});

test("a manager writes an agreement in both languages side by side, and a French reader reads it", async ({ page }) => {
  const title = `Sydney Newcomer Hub ${Date.now()}`;
  const titleFr = `Carrefour des nouveaux arrivants de Sydney ${Date.now()}`;
  await signIn(page, "manager@servicecanada.example", "/agreements/new");
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  // Each text's English and French inputs sit side by side, each marked
  // with its language.
  await expect(page.locator("#f-title-fr")).toHaveAttribute("lang", "fr");
  await expect(page.locator("#f-title")).toHaveAttribute("lang", "en");
  const en = await page.locator("#f-summary").boundingBox();
  const fr = await page.locator("#f-summary-fr").boundingBox();
  expect(fr!.x).toBeGreaterThan(en!.x + en!.width - 1);
  expect(Math.abs(fr!.y - en!.y)).toBeLessThan(2);
  await page.getByLabel("Title (English)").fill(title);
  await page.getByLabel("Title (French)").fill(titleFr);
  await page.getByLabel("Summary (English)").fill("One door for newcomers to Cape Breton.");
  await page.getByLabel("Summary (French)").fill("Une seule porte pour les nouveaux arrivants du Cap-Breton.");
  const today = await serverToday(page);
  await page.locator("#f-starts-on").fill(`${yearFrom(today, 1)}-04-01`);
  await page.locator("#f-ends-on").fill(`${yearFrom(today, 4)}-03-31`);
  const sc = await page.locator("#f-add-party option", { hasText: "(SC)" }).first().getAttribute("value");
  await page.locator("#f-add-party").selectOption(sc!);
  await page.locator("#f-add-role").selectOption("lead");
  await page.getByRole("button", { name: "Add a party" }).click();
  // A service, a barrier and a governance section, each in both languages.
  await page.locator("#f-svc-name").fill("Settlement referrals");
  await page.locator("#f-svc-name-fr").fill("Aiguillages en établissement");
  await page.locator("#f-svc-by").selectOption(sc!);
  await page.locator("#f-ch-in_person").check();
  await page.getByRole("button", { name: "Add a service" }).click();
  await page.locator("#f-bar-desc").fill("Client files cannot be shared between partners");
  await page.locator("#f-bar-desc-fr").fill("Les dossiers des clients ne peuvent pas être partagés entre partenaires");
  await page.locator("#f-bar-mit").fill("Consent at intake");
  await page.locator("#f-bar-mit-fr").fill("Consentement à l'accueil");
  await page.locator("#f-bar-act").fill("Consent wording added to the intake script");
  await page.locator("#f-bar-act-fr").fill("Libellé de consentement ajouté au script d'accueil");
  await page.getByRole("button", { name: "Add a barrier" }).click();
  await page.locator("#f-gov-committee").fill("A steering committee meets monthly.");
  await page.locator("#f-gov-committee-fr").fill("Un comité directeur se réunit chaque mois.");
  // Editing the English text keeps the French one.
  await page.locator("#f-gov-committee").fill("A steering committee of the parties meets monthly.");
  await expect(page.locator("#f-gov-committee-fr")).toHaveValue("Un comité directeur se réunit chaque mois.");
  await expectAccessible(page);
  await screenshot(page, "agreement-form-bilingual");
  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  await expect(page.locator("h1")).toHaveText(title);
  // The same agreement, read in French: every text in French, none marked.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.locator("h1")).toHaveText(titleFr);
  await expect(page.locator(".lede")).toContainText("Une seule porte");
  await expect(page.locator("main")).toContainText("Aiguillages en établissement");
  await expect(page.locator("main")).toContainText("Consentement à l'accueil");
  await expect(page.locator("main")).toContainText("Libellé de consentement ajouté au script d'accueil");
  await expect(page.locator("dl.governance")).toContainText("Un comité directeur se réunit chaque mois.");
  await expect(page.getByTestId("english-only")).toHaveCount(0);
  await screenshot(page, "agreement-bilingual-fr");
  // The manager switched to French while signed in: their account keeps
  // it, so what Concord writes to them is in French too.
  await expect.poll(async () => (await me(page)).lang).toBe("fr");
  await page.getByTestId("lang-switch").click();
  await expect.poll(async () => (await me(page)).lang).toBe("en");
});
