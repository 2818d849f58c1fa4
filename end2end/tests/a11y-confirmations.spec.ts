import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { randomCodiceFiscale, signInWithDemoIdp } from "./flows";

// Issue 25's new steps — check your answers, the question before an
// irreversible act, the confirmation page, stacked tables — at a phone's
// 320 px and at 1280 px, in both languages: axe finds nothing and nothing
// scrolls sideways. With SCREENSHOT_DIR set, each step is also saved as a
// picture (the README's screenshots come from here).
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function checkPage(page: Page, name: string) {
  const axe = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(axe.violations.map((v) => `${name}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  if (process.env.SCREENSHOT_DIR) {
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/${name}-${width}.png`, fullPage: true });
  }
}

async function inBothLanguages(page: Page, name: string) {
  await checkPage(page, `${name}-it`);
  const url = new URL(page.url());
  url.searchParams.set("lang", "en");
  await page.goto(url.toString());
  await checkPage(page, `${name}-en`);
}

for (const width of [320, 1280]) {
  test(`a delega checked, granted and asked about before revoking, at ${width} px in both languages`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInWithDemoIdp(page, "Mario Rossi", { level: "2" });
    await page.goto("/deleghe/nuova?lang=it");
    await checkPage(page, "delega-form-it"); // the radios and checkboxes
    // A delegate of its own per width: the two widths run at once, and a
    // second live delega to the same person would be refused.
    await page.getByLabel("Codice fiscale del delegato").fill(width === 320 ? "VRDLCU75C15L219T" : "BNCGLI85M41F205B");
    await page.getByLabel("Non temporanea").check();
    await page.getByLabel("Solo i servizi scelti qui sotto").check();
    await page.locator('input[value="formazione-a-distanza"]').check();
    const end = new Date(Date.now() + 60 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel("Valida fino al").fill(end);
    await page.getByRole("button", { name: "Continua" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla la delega prima di conferirla");
    await checkPage(page, "delega-check-it");
    await page.getByRole("button", { name: "Conferisci la delega" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delega conferita");
    const granted = page.url();
    await inBothLanguages(page, "delega-granted");
    await page.goto(granted.replace(/\?.*$/, "?lang=it"));
    await page.getByRole("button", { name: "Revoca la delega" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revocare la delega?");
    await checkPage(page, "delega-revoke-question-it");
    await page.getByRole("button", { name: "Sì, revoca la delega" }).click();
    await expect(page.locator(".banner--success")).toContainText("Hai revocato la delega");
    await inBothLanguages(page, "delega-revoked");
  });

  test(`the sessions table reads as a list on a phone, at ${width} px in both languages`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInWithDemoIdp(page, "Mario Rossi");
    await page.goto("/area-personale/sessioni?lang=it");
    const row = page.locator(".table--stack tbody tr").first();
    const display = await row.evaluate((el) => getComputedStyle(el).display);
    expect(display).toBe(width <= 600 ? "block" : "table-row");
    await inBothLanguages(page, "sessions");
  });
}

for (const width of [320, 1280]) {
  test(`a consultant's client list, searched, at ${width} px in both languages`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInWithDemoIdp(page, "Luca Verdi");
    await page.goto("/clienti?lang=it");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("I miei clienti");
    await page.getByLabel("Cerca per nome o codice fiscale").fill("Bianchi");
    await page.getByLabel("Le deleghe temporanee").check();
    await page.getByRole("button", { name: "Applica" }).click();
    await expect(page.getByLabel("Cerca per nome o codice fiscale")).toHaveValue("Bianchi");
    await inBothLanguages(page, "clients");
  });
}

test("asking a client for a delega and the request's page, in both languages", async ({ page }) => {
  await signInWithDemoIdp(page, "Luca Verdi", { level: "2" });
  await page.goto("/clienti/richiesta?lang=it");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await checkPage(page, "request-form-errors-it");
  await page.getByLabel("Cliente", { exact: true }).fill("RSSMRA80A01H501U");
  await page.getByLabel("Temporanea", { exact: true }).check();
  await page.getByLabel("Tutti i servizi che il cliente può delegare").check();
  await page.getByLabel("Valida fino al").fill(new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.locator(".banner--success")).toBeVisible();
  await inBothLanguages(page, "request");
  await page.goto("/clienti/richiesta?lang=en");
  await checkPage(page, "request-form-en");
});

for (const width of [320, 1280]) {
  test(`asking clients from a file and its report, at ${width} px in both languages`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInWithDemoIdp(page, "Luca Verdi", { level: "2" });
    await page.goto("/clienti/richieste/elenco?lang=it");
    await page.getByRole("button", { name: "Invia le richieste" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await checkPage(page, "bulk-form-errors-it");
    await page.goto("/clienti/richieste/elenco?lang=en");
    await checkPage(page, "bulk-form-en");
    await page.goto("/clienti/richieste/elenco?lang=it");
    const until = new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10);
    const csv = `cliente;tipo;servizi;dal;al\n${randomCodiceFiscale()};temporanea;tutti;;${until}\n123;per sempre;;;\n`;
    await page.getByLabel("File CSV delle richieste").setInputFiles({ name: "richieste.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Invia le richieste" }).click();
    await expect(page.locator(".banner--success")).toBeVisible();
    await inBothLanguages(page, "bulk-report");
  });
}

for (const width of [320, 1280]) {
  test(`an organisation's work groups, a group and deleting one, at ${width} px in both languages`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await signInWithDemoIdp(page, "Giulia Bianchi", { level: "2" });
    await page.goto("/profili/associa");
    await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
    await page.getByRole("button", { name: "Associa il profilo" }).click();
    await page.getByRole("link", { name: "Gestisci membri e attività Bianchi Servizi srl" }).click();
    await page.getByRole("link", { name: "Gruppi di lavoro" }).click();
    await page.getByRole("button", { name: "Crea il gruppo" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await checkPage(page, `groups-errors-it`);
    await page.getByLabel("Nome del gruppo").fill(`Gruppo ${width} ${Date.now()}`);
    await page.getByRole("button", { name: "Crea il gruppo" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Gruppo di lavoro");
    const group = page.url();
    await page.getByLabel("Aggiungi clienti").fill("ABC");
    await page.getByRole("button", { name: "Aggiungi al gruppo" }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await checkPage(page, "group-errors-it");
    await page.goto(`${group}?lang=en`);
    await checkPage(page, "group-en");
    await page.goto(`${group}/elimina?lang=it`);
    await inBothLanguages(page, "group-delete");
    await page.goto(`${group}/elimina?lang=it`);
    await page.getByRole("button", { name: "Elimina il gruppo" }).click();
    await expect(page.locator(".banner--success")).toContainText("Il gruppo è stato eliminato");
    await inBothLanguages(page, "groups");
  });
}
