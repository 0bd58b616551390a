import { expect, Page, test as base } from "@playwright/test";
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

/** Saves a full-page screenshot under end2end/screenshots/. */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync("screenshots", { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
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
