import { test, expect } from "@playwright/test";
import { randomCodiceFiscale, signInWithDemoIdp } from "./flows";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

test("Luca asks Giulia's company for a delega; she accepts two services of three; he acts for it from his client list", async ({ page, browser, baseURL }) => {
  // Giulia's company is on the portal (she associates it).
  await signInWithDemoIdp(page, "Giulia Bianchi", { level: "2" });
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();

  // Luca, in his own browser, asks.
  const other = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
  const luca = await other.newPage();
  await signInWithDemoIdp(luca, "Luca Verdi", { level: "2" });
  await luca.goto("/clienti");
  await luca.getByRole("link", { name: "Chiedi una delega a un cliente" }).click();
  await luca.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(luca.getByRole("alert")).toContainText("partita IVA valida");
  await luca.getByLabel("Cliente", { exact: true }).fill("01234567897");
  await luca.getByLabel("Non temporanea").check();
  await luca.getByLabel("Solo i servizi scelti qui sotto").check();
  for (const slug of ["cigsonline", "smart-working", "formazione-a-distanza"]) await luca.locator(`input[value="${slug}"]`).check();
  await luca.getByLabel("Valida fino al").fill(inDays(365));
  await luca.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(luca.locator(".banner--success")).toContainText("Richiesta inviata");
  const request = luca.url().replace(/\?.*$/, "");

  // Giulia finds it among her deleghe and accepts two services, for less time.
  await page.goto("/deleghe");
  await page.getByRole("link", { name: /^Rispondi/ }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Richiesta di delega per Bianchi Servizi srl");
  await page.locator('input[name="servizio"][value="formazione-a-distanza"]').uncheck();
  await page.getByLabel("Valida fino al").fill(inDays(180));
  await page.getByRole("button", { name: "Accetta e conferisci la delega" }).click();
  await expect(page.locator(".banner--success")).toContainText("Hai accettato la richiesta");

  // Luca sees the outcome and acts for the company from his client list.
  await luca.goto(request);
  await expect(luca.getByText("Accettata", { exact: true })).toBeVisible();
  // The delega it became (other journeys may give Luca deleghe from the same company at once).
  const delegaId = (await luca.getByRole("link", { name: "Vai alla delega" }).getAttribute("href"))!.split("/").pop();
  await luca.goto("/clienti?q=bianchi");
  await luca.locator(`form:has(input[value="delega:${delegaId}"])`).getByRole("button", { name: "Opera per questo cliente Bianchi Servizi srl" }).click();
  await expect(luca.getByText("Stai operando come: Bianchi Servizi srl (con delega)")).toBeVisible();
  await other.close();
});

test("Luca asks clients from a file; the report lists the request sent and the line left out", async ({ page }) => {
  await signInWithDemoIdp(page, "Luca Verdi", { level: "2" });
  await page.goto("/clienti");
  await page.getByRole("link", { name: "Chiedi deleghe da un file" }).click();
  await page.getByRole("button", { name: "Invia le richieste" }).click();
  await expect(page.getByRole("alert")).toContainText("Scegli il file da caricare");
  const client = randomCodiceFiscale();
  const csv = `cliente;tipo;servizi;dal;al\n${client};temporanea;tutti;;${inDays(200)}\n123;temporanea;tutti;;${inDays(200)}\n`;
  await page.getByLabel("File CSV delle richieste").setInputFiles({ name: "richieste.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Invia le richieste" }).click();
  await expect(page.locator(".banner--success")).toContainText("File caricato");
  await expect(page.getByText("2 righe: 1 richiesta inviata, 1 riga scartata.")).toBeVisible();
  await expect(page.getByRole("cell", { name: /Scrivi un codice fiscale di persona valido/ })).toBeVisible();
  await page.getByRole("link", { name: new RegExp(`Vedi la richiesta.*${client}`) }).click();
  await expect(page.getByText("In attesa di risposta")).toBeVisible();
});
