import { Page, expect } from "@playwright/test";

// Signs in through the demo SPID IdP as `person` (its radio label starts with the name),
// at level 1 unless `level` says otherwise: managing an organisation, deleghe
// and Dimissioni volontarie need level 2, and a level-1 session steps up first.
export async function signInWithDemoIdp(page: Page, person = "Mario Rossi", opts: { outcome?: string; level?: "1" | "2" } = {}) {
  await page.goto("/accedi");
  await page.getByText("Entra con SPID").click();
  await page.getByRole("link", { name: /Demo IdP/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con un'identità di prova");
  await page.getByLabel(new RegExp(`^${person}`)).check();
  if (opts.level) await page.getByLabel("Livello da attestare").selectOption(opts.level);
  if (opts.outcome) await page.getByLabel("Esito dell'autenticazione").selectOption(opts.outcome);
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
}

// The helpdesk console asks operators for SPID level 2: the first visit after
// a level-1 sign-in goes through the demo IdP again (step-up), then back.
export async function openHelpdesk(page: Page, person = "Mario Rossi") {
  await page.goto("/assistenza");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con un'identità di prova");
  await expect(page.getByLabel("Livello da attestare")).toHaveValue("2");
  await page.getByLabel(new RegExp(`^${person}`)).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expect(page).toHaveURL(/\/assistenza$/);
}

// What a keyboard reaches first on this page: Tab to the skip link, Enter,
// then one Tab into the page's own content (the breadcrumb is outside main).
export async function firstStopAfterSkipLink(page: Page) {
  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: /^(Vai al contenuto principale|Skip to main content)$/ })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  return page.locator(":focus");
}

/** A valid codice fiscale nobody else in the tests uses (a random birth day and place). */
export function randomCodiceFiscale(): string {
  const odd: Record<string, number> = {};
  const oddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("").forEach((c, i) => (odd[c] = oddValues[i]));
  "0123456789".split("").forEach((c, i) => (odd[c] = oddValues[i]));
  const even = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = 1 + Math.floor(Math.random() * 28);
  const year = 50 + Math.floor(Math.random() * 50);
  const place = `F${String(100 + Math.floor(Math.random() * 899))}`;
  const base = `TSTBLK${pad(year)}A${pad(day)}${place}`;
  const sum = base.split("").reduce((s, c, i) => s + (i % 2 === 0 ? odd[c] : even(c)), 0);
  return base + String.fromCharCode(65 + (sum % 26));
}
