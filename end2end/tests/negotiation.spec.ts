import { addParty, clickAndAwaitReload, expect, expectAccessible, open, screenshot, serverToday, signIn, test, yearFrom } from "./helpers";

test.describe.configure({ mode: "serial" });

const MANAGER = "manager@servicecanada.example";
const PARTNER_MANAGER = "manager@novascotia.example";
const EXECUTIVES = ["executive@servicecanada.example", "executive@novascotia.example", "executive@isans.example"];
const title = `Halifax Newcomer Single Window ${Date.now()}`;
let agreementPath = "";

test("a manager drafts an agreement across two jurisdictions and a community organisation", async ({ page }) => {
  await signIn(page, MANAGER);
  await page.getByTestId("new-agreement").click();
  await expect(page).toHaveURL(/\/agreements\/new$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await page.locator("#f-title").fill(title);
  await page.locator("#f-summary").fill("One door for newcomers to Nova Scotia.");
  const today = await serverToday(page);
  await page.locator("#f-starts-on").fill(`${yearFrom(today, 1)}-04-01`);
  await page.locator("#f-ends-on").fill(`${yearFrom(today, 4)}-03-31`);
  await addParty(page, "SC", "lead");
  // The boundaries update as parties are added.
  const live = page.getByTestId("live-boundaries");
  await expect(live).toContainText("None");
  await addParty(page, "NS-CS", "partner");
  await expect(live).toContainText("Jurisdictional");
  await addParty(page, "ISANS", "partner");
  await expect(live).toContainText("Sectoral");
  // A rule broken live: a second lead.
  await page.getByRole("combobox", { name: /Role — Immigrant Services/ }).selectOption("lead");
  await page.getByTestId("save-agreement").click();
  await expect(page.getByTestId("form-errors")).toContainText("lead");
  await page.getByRole("combobox", { name: /Role — Immigrant Services/ }).selectOption("partner");
  // A barrier with its owner and mitigation.
  await page.locator("#f-bar-cat").selectOption("legal");
  await page.locator("#f-bar-desc").fill("Provincial privacy law limits sharing of client files");
  await page.locator("#f-bar-sev").fill("4");
  await page.locator("#f-bar-mit").fill("Consent at intake");
  const owner = await page.locator("#f-bar-owner option", { hasText: "(NS-CS)" }).getAttribute("value");
  await page.locator("#f-bar-owner").selectOption(owner!);
  await page.getByRole("button", { name: "Add a barrier" }).click();
  await page.locator("#f-gov-committee").fill("A steering committee of the three parties meets monthly.");
  await expectAccessible(page);
  await screenshot(page, "agreement-new");
  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(/\/agreements\/\d+$/);
  agreementPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator("section", { hasText: "Barriers" })).toContainText("Consent at intake");
  await expect(page.locator("dl.governance")).toContainText("steering committee");
  await page.getByTestId("move-negotiation").click();
  await expect(page.locator(".badge")).toHaveText("In negotiation");
});

