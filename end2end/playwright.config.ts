import { defineConfig } from "@playwright/test";

// Debian's Chromium: Playwright must never download a browser here.
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// One server per worker: `CONCORD_URLS` (comma-separated) gives one URL
// per worker, each a server over its own copy of the demo (scripts/test.sh
// starts them), since journeys change data and two side by side must not
// share a database. Playwright evaluates this file in every worker too,
// where TEST_PARALLEL_INDEX says which worker it is. `CONCORD_URL` alone
// means one server and one worker.
const urls = (
  process.env.CONCORD_URLS ??
  process.env.CONCORD_URL ??
  "http://127.0.0.1:3000"
).split(",");
const baseURL = urls[Number(process.env.TEST_PARALLEL_INDEX ?? "0") % urls.length];

export default defineConfig({
  testDir: "./tests",
  // Two workers share two cores with their servers: a long journey
  // takes longer than it would alone.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  workers: urls.length,
  // No retry: a journey that fails once fails the run. (The header's rare
  // hydration mismatch, once hidden by a retry, is fixed at its root: see
  // `Header` in app/src/ui/mod.rs.)
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "off",
    launchOptions: {
      executablePath,
      args: [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
