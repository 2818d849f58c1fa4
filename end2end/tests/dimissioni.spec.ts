import { test, expect, Page } from "@playwright/test";
import { firstStopAfterSkipLink, signInWithDemoIdp } from "./flows";

const MARIO = "RSSMRA80A01H501U";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

// The service asks for SPID level 2: back through the demo IdP, then on.
async function stepUp(page: Page, person: string) {
  await expect(page.getByText("livello 2").first()).toBeVisible();
  await page.getByLabel(new RegExp(`^${person}`)).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
}

async function startAndFindRelationship(page: Page, person: string, worker?: string) {
  await page.goto("/dimissioni-volontarie/nuova");
  await stepUp(page, person);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nuove dimissioni o risoluzione consensuale");
  await page.getByLabel("Confermo che il mio caso non è tra questi").check();
  await page.getByRole("button", { name: "Continua" }).click();
  if (worker) await page.getByLabel("Codice fiscale del lavoratore").fill(worker);
  await page.getByLabel("Codice fiscale del datore di lavoro").fill("01234567897");
  await page.getByRole("button", { name: "Cerca il rapporto" }).click();
  await expect(page.getByText(/Bianchi Servizi srl, dal 01\/04\/2019/)).toBeVisible();
  await page.getByRole("button", { name: "Compila il modulo" }).click();
}

test("Mario Rossi resigns from the demo company and revokes; Giulia Bianchi, as the company, sees the module", async ({ page, browser, baseURL }) => {
  // Level 1: starting the module steps up to 2, which the revoca and the list then have.
  await signInWithDemoIdp(page, "Mario Rossi");
  await startAndFindRelationship(page, "Mario Rossi");
  await page.getByLabel("Tipo di comunicazione").selectOption("dimissioni");
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await expect(page.getByRole("alert")).toContainText("data di decorrenza");
  await page.getByLabel("Data di decorrenza").fill(inDays(20));
  await page.getByLabel("E-mail del lavoratore").fill("mario.rossi@example.org");
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla il modulo");
  // Skip link, then the first Tab stop is the act itself (no breadcrumb before it).
  await expect(await firstStopAfterSkipLink(page)).toHaveText("Trasmetti");
  await page.getByRole("button", { name: "Trasmetti" }).click();
  // The confirmation: the code large, whom it reached, until when it can be revoked.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dimissioni trasmesse");
  const code = (await page.locator(".panel__reference").textContent())!.trim();
  expect(code).toMatch(/^\d{17}$/);
  await expect(page.getByText(/revocarle entro le 23:59 del \d{2}\/\d{2}\/\d{4}/)).toBeVisible();
  await page.getByRole("link", { name: "Vedi il modulo e l'esito di ogni invio" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Modulo ${code}`);
  await expect(page.getByRole("cell", { name: "Ispettorato territoriale del lavoro" })).toBeVisible();
  await page.getByLabel(/^Confermo di voler revocare/).check();
  await page.getByRole("button", { name: "Revoca il modulo" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revoca trasmessa");
  await page.goto("/dimissioni-volontarie");
  await expect(page.getByRole("row", { name: new RegExp(`${code}.*Revocato`) })).toBeVisible();

  const other = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
  const giulia = await other.newPage();
  // The company's list of modules needs level 2 (Mario got it by stepping up).
  await signInWithDemoIdp(giulia, "Giulia Bianchi", { level: "2" });
  await giulia.goto("/profili/associa");
  await giulia.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await giulia.getByRole("button", { name: "Associa il profilo" }).click();
  await giulia.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  await giulia.goto(`/dimissioni-volontarie?lavoratore=${MARIO}`);
  await giulia.getByRole("link", { name: code }).click();
  await expect(giulia.getByRole("heading", { level: 1 })).toHaveText(`Modulo ${code}`);
  await expect(giulia.getByRole("button", { name: "Revoca il modulo" })).toHaveCount(0);
  await other.close();
});

test("a soggetto abilitato files for a worker with the PIN of the paper delega", async ({ page }) => {
  await signInWithDemoIdp(page, "Luca Verdi");
  await page.goto("/profili");
  await page.getByRole("button", { name: /^Opera come Studio Luca Verdi/ }).click();
  await startAndFindRelationship(page, "Luca Verdi", MARIO);
  await page.getByLabel("Cognome").fill("Rossi");
  await page.getByLabel("Nome", { exact: true }).fill("Mario");
  await page.getByLabel("E-mail del lavoratore").fill("mario.rossi@example.org");
  await page.getByLabel("Tipo di comunicazione").selectOption("risoluzione_consensuale");
  await page.getByLabel("Data di decorrenza").fill(inDays(30));
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await page.getByRole("button", { name: "Genera la delega con PIN" }).click();
  const pin = (await page.locator("code.secret").textContent())!.trim();
  expect(pin).toMatch(/^\d{13}$/);
  await page.getByLabel("PIN della delega firmata").fill("1111111111111");
  await page.getByRole("button", { name: "Trasmetti" }).click();
  await expect(page.getByRole("alert")).toContainText("non è quello della delega");
  await page.getByLabel("PIN della delega firmata").fill(pin);
  await page.getByRole("button", { name: "Trasmetti" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Risoluzione consensuale trasmessa");
  await expect(page.getByText(/Il lavoratore può revocarle entro le 23:59/)).toBeVisible();
});
