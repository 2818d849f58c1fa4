import { test, expect } from "@playwright/test";
import { signInWithDemoIdp } from "./flows";

test("Giulia Bianchi associates her company, acts for it and back, without JavaScript", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await expect(page.getByText("Stai operando come: Cittadino")).toBeVisible();
  await page.getByRole("link", { name: "Stai operando come: Cittadino" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gestione profili");
  await page.getByRole("link", { name: "Associa un profilo" }).click();
  await page.getByLabel("Codice fiscale dell'azienda").fill("0123456789");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page.getByRole("alert")).toContainText("codice fiscale di 11 cifre");
  await expect(page.getByLabel("Codice fiscale dell'azienda")).toHaveValue("0123456789");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page).toHaveURL(/\/profili$/);
  await expect(page.getByRole("cell", { name: "Bianchi Servizi srl 01234567897" })).toBeVisible();
  await page.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  await expect(page.getByText("Stai operando come: Bianchi Servizi srl")).toBeVisible();
  // The catalog follows the profile.
  await page.goto("/servizi");
  await expect(page.getByText(/come Azienda\./)).toBeVisible();
  await page.goto("/profili");
  await page.getByRole("button", { name: "Opera come Cittadino" }).click();
  await expect(page.getByText("Stai operando come: Cittadino")).toBeVisible();
});
