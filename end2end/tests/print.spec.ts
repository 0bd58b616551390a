import { execFileSync } from "child_process";
import * as fs from "fs";
import { expect, open, serverToday, signIn, test } from "./helpers";

// Print: an agreement, its reconciliation and its compliance, on A4 and on
// Letter, through Chromium's print to PDF. The header, navigation and
// buttons are left out; the reference and the day head every page. The
// first page of each PDF is also turned into a PNG to look at (poppler's
// pdftoppm; pdftotext reads the pages).

const PAGES = ["/agreements/1", "/agreements/1/costs", "/agreements/1/compliance"];

test("an agreement's pages print on A4 and Letter with the reference and the day on every page, and no header, navigation or buttons", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "oversight@concord.example");
  const today = await serverToday(page);
  const reference = (await (await page.request.get("/api/v1/agreements/1")).json()).reference as string;
  const dir = process.env.CONCORD_SCREENSHOTS ?? "screenshots";
  fs.mkdirSync(dir, { recursive: true });
  for (const path of PAGES) {
    await open(page, path);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.getByRole("navigation")).toHaveCount(0);
    // Buttons are left out; a heatmap's cells, buttons whose symbols are
    // the content, are printed.
    const visibleButtons = await page.getByRole("button").evaluateAll((bs) =>
      bs.filter((b) => (b as HTMLElement).offsetParent !== null && !b.classList.contains("cell-button")).length,
    );
    expect(visibleButtons, `buttons printed on ${path}`).toBe(0);
    if (path.endsWith("/compliance")) {
      await expect(page.locator("table.heatmap .cell-button").first()).toBeVisible();
    }
    const head = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--print-head"));
    expect(head).toContain(reference);
    expect(head).toContain(today.slice(0, 4));

    for (const format of ["A4", "Letter"] as const) {
      const name = `print${path.replaceAll("/", "-")}-${format}`;
      const pdf = `${dir}/${name}.pdf`;
      await page.pdf({ path: pdf, format });
      const text = execFileSync("pdftotext", ["-layout", pdf, "-"]).toString();
      const pages = text.split("\f").filter((p) => p.trim() !== "");
      expect(pages.length, `${path} on ${format}`).toBeGreaterThan(0);
      for (const [i, p] of pages.entries()) {
        expect(p, `page ${i + 1} of ${path} on ${format} is headed`).toContain(reference);
        expect(p, `page ${i + 1} of ${path} on ${format} is numbered`).toMatch(new RegExp(`\\b${i + 1}\\s*/\\s*${pages.length}\\b`));
      }
      // Nothing of the screen's header is printed.
      expect(text).not.toContain("Sign out");
      expect(text).not.toContain("Français");
      execFileSync("pdftoppm", ["-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, `${dir}/${name}`]);
    }
    await page.emulateMedia({ media: null });
  }
});
