import { test, expect } from "@playwright/test";
import { PAGES } from "./pages";
import { firstStopAfterSkipLink } from "./flows";

test("the skip link is the first Tab stop and moves focus to main", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Vai al contenuto principale" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("every page loads without JavaScript, with its title and one h1", async ({ page }) => {
  for (const path of PAGES) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(200);
    await expect(page).toHaveTitle(/\| Servizi Lavoro$/);
    await expect(page.locator("h1")).toHaveCount(1);
  }
});

test("a visitor finds the ways to sign in and switches to English", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Servizi Lavoro");
  await page.getByRole("link", { name: "Accedi ai servizi" }).click();
  await expect(page).toHaveURL(/\/accedi$/);
  await expect(page.getByRole("heading", { name: "Come accedere" })).toBeVisible();
  for (const name of ["SPID", "Utente Estero"]) {
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  }
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { name: "How to sign in" })).toBeVisible();
  // The choice is remembered: the next page is in English without ?lang.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { name: "Four ways to sign in" })).toBeVisible();
});

test("an unknown address shows a localized 404 page", async ({ page }) => {
  const res = await page.goto("/non-esiste?lang=en");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("the page's primary action is three keystrokes away: Tab, Enter on the skip link, Tab", async ({ page }) => {
  await page.goto("/accedi");
  await expect(await firstStopAfterSkipLink(page)).toHaveText("Entra con SPID");
  await page.goto("/accedi?lang=en");
  await expect(await firstStopAfterSkipLink(page)).toHaveText("Sign in with SPID");
  await page.goto("/faq");
  await expect(await firstStopAfterSkipLink(page)).toHaveAttribute("name", "q");
});
