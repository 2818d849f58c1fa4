import { defineConfig } from "@playwright/test";

// Debian's Chromium; Playwright downloads no browser of its own.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  // Each test walks a whole journey (sign in, associate a profile, file, revoke…),
  // and the server is a debug build sharing 2 cores with Chromium: on CI two
  // journeys outlasted Playwright's 30 s default while nothing was wrong.
  timeout: 120_000,
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    // The browser asks for Italian, like most of the portal's visitors.
    locale: "it-IT",
    launchOptions,
    trace: "off",
  },
  projects: [
    // The portal needs no JavaScript: every flow is proven with it turned off.
    { name: "no-js", use: { javaScriptEnabled: false }, testIgnore: /a11y/ },
    // axe-core runs inside the page, so it needs JavaScript; the DOM is the same.
    { name: "a11y", testMatch: /a11y/ },
  ],
});
