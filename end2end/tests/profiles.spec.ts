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
  await expect(page.getByRole("cell", { name: /^Bianchi Servizi srl Impresa · 01234567897/ })).toBeVisible();
  await page.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  await expect(page.getByText("Stai operando come: Bianchi Servizi srl")).toBeVisible();
  // The catalog follows the profile.
  await page.goto("/servizi");
  await expect(page.getByText(/come Azienda\./)).toBeVisible();
  await page.goto("/profili");
  await page.getByRole("button", { name: "Opera come Cittadino" }).click();
  await expect(page.getByText("Stai operando come: Cittadino")).toBeVisible();
});

// Anna Esposito's, Luca Verdi's and Mario Rossi's codici fiscali on the demo IdP.
const ANNA = "SPSNNA90T64F839O";
const LUCA = "VRDLCU75C15L219T";
const MARIO = "RSSMRA80A01H501U";

function inDays(n: number): string {
  return new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
}

test("Giulia invites a colleague, who accepts after signing in and acts for the company; both show in the activity", async ({ page, browser, baseURL }) => {
  // Managing the company and answering an invitation need level 2.
  await signInWithDemoIdp(page, "Giulia Bianchi", { level: "2" });
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await page.getByRole("link", { name: "Gestisci membri e attività Bianchi Servizi srl" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bianchi Servizi srl");
  const organisation = page.url();
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("alert")).toContainText("codice fiscale di persona valido");
  await page.getByLabel("Codice fiscale del collega").fill(ANNA);
  await page.getByLabel("Ruolo", { exact: true }).selectOption("operatore");
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla l'invito prima di inviarlo");
  await page.getByRole("button", { name: "Invia l'invito" }).click();
  await expect(page.locator(".banner--success")).toContainText(`Invito inviato a ${ANNA} come Operatore`);
  await expect(page.getByRole("row", { name: new RegExp(`${ANNA}.*In attesa di risposta`) })).toBeVisible();

  // Anna, in her own browser, finds the invitation after signing in.
  const other = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
  const anna = await other.newPage();
  await signInWithDemoIdp(anna, "Anna Esposito", { level: "2" });
  await expect(anna.getByText("aspettano la tua risposta")).toBeVisible();
  await anna.getByRole("link", { name: "Rispondi in Gestione profili" }).click();
  await expect(anna.getByText("Giulia Bianchi ti invita a operare per Bianchi Servizi srl come Operatore")).toBeVisible();
  await anna.getByRole("button", { name: "Accetta l'invito" }).click();
  await anna.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  await expect(anna.getByText("Stai operando come: Bianchi Servizi srl (operatore)")).toBeVisible();
  await anna.goto("/servizi");
  await expect(anna.getByText(/come Azienda\./)).toBeVisible();
  await anna.goto("/area-personale/attivita");
  await expect(anna.getByRole("row", { name: /Cambio di profilo.*Bianchi Servizi srl/ }).first()).toBeVisible();

  // Giulia gives Anna only CIGSonline; Anna meets it on her next page, without signing in again.
  await page.reload();
  await expect(page.getByRole("row", { name: /Anna Esposito/ })).toContainText("Servizi: Tutti i servizi dell'organizzazione.");
  await page.getByRole("link", { name: "Scegli i servizi Anna Esposito" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Servizi di Anna Esposito");
  await page.getByLabel("Solo i servizi scelti qui sotto").check();
  await page.getByRole("button", { name: "Salva i servizi" }).click();
  await expect(page.getByRole("alert")).toContainText("Scegli almeno un servizio");
  await page.getByLabel("CIGSonline", { exact: true }).check();
  await page.getByRole("button", { name: "Salva i servizi" }).click();
  await expect(page.locator(".banner--success")).toContainText("Servizi di Anna Esposito aggiornati: CIGSonline.");
  await anna.goto("/servizi/smart-working/accedi");
  await expect(anna.getByRole("heading", { level: 1 })).toHaveText("Non puoi ancora usare questo servizio");
  await expect(anna.getByText("ti ha assegnato altri servizi")).toBeVisible();
  await anna.goto("/servizi");
  await expect(anna.getByText("ti ha assegnato altri servizi").first()).toBeVisible();

  // Acting for the company, Giulia asks Luca and Mario for deleghe; each accepts in their own browser.
  await page.goto("/profili");
  await page.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  const asked = new Map<string, string>();
  for (const [name, cf] of [["Luca Verdi", LUCA], ["Mario Rossi", MARIO]]) {
    await page.goto("/clienti/richiesta");
    await page.getByLabel("Cliente", { exact: true }).fill(cf);
    await page.getByLabel("Non temporanea").check();
    await page.getByLabel("Tutti i servizi che il cliente può delegare").check();
    await page.getByLabel("Valida fino al").fill(inDays(365));
    await page.getByRole("button", { name: "Invia la richiesta" }).click();
    await expect(page.locator(".banner--success")).toContainText("Richiesta inviata");
    asked.set(name, page.url().replace(/\?.*$/, ""));
  }
  for (const [name, request] of asked) {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
    const client = await context.newPage();
    await signInWithDemoIdp(client, name, { level: "2" });
    await client.goto(request);
    await expect(client.getByText("Bianchi Servizi srl – Giulia Bianchi")).toBeVisible();
    await client.getByRole("button", { name: "Accetta e conferisci la delega" }).click();
    await expect(client.locator(".banner--success")).toContainText("Hai accettato la richiesta");
    await context.close();
  }
  // The company holds both; Anna, in no work group yet, acts for neither.
  await page.goto("/clienti");
  await expect(page.getByRole("button", { name: "Opera per questo cliente Luca Verdi" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Opera per questo cliente Mario Rossi" })).toBeVisible();
  await anna.goto("/clienti");
  await expect(anna.getByRole("row", { name: /Luca Verdi|Mario Rossi/ })).toHaveCount(0);

  // Giulia gives Anna only Luca: a work group with the two of them.
  await page.goto(organisation);
  await page.getByRole("link", { name: "Gruppi di lavoro" }).click();
  await page.getByRole("button", { name: "Crea il gruppo" }).click();
  await expect(page.getByRole("alert")).toContainText("Scrivi il nome del gruppo");
  await page.getByLabel("Nome del gruppo").fill("Clienti di Anna");
  await page.getByRole("button", { name: "Crea il gruppo" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gruppo di lavoro «Clienti di Anna»");
  await page.getByLabel(/Anna Esposito/).check();
  await page.getByRole("button", { name: "Salva gli operatori" }).click();
  await expect(page.locator(".banner--success")).toContainText("Gli operatori del gruppo sono stati aggiornati");
  await page.getByLabel("Aggiungi clienti").fill(LUCA);
  await page.getByRole("button", { name: "Aggiungi al gruppo" }).click();
  await expect(page.locator(".banner--success")).toContainText("I clienti sono stati aggiunti al gruppo");
  await expect(page.getByRole("row", { name: /Luca Verdi/ })).toBeVisible();

  // Anna's next page: Luca and only Luca; she acts for him in one click.
  await anna.goto("/clienti");
  await expect(anna.getByRole("row", { name: /Mario Rossi/ })).toHaveCount(0);
  await anna.getByRole("button", { name: "Opera per questo cliente Luca Verdi" }).click();
  await expect(anna.getByText("Stai operando come: Luca Verdi (con delega)")).toBeVisible();
  await other.close();
  await page.goto("/profili");
  await page.getByRole("button", { name: "Opera come Cittadino" }).click();
  await page.goto(organisation);

  // Anna's row can be removed, after a question (the same page as the delega's
  // revoca question, which the a11y tests check with axe); Giulia's own says why not.
  await page.reload();
  await expect(page.getByText("Non rimovibile: è l'unica persona che gestisce l'organizzazione.")).toBeVisible();
  await page.getByRole("row", { name: /Anna Esposito/ }).getByRole("link", { name: /^Rimuovi/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rimuovere questo membro?");
  await page.getByRole("link", { name: "No, torna ai membri" }).click();

  // Giulia sees both in the company's activity.
  await page.getByRole("link", { name: "Attività dell'organizzazione: chi ha fatto cosa" }).click();
  await expect(page.getByRole("row", { name: /Giulia Bianchi.*Invito di un collega/ }).first()).toBeVisible();
  await expect(page.getByRole("row", { name: /Anna Esposito.*Invito accettato/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Anna Esposito.*Cambio di profilo/ }).first()).toBeVisible();
  await expect(page.getByRole("row", { name: /Giulia Bianchi.*Servizi di un operatore.*da tutti i servizi a CIGSonline/ })).toBeVisible();
  await expect(page.getByRole("row", { name: /Giulia Bianchi.*Gruppo di lavoro modificato.*Clienti di Anna/ }).first()).toBeVisible();
});

test("a level 1 session steps up to manage the company and lands on its page", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page).toHaveURL(/\/profili$/);
  await page.getByRole("link", { name: "Gestisci membri e attività Bianchi Servizi srl" }).click();
  // Managing an organisation needs level 2: back at the demo IdP, asked for it.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con un'identità di prova");
  await expect(page.getByLabel("Livello da attestare")).toHaveValue("2");
  await page.getByLabel(/^Giulia Bianchi/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expect(page).toHaveURL(/\/profili\/organizzazioni\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bianchi Servizi srl");
});
