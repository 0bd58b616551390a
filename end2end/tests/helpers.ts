import { expect, Locator, Page, test as base } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import * as fs from "fs";

/** Opens a page and waits until the wasm bundle has hydrated it. */
export async function open(page: Page, path: string) {
  await page.goto(path, { waitUntil: "networkidle" });
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
}

/** Fails on any serious or critical WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const bad = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`),
  ).toEqual([]);
}

/** Saves a full-page screenshot under end2end/screenshots/ (or `CONCORD_SCREENSHOTS`). */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.CONCORD_SCREENSHOTS ?? "screenshots";
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

export const DEMO_PASSWORD = "concord-demo-2026";

/** Signs in through the sign-in page and waits for the portfolio. */
export async function signIn(page: Page, email: string, next = "/") {
  await open(page, `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel(/Email address|Adresse courriel/).fill(email);
  await page.getByLabel(/^(Password|Mot de passe)$/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: /^(Sign in|Se connecter)$/ }).click();
  await expect(page.getByTestId("who")).toBeVisible();
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
}

/**
 * Clicks `target`, which reloads the page once the server has answered,
 * and waits until the reloaded page is interactive. Waiting only for the
 * network to settle could still see the old page, hydrated, before the
 * reload began.
 */
export async function clickAndAwaitReload(page: Page, target: Locator) {
  const reloaded = page.waitForEvent("load");
  await target.click();
  await reloaded;
  await page.waitForLoadState("networkidle");
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
}

/** Every test fails if the page throws (a hydration panic, say). */
export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error" && /hydration|panicked/i.test(m.text())) errors.push(m.text());
      });
      await use();
      expect(errors, "errors thrown in the page").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/**
 * The server's today (`YYYY-MM-DD`), as the page it rendered states it: the
 * demo was seeded for this day, so journeys name periods relative to it and
 * pass on whatever day they run (CI also runs them fourteen months ahead).
 */
export async function serverToday(page: Page): Promise<string> {
  const html = await (await page.request.get("/sign-in")).text();
  const found = html.match(/<meta name="concord-today" content="(\d{4}-\d{2}-\d{2})"/);
  expect(found, "the page states the server's today").not.toBeNull();
  return found![1];
}

/** A month as `YYYY-MM`, `n` months after the month of `day` (before when negative). */
export function monthFrom(day: string, n: number): string {
  const [y, m] = day.split("-").map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The calendar year of `day`, plus `n`. */
export function yearFrom(day: string, n: number): number {
  return Number(day.slice(0, 4)) + n;
}

/**
 * The fiscal quarter that ended last before `day`'s fiscal quarter began,
 * as `FY2026-Q2`, with its three months (`YYYY-MM`).
 */
export function lastFiscalQuarter(day: string, fiscalStartMonth: number): { label: string; months: string[] } {
  const [y, m] = day.split("-").map(Number);
  const index = y * 12 + (m - 1); // months since year 0
  const start0 = fiscalStartMonth - 1;
  const sinceFyStart = (((index - start0) % 12) + 12) % 12;
  const quarterStart = index - (sinceFyStart % 3) - 3; // first month of the last quarter
  const fyStart = quarterStart - ((((quarterStart - start0) % 12) + 12) % 12);
  const q = Math.floor((quarterStart - fyStart) / 3) + 1;
  const months = [0, 1, 2].map((i) => {
    const k = quarterStart + i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, "0")}`;
  });
  return { label: `FY${Math.floor(fyStart / 12)}-Q${q}`, months };
}

/** On the agreement form: adds the organisation with `code` as a party in `role`. */
export async function addParty(page: Page, code: string, role: string) {
  const select = page.locator("#f-add-party");
  const value = await select.locator("option", { hasText: `(${code})` }).first().getAttribute("value");
  await select.selectOption(value!);
  await page.locator("#f-add-role").selectOption(role);
  await page.getByRole("button", { name: "Add a party" }).click();
}
