import { expect, test } from "@playwright/test";
import { expectAccessible, open, screenshot, signIn } from "./helpers";

test("anyone reads the published agreements and their open data, without signing in", async ({ page }) => {
  await open(page, "/public");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Published partnership agreements");
  const list = page.getByTestId("published-agreements");
  // Published by every party: listed. Never agreed to: not.
  await expect(list).toContainText("AGR-2023-0001");
  await expect(list).toContainText("Canada–Nova Scotia Single Window");
  await expect(list).not.toContainText("AGR-2023-0003");
  await expect(list).not.toContainText("AGR-2025-0002");
  await expect(page.getByTestId("who")).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, "open-data-1280");

  // The feed behind the link: the same agreements, as OCDS.
  const href = await page.getByTestId("ocds-feed").getAttribute("href");
  const feed = await page.request.get(href!);
  expect(feed.status()).toBe(200);
  const body = await feed.json();
  expect(body.version).toBe("1.1");
  const ocids = body.records.map((r: { ocid: string }) => r.ocid);
  expect(ocids).toContain("ocds-concord-AGR-2023-0001");
  expect(ocids).not.toContain("ocds-concord-AGR-2023-0003");

  await page.setViewportSize({ width: 320, height: 800 });
  await screenshot(page, "open-data-320");

  // In French.
  await page.context().addCookies([{ name: "lang", value: "fr", url: page.url() }]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, "/public");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ententes de partenariat publiées");
  await expect(list).toContainText("Protocole d'entente Canada–Nouvelle-Écosse");
  await screenshot(page, "open-data-fr-1280");
  await page.setViewportSize({ width: 320, height: 800 });
  await screenshot(page, "open-data-fr-320");
});

test("a party sees whether its agreement is published, and the term is in the edit form", async ({ page }) => {
  await signIn(page, "manager@servicecanada.example");
  await open(page, "/agreements/1");
  await expect(page.getByTestId("published")).toHaveText(/Published/);
  await open(page, "/agreements/1/edit");
  await expect(page.getByLabel("Publish as open contracting data")).toBeChecked();
});
