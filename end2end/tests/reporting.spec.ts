import { expect, expectAccessible, open, screenshot, signIn, test } from "./helpers";

const REPORTER = "reporter@canadapost.example";

async function commitments(page) {
  const list = await (await page.request.get("/api/v1/agreements?q=AGR-2023-0003")).json();
  const id = list.items[0].id;
  const a = await (await page.request.get(`/api/v1/agreements/${id}`)).json();
  const by = (kpi: string) => a.commitments.find((c) => c.kpi === kpi).id;
  return {
    id,
    days: by("processing_time_days"),
    pct: by("service_standard_met_pct"),
    wait: by("in_person_wait_min"),
  };
}

/** What the signed-in reporter owes: periods due, then periods missing (newest first). */
async function owed(page) {
  const r = await page.request.get("/api/v1/reports/due");
  expect(r.status()).toBe(200);
  const home = await r.json();
  return [...home.due, ...home.missing];
}

test("a reporter reports a period by hand, checked as they type", async ({ page }) => {
  await signIn(page, REPORTER);
  // The most pressing period Canada Post owes for its processing time: the
  // demo leaves some unreported, whatever day it was seeded on.
  const item = (await owed(page)).find((i) => i.reference === "AGR-2023-0003" && i.kpi === "processing_time_days");
  expect(item, "a processing-time period is owed").toBeTruthy();
  await open(page, "/reporting");
  await expect(page.getByTestId("due").or(page.getByTestId("missing")).first()).toContainText("AGR-2023-0003");
  // What is overdue is listed first, then what is due now; an empty list
  // says why it is empty.
  const sections = await page.locator("main h2").allTextContents();
  const overdue = sections.findIndex((h) => h.startsWith("Overdue"));
  const dueNow = sections.findIndex((h) => h.startsWith("Due now"));
  expect(overdue, `sections: ${sections.join(" | ")}`).toBeGreaterThanOrEqual(0);
  expect(overdue).toBeLessThan(dueNow);
  for (const list of ["missing", "due"]) {
    if ((await page.getByTestId(list).count()) === 0) {
      await expect(page.getByTestId(`${list}-empty`)).toContainText(list === "missing" ? "Nothing is overdue" : "No report is due now");
    }
  }
  await page.getByRole("row", { name: /Processing time/ }).filter({ hasText: "AGR-2023-0003" }).filter({ hasText: item.period })
    .getByRole("button", { name: /^Report/ }).click();
  const form = page.getByTestId("report-form");
  await form.locator("#r-value").fill("-3");
  await expect(page.getByTestId("value-problem")).toContainText("cannot be negative");
  await form.locator("#r-value").fill("2.5");
  await expect(page.getByTestId("value-problem")).toHaveText("");
  await form.locator("#r-comment").fill("Counted from the case system.");
  await form.getByRole("button", { name: "Submit the report" }).click();
  await expect(page.getByTestId("report-receipt")).toContainText("Met");
  await screenshot(page, "reporting-form");
  await expectAccessible(page);
});

test("a reporter uploads a CSV with two bad rows, fixes it and sees the heatmap change", async ({ page }) => {
  await signIn(page, REPORTER);
  const c = await commitments(page);
  // A month whose wait time is owed: the newest the demo left unreported
  // (its processing time and service standard were reported).
  const item = (await owed(page)).find((i) => i.commitment_id === c.wait);
  expect(item, "a wait-time period is owed").toBeTruthy();
  const month: string = item.period;
  const year = month.slice(0, 4);
  await open(page, `/agreements/${c.id}/compliance?year=${year}`);
  await expect(page.getByTestId("heatmap-monthly")).toBeVisible();
  const before = await page.locator(`[data-commitment="${c.wait}"] button[aria-label^="${month}:"]`).getAttribute("data-status");
  expect(["pending", "missing"]).toContain(before);

  await open(page, "/reporting");
  const upload = page.getByTestId("reports-upload");
  const header = "commitment_id,period,value,numerator,denominator,volume,comment\n";
  await upload.locator("#rep-file").setInputFiles({
    name: "reports.csv", mimeType: "text/csv",
    buffer: Buffer.from(header + `${c.pct},${month},101,,,1000,\n${c.days},${month},-1,,,,\n${c.wait},${month},8,,,,\n`),
  });
  await upload.getByRole("button", { name: "Upload" }).click();
  const errors = page.getByTestId("reports-upload-errors");
  await expect(errors).toContainText("Line 2");
  await expect(errors).toContainText("Line 3");
  await expect(errors).not.toContainText("Line 4");
  await screenshot(page, "reporting-upload-errors");

  await upload.locator("#rep-file").setInputFiles({
    name: "reports.csv", mimeType: "text/csv",
    buffer: Buffer.from(header + `${c.pct},${month},97,,,1000,\n${c.days},${month},2.5,,,,\n${c.wait},${month},8,,,,\n`),
  });
  await upload.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("reports-upload-ok")).toContainText("3 row(s) imported");

  await open(page, `/agreements/${c.id}/compliance?year=${year}`);
  const after = page.locator(`[data-commitment="${c.wait}"] button[aria-label^="${month}:"]`);
  await expect(after).toHaveAttribute("data-status", "met");
  // Corrections stay visible: the days commitment now has two revisions.
  await page.locator(`[data-commitment="${c.days}"] button[aria-label^="${month}:"]`).click();
  await expect(page.getByTestId("revisions")).toContainText("superseded");
  // A filter lives in the URL.
  await page.locator("#f-kpi").selectOption("in_person_wait_min");
  await expect(page).toHaveURL(/kpi=in_person_wait_min/);
  await expect(page.locator(`[data-commitment="${c.days}"]`)).toHaveCount(0);
  await screenshot(page, "compliance-heatmap");
  await expectAccessible(page);
});
