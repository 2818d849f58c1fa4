import { test, expect } from "@playwright/test";
import { openHelpdesk, signInWithDemoIdp } from "./flows";
import { mailWith, uniqueEmail } from "./foreign-helpers";
import { expireSession } from "./session-helpers";

function linkIn(mail: string, marker: RegExp): string {
  return mail.match(marker)![0].replace(/^https?:\/\/[^/]+/, "");
}

test("find an answer, ask for support, the operator replies, the requester reads it, without JavaScript", async ({ page, browser, baseURL }) => {
  await page.goto("/faq");
  await page.getByLabel("Cerca nelle risposte").fill("revocare dimissioni");
  await page.getByRole("main").getByRole("button", { name: "Cerca" }).click();
  await page.getByRole("link", { name: "Ho cambiato idea: posso revocare le dimissioni?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ho cambiato idea: posso revocare le dimissioni?");
  await page.getByRole("main").getByRole("link", { name: "Chiedi supporto" }).click();
  const email = uniqueEmail("urp");
  await page.getByLabel("Nome e cognome").fill("Ana Pérez");
  await page.getByLabel("Indirizzo e-mail").fill(email);
  await page.getByLabel("Argomento").selectOption("utente-estero");
  await page.getByLabel("Descrivi il problema").fill("Non ricevo l'e-mail di conferma della registrazione.");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla la tua e-mail");
  const confirm = () => { try { return mailWith(email); } catch { return ""; } };
  await expect.poll(confirm).toContain("supporto/conferma?token=");
  await page.goto(linkIn(confirm(), /https?:\/\/\S+supporto\/conferma\?token=[0-9a-f]+/));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Richiesta URP-\d{4}-\d{6}$/);
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Richiesta ", "");

  const other = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
  const ops = await other.newPage();
  await signInWithDemoIdp(ops, "Mario Rossi");
  await openHelpdesk(ops);
  await ops.getByRole("link", { name: "Richieste di supporto" }).click();
  await ops.getByRole("link", { name: number }).click();
  await ops.getByLabel("Testo").fill("Controlla la cartella spam; te l'abbiamo rimandata.");
  await ops.getByRole("button", { name: "Invia la risposta" }).click();
  await expect(ops.getByText("Risposta data")).toBeVisible();
  await other.close();

  const update = () => { try { return mailWith(`${number}: Risposta data`); } catch { return ""; } };
  await expect.poll(update).toContain("chiave=");
  await page.goto(linkIn(update(), /https?:\/\/\S+supporto\/richieste\/\S+chiave=[0-9a-f]+/));
  await expect(page.getByText("Controlla la cartella spam")).toBeVisible();
  await page.getByLabel("Il tuo messaggio").fill("Trovata, grazie!");
  await page.getByRole("button", { name: "Invia il messaggio" }).click();
  await expect(page.getByText("Trovata, grazie!")).toBeVisible();
});

test("a form sent after the session ended is kept and sent after signing in again", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  // The session ends meanwhile (as after 30 minutes without activity).
  await expireSession(page);
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page).toHaveURL(/\/accedi\?next=%2Fmoduli-conservati/);
  await page.getByText("Entra con SPID").click();
  await page.getByRole("link", { name: /Demo IdP/ }).click();
  await page.getByLabel(/^Giulia Bianchi/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Moduli conservati");
  await expect(page.getByText("01234567897")).toBeVisible();
  await page.getByRole("button", { name: "Invia di nuovo" }).click();
  await expect(page).toHaveURL(/\/profili$/);
  await expect(page.getByText("Bianchi Servizi srl").first()).toBeVisible();
  // Sent: not offered again.
  await page.goto("/moduli-conservati");
  await expect(page.getByText("01234567897")).toHaveCount(0);
});
