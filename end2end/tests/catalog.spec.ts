import { test, expect } from "@playwright/test";
import { signInWithDemoIdp } from "./flows";

test("search, filter and open a service, without JavaScript", async ({ page }) => {
  await page.goto("/servizi");
  await expect(page.getByText("24 servizi trovati")).toBeVisible();
  await page.getByLabel("Cerca per parole").fill("dimissioni");
  await page.getByRole("button", { name: "Cerca" }).click();
  await expect(page).toHaveURL(/\/servizi\?q=dimissioni/);
  await expect(page.getByText("2 servizi trovati")).toBeVisible();
  await page.goto("/servizi");
  await page.getByLabel("Argomento").selectOption("mobilita-internazionale");
  await page.getByRole("button", { name: "Cerca" }).click();
  await expect(page.getByText("4 servizi trovati")).toBeVisible();
  await page.getByRole("link", { name: "Distacco transnazionale" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Distacco transnazionale");
  await expect(page.getByText("L'impresa distaccante comunica i lavoratori distaccati.")).toBeVisible();
});

test("a level 1 session steps up through the demo IdP and lands in the service", async ({ page }) => {
  // The Ministry's services live elsewhere; answer for them here (no network in tests).
  await page.route("https://servizi.lavoro.gov.it/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<html lang=it><title>Dimissioni</title><h1>Servizio Dimissioni</h1></html>" }));
  await signInWithDemoIdp(page, "Mario Rossi");
  await page.goto("/servizi/dimissioni-volontarie");
  await expect(page.getByText("richiede il livello 2")).toBeVisible();
  await page.getByRole("link", { name: "Accedi al servizio" }).click();
  // Back at the demo IdP, asked for level 2.
  await expect(page.getByText("livello 2")).toBeVisible();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  // Dimissioni volontarie is built into the portal.
  await expect(page).toHaveURL(/\/dimissioni-volontarie$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dimissioni volontarie");
});

// The test command interrupts UNI-Piattaforme and plans maintenance of Silen
// (`servizi-lavoro outage`) before the server starts.
test("an interrupted service says so, until when and what to do; the status page keeps the record", async ({ page }) => {
  await page.goto("/servizi/uni-piattaforme");
  await expect(page.getByRole("heading", { name: "Disservizio in corso" })).toBeVisible();
  await page.getByRole("link", { name: "Accedi al servizio" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("UNI-Piattaforme: servizio non disponibile");
  await expect(page.getByText("Il servizio è in aggiornamento.")).toBeVisible();
  await expect(page.getByText(/^Riprova dopo il \d\d\/\d\d\/\d{4} alle \d\d:\d\d/)).toBeVisible();
  const direct = await page.request.get("/servizi/uni-piattaforme/accedi", { maxRedirects: 0 });
  expect(direct.status()).toBe(503);
  expect(Number(direct.headers()["retry-after"])).toBeGreaterThanOrEqual(60);
  await page.getByRole("link", { name: /Stato dei servizi/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Stato dei servizi");
  await expect(page.getByRole("table", { name: "Interruzioni programmate, per servizio" }).getByRole("link", { name: "Silen" })).toBeVisible();
  await page.goto("/servizi/silen?lang=en");
  await expect(page.getByRole("heading", { name: "Planned interruption" })).toBeVisible();
});
