import { test, expect } from "@playwright/test";
import { signInWithDemoIdp } from "./flows";
import { registeredAndApproved, uniqueEmail, totp, fillRegistration, PNG } from "./foreign-helpers";

test("a foreign user registers, is approved by the helpdesk and signs in with a one-time code, without JavaScript", async ({ page }) => {
  const email = uniqueEmail("ana");
  await registeredAndApproved(page, email, (p) => signInWithDemoIdp(p, "Mario Rossi"));
  await page.goto("/accedi");
  await page.getByRole("link", { name: "Accedi come Utente Estero" }).click();
  await page.getByLabel("Indirizzo e-mail").fill(email);
  await page.getByLabel("Password").fill("tramonto sul Nilo 88");
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Attiva il secondo fattore");
  const secret = (await page.locator("code.secret").textContent())!.trim();
  await page.getByLabel("Codice").fill(totp(secret));
  await page.getByRole("button", { name: "Attiva e accedi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("I tuoi codici di recupero");
  await expect(page.locator(".recovery-codes li")).toHaveCount(10);
  await page.getByRole("link", { name: "Ho salvato i codici, continua" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benvenuto, Ana Pérez");
  await page.getByRole("button", { name: "Esci" }).click();
  // Next time: password, then the code.
  await page.goto("/accesso-utente-estero");
  await page.getByLabel("Indirizzo e-mail").fill(email);
  await page.getByLabel("Password").fill("tramonto sul Nilo 88");
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Codice temporaneo");
  await page.getByLabel("Codice").fill(totp(secret, 1));
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benvenuto, Ana Pérez");
});

test("a registration with an expired document comes back with the error and the values kept", async ({ page }) => {
  await page.goto("/registrazione-utente-estero");
  await fillRegistration(page, uniqueEmail("expired"));
  await page.getByLabel("Data di scadenza").fill("2020-01-01");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("alert")).toContainText("Il documento è scaduto");
  await expect(page.getByLabel("Numero del documento")).toHaveValue("AAB123456");
  await page.getByRole("alert").getByRole("link").click();
  await expect(page).toHaveURL(/#doc_expiry$/);
  void PNG;
});
