import { expect, expectAccessible, open, signIn, test } from "./helpers";

test("a French reader sees French where it was written, and English marked as such where it was not", async ({ page }) => {
  await signIn(page, "oversight@concord.example");
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  await open(page, "/agreements/1");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  // The title and the summary were written in French too: no note.
  await expect(page.locator("h1")).toContainText("Protocole d");
  await expect(page.locator("h1").getByTestId("english-only")).toHaveCount(0);
  await expect(page.locator(".lede").getByTestId("english-only")).toHaveCount(0);
  // The governance terms were written in English only: shown, in English,
  // marked as such for the eye and for screen readers.
  const governance = page.locator("dl.governance");
  await expect(governance.getByTestId("english-only").first()).toHaveText("(en anglais seulement)");
  await expect(governance.locator('[lang="en"]').first()).toContainText("Steering Committee");
  await expectAccessible(page);
  // In English there is nothing to mark.
  await page.getByTestId("lang-switch").click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("english-only")).toHaveCount(0);
});