test("a partner manager comments on the draft", async ({ page }) => {
  await signIn(page, PARTNER_MANAGER, agreementPath);
  await page.getByLabel(/Add a comment/).fill("Could ISANS also take phone referrals?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByTestId("comments")).toContainText("Could ISANS also take phone referrals?");
  await expect(page.getByTestId("comments")).toContainText("NS-CS");
  await expectAccessible(page);
  await screenshot(page, "agreement-comment");
});

test("the manager amends the terms and asks for approval", async ({ page }) => {
  await signIn(page, MANAGER, agreementPath);
  await expect(page.getByTestId("bell")).toBeVisible();
  await page.getByTestId("edit-agreement").click();
  await expect(page.locator("#f-title")).toHaveValue(title);
  await page.locator("#f-title").fill(`${title} (phone referrals)`);
  await page.locator("#f-change-summary").fill("ISANS takes phone referrals too");
  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(new RegExp(`${agreementPath}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${title} (phone referrals)`);
  await page.getByTestId("move-pending_approval").click();
  await expect(page.locator(".badge")).toHaveText("Pending approval");

  await open(page, `${agreementPath}/history`);
  await expect(page.locator("[data-testid=versions] tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("changes")).toContainText("title");
  await expectAccessible(page);
  await screenshot(page, "agreement-history");
});

test("three executives approve and the agreement becomes active", async ({ page }) => {
  for (const [i, exec] of EXECUTIVES.entries()) {
    await signIn(page, exec, agreementPath);
    // The page reloads after approving: wait until it is interactive again.
    await clickAndAwaitReload(page, page.getByTestId("approve"));
    await expect(page.getByTestId("approvals")).toContainText("approved version 2");
    if (i < EXECUTIVES.length - 1) {
      await expect(page.locator(".badge")).toHaveText("Pending approval");
    }
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/sign-in/);
  }
  await signIn(page, MANAGER, agreementPath);
  await expect(page.locator(".badge")).toHaveText("Active");
  await expectAccessible(page);
  await screenshot(page, "agreement-active");
});

const NEW_PARTY_EXECUTIVE = "executive@accessns.example";

test("the manager proposes an amendment: it waits beside the terms in force", async ({ page }) => {
  await signIn(page, MANAGER, agreementPath);
  await page.getByTestId("edit-agreement").click();
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await expect(page.locator("#f-title")).toHaveValue(`${title} (phone referrals)`);
  await page.locator("#f-title").fill(`${title} (with Access Nova Scotia)`);
  await addParty(page, "ACCESSNS", "partner");
  await page.locator("#f-change-summary").fill("Access Nova Scotia joins as a partner");
  await page.getByTestId("save-agreement").click();
  await expect(page).toHaveURL(new RegExp(`${agreementPath}$`));
  // The terms in force are untouched; the proposal is shown apart.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${title} (phone referrals)`);
  await expect(page.getByTestId("parties")).not.toContainText("Access Nova Scotia");
  const pending = page.getByTestId("pending-amendment");
  await expect(pending).toContainText("Pending amendment — Version 3");
  await expect(pending).toContainText("Access Nova Scotia joins as a partner");
  await expect(pending.getByTestId("changes")).toContainText("parties[ACCESSNS].role");
  await expect(pending.getByTestId("changes")).toContainText("(with Access Nova Scotia)");
  const approvers = pending.getByTestId("amendment-approvals");
  await expect(approvers.locator("li")).toHaveCount(4);
  await expect(approvers).toContainText("would join");
  await expectAccessible(page);
  await screenshot(page, "amendment-pending");
  await page.setViewportSize({ width: 320, height: 800 });
  await screenshot(page, "amendment-pending-320");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(pending).toContainText("Modification en attente");
  await screenshot(page, "amendment-pending-fr-320");
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, "amendment-pending-fr");
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("every party, the new one too, approves the amendment and it takes effect", async ({ page }) => {
  const approvers = [...EXECUTIVES, NEW_PARTY_EXECUTIVE];
  for (const [i, exec] of approvers.entries()) {
    await signIn(page, exec, agreementPath);
    const pending = page.getByTestId("pending-amendment");
    await expect(pending).toBeVisible();
    await clickAndAwaitReload(page, pending.getByTestId("approve-amendment"));
    if (i < approvers.length - 1) {
      await expect(page.getByTestId("amendment-approvals")).toContainText("approved version 3");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${title} (phone referrals)`);
    }
    await page.getByTestId("sign-out").click();
    await expect(page).toHaveURL(/\/sign-in/);
  }
  await signIn(page, MANAGER, agreementPath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${title} (with Access Nova Scotia)`);
  await expect(page.getByTestId("pending-amendment")).toHaveCount(0);
  await expect(page.getByTestId("parties")).toContainText("Access Nova Scotia");
  await expect(page.locator(".badge")).toHaveText("Active");
  await expectAccessible(page);
  await screenshot(page, "amendment-in-force");
});
