import { Page, expect } from "@playwright/test";

// Signs in through the demo SPID IdP as `person` (its radio label starts with the name).
export async function signInWithDemoIdp(page: Page, person = "Mario Rossi", opts: { outcome?: string } = {}) {
  await page.goto("/accedi");
  await page.getByText("Entra con SPID").click();
  await page.getByRole("link", { name: /Demo IdP/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con un'identità di prova");
  await page.getByLabel(new RegExp(`^${person}`)).check();
  if (opts.outcome) await page.getByLabel("Esito dell'autenticazione").selectOption(opts.outcome);
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
}
