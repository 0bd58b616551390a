import { Page } from "@playwright/test";
import { clickAndAwaitReload, expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

// The living barrier register (issue 23): the owning party updates a
// barrier of an active agreement from the agreement page, without an
// amendment, and the portfolio's barrier register shows the update to
// every party.

const OWNER = "executive@accessns.example"; // Access Nova Scotia owns B-3 of AGR-2023-0001
const OTHER_PARTY = "manager@servicecanada.example";
const ACTIONS = "Shared appointment system live at every Halifax counter.";

const registerRow = (page: Page) =>
  page.locator("[data-testid=barriers] tbody tr[data-agreement='AGR-2023-0001'][data-key='B-3']");

test("an owning party updates a barrier without an amendment and the barrier register shows it", async ({ page }) => {
  await signIn(page, OWNER);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Barriers", exact: true }).click();
  await expect(page).toHaveURL(/\/barriers$/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Barrier register");
  // The summary by category and boundary, and the barrier as recorded.
  await expect(page.getByTestId("barrier-summary")).toBeVisible();
  await expect(registerRow(page)).toHaveAttribute("data-status", "open");
  await expectAccessible(page);
  await screenshot(page, "barriers-before");

  // From the register to the agreement's barriers.
  await registerRow(page).getByRole("link", { name: "AGR-2023-0001" }).click();
  await expect(page).toHaveURL(/\/agreements\/\d+/);
  await expect(page.locator("body[data-hydrated=true]")).toHaveCount(1);
  const row = page.locator("tr[data-barrier='B-3']").first();
  await expect(row.getByTestId("barrier-status")).toContainText("Open");
  // Only the owner's barrier has the form.
  await expect(page.locator("tr[data-barrier='B-1'] details.barrier-update")).toHaveCount(0);
  const version = await page.locator("[data-testid=approvals]").textContent();

  await row.locator("details.barrier-update summary").click();
  await row.getByLabel("Status").selectOption("mitigated");
  await row.getByLabel("Actions under way", { exact: true }).fill(ACTIONS);
  await expectAccessible(page);
  await screenshot(page, "barrier-update-form");
  await clickAndAwaitReload(page, row.getByTestId("save-barrier"));

  const after = page.locator("tr[data-barrier='B-3']").first();
  await expect(after.getByTestId("barrier-status")).toContainText("Mitigated");
  await expect(after).toContainText(ACTIONS);
  // No amendment: nothing pending, the approvals as they were.
  await expect(page.getByTestId("pending-amendment")).toHaveCount(0);
  await expect(page.locator("[data-testid=approvals]")).toHaveText(version ?? "");

  // Another party sees the update in the portfolio's register.
  await page.context().clearCookies();
  await signIn(page, OTHER_PARTY);
  await open(page, "/barriers?status=mitigated");
  await expect(registerRow(page)).toHaveAttribute("data-status", "mitigated");
  await expect(registerRow(page).getByTestId("barrier-actions")).toContainText(ACTIONS);
  await expect(registerRow(page)).toContainText("Mitigated");
  await screenshot(page, "barriers-after");
});
