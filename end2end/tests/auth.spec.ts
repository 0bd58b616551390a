import { DEMO_PASSWORD, expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

test("an anonymous visitor is sent to sign in and comes back to the page they asked for", async ({ page }) => {
  await page.goto("/organisations", { waitUntil: "networkidle" });
  await expect(page).toHaveURL(/\/sign-in\?next=\/organisations/);
  await expectAccessible(page);
  await screenshot(page, "sign-in");
  await page.getByLabel("Email address").fill("manager@servicecanada.example");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  await expect(page.getByTestId("who")).toContainText("Julie Gagnon");
  await expect(page.getByTestId("who")).toContainText("SC");
  await expect(page.getByTestId("who")).toContainText("Partnership manager");
});

test("a wrong password shows a clear message and nothing else", async ({ page }) => {
  await open(page, "/sign-in");
  await page.getByLabel("Email address").fill("manager@servicecanada.example");
  await page.getByLabel("Password", { exact: true }).fill("not the right password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The email address or the password is not right.");
  await expect(page).toHaveURL(/\/sign-in/);
  await expectAccessible(page);
  await screenshot(page, "sign-in-error");
});

const roles = [
  { email: "reporter@servicensw.example", sees: 2, admin: false, tokens: false },
  { email: "manager@servicecanada.example", sees: 3, admin: false, tokens: true },
  { email: "executive@accessns.example", sees: 2, admin: false, tokens: false },
  { email: "oversight@concord.example", sees: 12, admin: false, tokens: false },
  { email: "admin@concord.example", sees: 12, admin: true, tokens: true },
];

for (const role of roles) {
  test(`${role.email} sees only what their role and organisation allow`, async ({ page }) => {
    await signIn(page, role.email);
    const rows = page.locator("[data-testid=portfolio] tbody tr");
    await expect(rows).toHaveCount(role.sees);
    await expect(page.getByRole("link", { name: "Users" })).toHaveCount(role.admin ? 1 : 0);
    await expect(page.getByRole("link", { name: "API tokens" })).toHaveCount(role.tokens ? 1 : 0);
    // An admin page is refused to everyone else, on the server.
    const response = await page.goto("/admin/users", { waitUntil: "networkidle" });
    expect(response?.status()).toBe(role.admin ? 200 : 403);
  });
}

test("an admin manages users and reads the audit log", async ({ page }) => {
  await signIn(page, "admin@concord.example", "/admin/users");
  const users = page.locator("[data-testid=users] tbody tr");
  await expect(users.first()).toBeVisible();
  const before = await users.count();
  expect(before).toBeGreaterThanOrEqual(15);
  await expectAccessible(page);
  const email = `new.reporter.${Date.now()}@halifax.example`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Name", { exact: true }).fill("Dana Reporter");
  await page.getByLabel("Organisation code").fill("HFX");
  await page.getByLabel("Initial password (12 characters or more)").fill("a long initial password");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(users).toHaveCount(before + 1);
  const row = page.locator("[data-testid=users] tbody tr", { hasText: email });
  await row.getByRole("button", { name: "Reset link" }).click();
  await expect(page.getByTestId("reset-link")).toContainText("/reset-password?token=");
  await screenshot(page, "admin-users");

  await open(page, "/admin/audit");
  await expect(page.locator("[data-testid=audit] tbody tr").first()).toContainText("user.reset_link_issued");
  await expect(page.locator("[data-testid=audit]")).toContainText("user.create");
  await expectAccessible(page);
  await screenshot(page, "admin-audit");
});

test("a manager issues an API token for their own organisation only; it is shown once", async ({ page }) => {
  await signIn(page, "manager@servicecanada.example", "/admin/tokens");
  const name = `Case management system ${Date.now()}`;
  await page.getByLabel("Name (what system uses it)").fill(name);
  // A partner's token is the partner's to issue.
  await page.getByLabel("Organisation code").fill("ACCESSNS");
  await page.getByRole("button", { name: "Issue a token" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByTestId("issued-token")).toHaveCount(0);
  await page.getByLabel("Organisation code").fill("SC");
  await page.getByRole("button", { name: "Issue a token" }).click();
  await expect(page.getByTestId("issued-token")).toContainText("cnc_");
  await expect(page.locator("[data-testid=tokens] tbody tr", { hasText: name })).toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, "api-tokens");
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "executive@accessns.example");
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/", { waitUntil: "networkidle" });
  await expect(page).toHaveURL(/\/sign-in/);
});
