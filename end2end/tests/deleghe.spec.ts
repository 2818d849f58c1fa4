import { test, expect } from "@playwright/test";
import { signInWithDemoIdp } from "./flows";

// Luca Verdi's codice fiscale on the demo IdP.
const LUCA = "VRDLCU75C15L219T";

function inAYear(): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

test("a legale rappresentante delegates one service; the delegate accepts, uses exactly that one, and loses it when revoked", async ({ page, browser, baseURL }) => {
  // Granting, answering and revoking a delega need level 2.
  await signInWithDemoIdp(page, "Giulia Bianchi", { level: "2" });
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await page.goto("/deleghe");
  await page.getByRole("link", { name: "Conferisci una delega" }).click();
  await page.getByLabel("Per conto di").selectOption({ label: "Bianchi Servizi srl" });
  await page.getByRole("button", { name: "Scegli" }).click();
  await expect(page.getByText("Per conto di: Bianchi Servizi srl")).toBeVisible();
  await page.getByLabel("Codice fiscale del delegato").fill(LUCA);
  await page.getByLabel("Non temporanea").check();
  await page.getByLabel("Solo i servizi scelti qui sotto").check();
  await page.locator('input[value="smart-working"]').check();
  await page.getByLabel("Valida fino al").fill(inAYear());
  await page.getByRole("button", { name: "Continua" }).click();
  // Check your answers: the services in words, then the act.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla la delega prima di conferirla");
  // The delegate by name once they have signed in, else the codice fiscale and "not yet registered".
  await expect(page.getByText(new RegExp(`(Luca Verdi \\(${LUCA}\\)|${LUCA} \\(non ancora registrato sul portale\\))`))).toBeVisible();
  await expect(page.getByText("Smart working", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Conferisci la delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delega conferita");
  await expect(page.getByRole("heading", { name: "Cosa succede ora" })).toBeVisible();
  await page.getByRole("link", { name: "Vai alla delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delega per Bianchi Servizi srl");
  await expect(page.getByText("In attesa di risposta")).toBeVisible();
  const delega = page.url();
  // Other journeys running at once may give Luca deleghe from the same company: this one by its id.
  const delegaPath = new URL(delega).pathname;
  const delegaId = delegaPath.split("/").pop();

  // Luca, in his own browser, accepts and acts for the company.
  const other = await browser.newContext({ baseURL, javaScriptEnabled: false, locale: "it-IT" });
  const luca = await other.newPage();
  await luca.route("https://servizi.lavoro.gov.it/**", (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<html lang=it><title>Smart working</title><h1>Servizio Smart working</h1></html>" }));
  await signInWithDemoIdp(luca, "Luca Verdi", { level: "2" });
  await expect(luca.getByText("deleghe conferite a te")).toBeVisible();
  await luca.getByRole("link", { name: "Vai alle deleghe" }).click();
  await luca.locator(`a[href="${delegaPath}"]`).first().click();
  await luca.getByRole("button", { name: "Accetta la delega" }).click();
  await expect(luca.getByText("In vigore", { exact: true })).toBeVisible();
  // Luca finds the company in his client list and acts for it in one click.
  await luca.goto("/clienti?q=bianchi");
  await expect(luca.getByRole("heading", { level: 1 })).toHaveText("I miei clienti");
  await luca.locator(`form:has(input[value="delega:${delegaId}"])`).getByRole("button", { name: "Opera per questo cliente Bianchi Servizi srl" }).click();
  await expect(luca).toHaveURL(/\/servizi$/);
  await expect(luca.getByText("Stai operando come: Bianchi Servizi srl (con delega)")).toBeVisible();
  await luca.goto("/servizi/intermittenti/accedi");
  await expect(luca.getByText("non comprende questo servizio")).toBeVisible();
  await luca.goto("/servizi/smart-working");
  await luca.getByRole("link", { name: "Accedi al servizio" }).click();
  await expect(luca).toHaveURL("https://servizi.lavoro.gov.it/SmartWorking");

  // Giulia revokes; Luca's next request is as Cittadino again.
  await page.goto(delega);
  // What the delegate did is named in words, with the service's page.
  const used = page.getByRole("row", { name: /Smart working/ }).first();
  await expect(used).toBeVisible();
  await expect(used.getByRole("link", { name: "Smart working" })).toHaveAttribute("href", "/servizi/smart-working");
  await page.getByRole("button", { name: "Revoca la delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revocare la delega?");
  await page.getByRole("button", { name: "Sì, revoca la delega" }).click();
  await expect(page.locator(".banner--success")).toContainText("Hai revocato la delega");
  await expect(page.getByText("Revocata").first()).toBeVisible();
  await luca.goto("/");
  await expect(luca.getByText("Stai operando come: Cittadino")).toBeVisible();
  await luca.goto("/servizi/smart-working/accedi");
  await expect(luca.getByRole("heading", { level: 1 })).not.toHaveText("Servizio Smart working");
  await other.close();
});
