import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

test("an admin adds a KPI to the catalogue; its code cannot be changed later", async ({ page }) => {
  await signIn(page, "admin@concord.example");
  await open(page, "/admin/kpis");
  const code = `wait_at_kiosk_s_${Date.now() % 100000}`;
  const form = page.getByTestId("kpi-form");
  await form.locator("#k-code").fill(code);
  await form.locator("#k-name").fill("Kiosk wait");
  await form.locator("#k-name-fr").fill("Attente à la borne");
  await form.locator("#k-unit").selectOption("seconds");
  await form.locator("#k-direction").selectOption("lower_is_better");
  await form.getByRole("button", { name: "Create" }).click();
  const row = page.getByTestId("kpis").getByRole("row").filter({ hasText: code });
  await expect(row).toContainText("Kiosk wait");
  await row.getByRole("button", { name: /^Edit/ }).click();
  await form.locator("#k-code").fill(`${code}_renamed`);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toContainText("stable");
  await screenshot(page, "admin-kpis");
  await expectAccessible(page);
});

test("a manager adds a commitment, saved as a new version", async ({ page }) => {
  await signIn(page, "manager@servicecanada.example");
  const list = await (await page.request.get("/api/v1/agreements?q=AGR-2023-0002")).json();
  const id = list.items[0].id;
  const before = (await (await page.request.get(`/api/v1/agreements/${id}`)).json()).version;
  await open(page, `/agreements/${id}/compliance`);
  const form = page.getByTestId("commitment-form");
  await form.locator("#c-kpi").selectOption("first_contact_resolution_pct");
  await form.locator("#c-target").fill("75");
  await form.locator("#c-band").fill("5");
  await form.getByRole("button", { name: "Add a commitment" }).click();
  await expect(page.getByText("The commitment was added as a new version")).toBeVisible();
  const after = (await (await page.request.get(`/api/v1/agreements/${id}`)).json()).version;
  expect(after).toBe(before + 1);
  await expectAccessible(page);

  // Changing an existing commitment: its party and KPI stay, the target moves.
  await open(page, `/agreements/${id}/compliance`);
  const which = page.locator("#c-which");
  const first = await which.locator("option").nth(1).getAttribute("value");
  await which.selectOption(first!);
  await expect(page.locator("#c-kpi")).toBeDisabled();
  await page.locator("#c-target").fill("77");
  await page.getByRole("button", { name: "Save the change as a new version" }).click();
  await expect(page.getByText("The change was saved as a new version")).toBeVisible();
  const last = (await (await page.request.get(`/api/v1/agreements/${id}`)).json());
  expect(last.version).toBe(after + 1);
  // The agreement is in force: the change is an amendment awaiting every
  // party's approval, and the target in force stays until then.
  expect(last.commitments.find((c) => String(c.id) === first).target).not.toBe("77");
  const change = last.pending_amendment.changes.find((c) => c.path === `commitments[${first}].target`);
  expect(change.after).toBe("77");
  await screenshot(page, "commitment-change");
});

test("a form shows the server's problem beside the field it is about", async ({ page }) => {
  await signIn(page, "admin@concord.example");
  await open(page, "/admin/organisations");
  const code = `PUB${Date.now() % 100000}`;
  await page.locator("#org-code").fill(code);
  await page.locator("#org-name").fill("A public body without a government");
  await page.locator("#org-kind").selectOption("ministry");
  await page.getByRole("button", { name: "Create" }).click();
  // The server refuses it; the problem stands beside the jurisdiction field,
  // which is marked invalid, and the summary at the top lists it too.
  const beside = page.locator('.field-error[data-field="jurisdiction_code"]');
  await expect(beside).toContainText("jurisdiction");
  await expect(page.locator("#org-jurisdiction")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('.field-error[data-field="code"]')).toHaveCount(0);
  await expect(page.getByRole("alert")).toContainText("jurisdiction");
  await screenshot(page, "admin-organisation-field-error");
  await expectAccessible(page);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.getByRole("button", { name: "Français" }).click();
  await expect(page.locator('.field-error[data-field="jurisdiction_code"]')).toBeVisible();
  await screenshot(page, "admin-organisation-field-error-fr-320");
  // Fixed, it is created and the problem is gone.
  await page.locator("#org-jurisdiction").fill("CA");
  await page.getByRole("button", { name: /^(Create|Créer)$/ }).click();
  await expect(page.locator('.field-error[data-field="jurisdiction_code"]')).toHaveCount(0);
  await expect(page.getByRole("cell", { name: code, exact: true })).toBeVisible();
});
