import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { PAGES, LANGS, UNAVAILABLE } from "./pages";
import { openHelpdesk, signInWithDemoIdp } from "./flows";
import { mailWith, totp } from "./foreign-helpers";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

for (const lang of LANGS) {
  for (const path of [...PAGES, ...UNAVAILABLE, "/pagina-che-non-esiste"]) {
    test(`axe finds no WCAG 2.1 AA violation on ${path} (${lang})`, async ({ page }) => {
      await page.goto(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary).toEqual([]);
    });
  }
}

test("axe finds no violation at 320 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/");
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(result.violations.map((v) => v.id)).toEqual([]);
});

test("no page scrolls sideways at 320 px, in either language (WCAG 1.4.10 reflow)", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const wide: string[] = [];
  for (const lang of LANGS) {
    for (const path of [...PAGES, ...UNAVAILABLE, "/registrazione-utente-estero", "/accesso-utente-estero"]) {
      await page.goto(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) wide.push(`${path} (${lang}): ${overflow} px`);
    }
  }
  expect(wide).toEqual([]);
});

// Every page a journey reaches is checked as a phone shows it too: at 320 px
// nothing scrolls sideways (WCAG 1.4.10; a wide table scrolls inside its own
// region) and axe finds nothing (a scrolling region must be reachable by keyboard).
async function expectNoViolations(page: import("@playwright/test").Page) {
  const analyze = async () => {
    const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  };
  expect(await analyze()).toEqual([]);
  const wide = page.viewportSize() ?? { width: 1280, height: 720 };
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => {
    const excess = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (excess <= 0) return "";
    // Name the widest elements that stick out, to say what to fix.
    const width = document.documentElement.clientWidth + 0.5;
    const out = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width)
      // The outermost: its parent fits (what sticks out of it is the culprit's).
      .filter((e) => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
    return `${excess} px: ${out.join(", ")}`;
  });
  expect(overflow, `${page.url()} at 320 px`).toBe("");
  expect(await analyze(), `${page.url()} at 320 px`).toEqual([]);
  await page.setViewportSize(wide);
}

test("axe finds no violation along the sign-in, personal area and sign-out pages", async ({ page }) => {
  await page.goto("/accedi");
  await page.getByText("Entra con SPID").click();
  await expectNoViolations(page);
  await page.getByRole("link", { name: /Demo IdP/ }).click();
  await expectNoViolations(page); // demo IdP sign-in page
  await page.getByRole("button", { name: "Accedi" }).click();
  await expectNoViolations(page); // demo IdP confirmation
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expect(page).toHaveURL(/\/area-personale$/);
  await expectNoViolations(page);
  await page.goto("/area-personale?lang=en");
  await expectNoViolations(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/uscita$/);
  await expectNoViolations(page);
});

test("axe finds no violation on the demo OpenID Provider's page, in both languages", async ({ page }) => {
  for (const lang of ["it", "en"]) {
    await page.goto(`/accedi?lang=${lang}`);
    const href = await page.locator(`a[href*="/oidc/login"]`).first().getAttribute("href");
    await page.goto(href!);
    await expect(page.getByRole("button", { name: lang === "it" ? "Accedi" : "Sign in" })).toBeVisible();
    await expectNoViolations(page);
  }
});

test("axe finds no violation on a sign-in failure page", async ({ page }) => {
  await signInWithDemoIdp(page, "Luca Verdi", { outcome: "nr19" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso non riuscito");
  await expectNoViolations(page);
});

test("axe finds no violation on the Utente Estero pages", async ({ page }) => {
  for (const lang of ["it", "en"]) {
    await page.goto(`/registrazione-utente-estero?lang=${lang}`);
    await expectNoViolations(page);
    await page.goto(`/accesso-utente-estero?lang=${lang}`);
    await expectNoViolations(page);
  }
  await page.goto("/registrazione-utente-estero?lang=it");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectNoViolations(page); // the form with every error
  await page.goto("/registrazione-utente-estero/inviata");
  await expectNoViolations(page);
});

test("axe finds no violation on the helpdesk console", async ({ page }) => {
  await signInWithDemoIdp(page, "Mario Rossi");
  await openHelpdesk(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Assistenza – Richieste da esaminare");
  await expectNoViolations(page);
});

test("axe finds no violation on the second-factor enrolment and recovery codes", async ({ page }) => {
  // The demo Utente Estero (demo data) is approved and not enrolled yet.
  await page.goto("/accesso-utente-estero?lang=en");
  await page.getByLabel("E-mail address").fill("demo.estero@example.org");
  await page.getByLabel("Password").fill("Servizi Lavoro demo 2026");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Turn on the second factor");
  await expectNoViolations(page);
  const secret = (await page.locator("code.secret").textContent())!.trim();
  await page.getByLabel("Code").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on and sign in" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your recovery codes");
  await expectNoViolations(page);
  await page.goto("/area-personale/password");
  await expectNoViolations(page);
});

test("axe finds no violation on the catalog of a signed-in person", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await page.goto("/servizi");
  await expectNoViolations(page);
  await page.goto("/");
  await expectNoViolations(page);
});

test("axe finds no violation on the profile pages, in both languages", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await page.goto("/profili");
  await expectNoViolations(page);
  await page.goto("/profili/associa");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page.getByRole("alert")).toContainText("codice fiscale di 11 cifre");
  await expectNoViolations(page); // the form with its error
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await page.getByRole("button", { name: "Opera come Bianchi Servizi srl" }).click();
  await expectNoViolations(page); // the header says which profile is in use
  await page.goto("/profili?lang=en");
  await expectNoViolations(page);
  await page.goto("/area-personale/attivita?lang=en");
  await expectNoViolations(page);
  await page.goto("/area-personale/attivita?lang=it");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("La tua attività");
  await expectNoViolations(page);
});

test("axe finds no violation on the company's confirmation page", async ({ page }) => {
  await signInWithDemoIdp(page, "Mario Rossi");
  await page.goto("/profili/associa");
  await page.getByLabel("Codice fiscale dell'azienda").fill("01234567897");
  await page.getByRole("button", { name: "Associa il profilo" }).click();
  await expect(page.getByRole("heading", { name: "Richieste in attesa" })).toBeVisible();
  await expectNoViolations(page);
  // The mail leaves off the request path: wait for it.
  const mail = () => { try { return mailWith("profili/conferma?token="); } catch { return ""; } };
  await expect.poll(mail).toContain("conferma?token=");
  const link = mail().match(/https?:\/\/\S+conferma\?token=[0-9a-f]+/)![0];
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Richiesta di associazione");
  await expectNoViolations(page);
});

test("axe finds no violation on the organisation pages, in both languages", async ({ page }) => {
  // Managing an organisation needs level 2.
  await signInWithDemoIdp(page, "Luca Verdi", { level: "2" });
  await page.goto("/profili");
  await expectNoViolations(page); // a soggetto abilitato's profile
  await page.getByRole("link", { name: /^Gestisci membri e attività/ }).click();
  const members = page.url();
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("alert")).toContainText("codice fiscale di persona valido");
  await expectNoViolations(page); // members, the invite form with its error
  await page.goto(`${members}?lang=en`);
  await expectNoViolations(page);
  await page.goto(`${members}/attivita?lang=en`);
  await expectNoViolations(page);
  await page.goto(`${members}/attivita?lang=it`);
  await expectNoViolations(page);
  // Luca is the studio's only member: his row says why it cannot be removed
  // (the confirmation page is checked in profiles.spec, with a colleague).
  await page.goto(members);
  await expect(page.getByText("Non rimovibile: è l'unica persona che gestisce l'organizzazione.")).toBeVisible();
  await expect(page.getByRole("link", { name: /^Rimuovi/ })).toHaveCount(0);
  await page.goto("/profili/registra?lang=en");
  await expectNoViolations(page);
  await page.goto("/profili/registra?lang=it");
  await page.getByRole("button", { name: "Invia all'assistenza" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectNoViolations(page); // every error at once
});

test("axe finds no violation on the helpdesk's check of an organisation", async ({ page }) => {
  await signInWithDemoIdp(page, "Giulia Bianchi");
  await page.goto("/profili/registra");
  await page.getByLabel("Tipo di organizzazione").selectOption("impresa_estera");
  await page.getByLabel("Denominazione", { exact: true }).fill("Müller Logistik GmbH");
  await page.getByLabel("Paese (solo imprese estere)", { exact: true }).fill("DE");
  await page.getByLabel("Identificativo nel paese (solo imprese estere)", { exact: true }).fill(`DE${Date.now()}`);
  await page.getByLabel("Indirizzo PEC").fill("mueller@pec.example.de");
  await page.getByLabel("Sede legale (indirizzo completo)").fill("Hafenstraße 1, 20457 Hamburg");
  await page.getByLabel(/^Documento che prova i dati/).setInputFiles({ name: "visura.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 visura") });
  await page.getByRole("button", { name: "Invia all'assistenza" }).click();
  await expect(page.getByText("In verifica dall'assistenza").first()).toBeVisible();
  await expectNoViolations(page);
  await page.context().clearCookies();
  await signInWithDemoIdp(page, "Mario Rossi");
  await openHelpdesk(page);
  await page.getByRole("link", { name: "Müller Logistik GmbH" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Müller Logistik GmbH");
  await expectNoViolations(page);
});

test("axe finds no violation on the deleghe pages, in both languages", async ({ page }) => {
  // Granting a delega needs level 2.
  await signInWithDemoIdp(page, "Mario Rossi", { level: "2" });
  await page.goto("/deleghe/nuova");
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectNoViolations(page); // the form with every error
  await page.getByLabel("Codice fiscale del delegato").fill("SPSNNA90T64F839O");
  await page.getByLabel("Temporanea", { exact: true }).check();
  await page.getByLabel("Tutti i servizi che posso delegare").check();
  const end = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel("Valida fino al").fill(end);
  await page.getByRole("button", { name: "Continua" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla la delega prima di conferirla");
  await expectNoViolations(page); // check your answers
  await page.getByRole("button", { name: "Modifica tipo di delega" }).click();
  await expect(page.getByLabel("Temporanea", { exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Continua" }).click();
  await page.getByRole("button", { name: "Conferisci la delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delega conferita");
  await expectNoViolations(page); // the confirmation, with the acceptance code
  const granted = page.url();
  await page.goto(`${granted}&lang=en`);
  await expectNoViolations(page);
  await page.goto(`${granted}&lang=it`);
  await page.getByRole("link", { name: "Vai alla delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Delega per Mario Rossi");
  await expectNoViolations(page); // the grantor's view
  const delega = page.url();
  await page.getByRole("button", { name: "Revoca la delega" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Revocare la delega?");
  await expectNoViolations(page); // the question before an irreversible act
  await page.getByRole("link", { name: "No, torna alla delega" }).click();
  await page.goto(`${delega}?lang=en`);
  await expectNoViolations(page);
  await page.goto("/deleghe?lang=en");
  await expectNoViolations(page);
  await page.goto("/deleghe/nuova?lang=en");
  await expectNoViolations(page);
  await page.goto("/deleghe?lang=it");
  await expectNoViolations(page);
  // The delegate's view, with the answer buttons (viewing is allowed at level 1).
  await page.context().clearCookies();
  await signInWithDemoIdp(page, "Anna Esposito");
  await page.goto(delega);
  await expect(page.getByRole("button", { name: "Accetta la delega" })).toBeVisible();
  await expectNoViolations(page);
});

test("axe finds no violation along the Dimissioni volontarie pages, in both languages", async ({ page }) => {
  await signInWithDemoIdp(page, "Mario Rossi");
  await page.goto("/dimissioni-volontarie/nuova");
  await page.getByLabel(/^Mario Rossi/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expectNoViolations(page); // who this procedure is not for
  await page.getByRole("button", { name: "Continua" }).click();
  await expectNoViolations(page); // the confirmation missing
  await page.getByLabel("Confermo che il mio caso non è tra questi").check();
  await page.getByRole("button", { name: "Continua" }).click();
  await page.getByLabel("Codice fiscale del datore di lavoro").fill("01234567897");
  await page.getByRole("button", { name: "Cerca il rapporto" }).click();
  await expectNoViolations(page); // the relationships found
  await page.getByRole("button", { name: "Compila il modulo" }).click();
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectNoViolations(page); // the form with its errors
  await page.getByLabel("Tipo di comunicazione").selectOption("giusta_causa");
  await page.getByLabel("Motivo della giusta causa").fill("Mancato pagamento della retribuzione per tre mesi");
  await page.getByLabel("Data di decorrenza").fill(new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10));
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await expectNoViolations(page); // the review
  await page.getByRole("button", { name: "Trasmetti" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dimissioni per giusta causa trasmesse");
  await expectNoViolations(page); // the confirmation page
  await page.goto(`${page.url()}&lang=en`);
  await expectNoViolations(page);
  // On a phone too: nothing scrolls sideways, the 17-digit code wraps.
  await page.setViewportSize({ width: 320, height: 800 });
  await expectNoViolations(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(page.url().replace("&lang=en", "&lang=it"));
  await page.getByRole("link", { name: "Vedi il modulo e l'esito di ogni invio" }).click();
  await expectNoViolations(page); // the module, its deliveries, the revoca
  const module = page.url();
  await page.goto(`${module}?lang=en`);
  await expectNoViolations(page);
  await page.goto("/dimissioni-volontarie?lang=en");
  await expectNoViolations(page);
  await page.goto("/dimissioni-volontarie/nuova?lang=en");
  await expectNoViolations(page);
  await page.goto("/dimissioni-volontarie?lang=it");
  await expectNoViolations(page);
});

test("axe finds no violation on the support and account care pages, in both languages", async ({ page }) => {
  await page.goto("/supporto");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectNoViolations(page); // every error at once
  await signInWithDemoIdp(page, "Luca Verdi");
  await page.goto("/supporto");
  await page.getByLabel("Argomento").selectOption("accessibilita");
  await page.getByLabel("Descrivi il problema").fill("Il grafico della pagina non ha un testo alternativo.");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Richiesta URP-/);
  await expectNoViolations(page); // the case's page
  const caseUrl = page.url();
  await page.goto(`${caseUrl}?lang=en`);
  await expectNoViolations(page);
  for (const lang of ["it", "en"]) {
    await page.goto(`/area-personale/sessioni?lang=${lang}`);
    await expectNoViolations(page);
    await page.goto(`/moduli-conservati?lang=${lang}`);
    await expectNoViolations(page);
  }
  await page.context().clearCookies();
  await signInWithDemoIdp(page, "Mario Rossi");
  await openHelpdesk(page);
  await page.getByRole("link", { name: "Richieste di supporto" }).click();
  await expectNoViolations(page); // the queue
  await page.getByRole("link", { name: /^URP-/ }).first().click();
  await expectNoViolations(page); // a case with its actions
});

test("a worker's retrieval code lets another soggetto abilitato find and revoke the module; axe on the way, in both languages", async ({ page }) => {
  test.slow();
  await signInWithDemoIdp(page, "Mario Rossi", { level: "2" });
  await page.goto("/dimissioni-volontarie/nuova");
  await page.getByLabel("Confermo che il mio caso non è tra questi").check();
  await page.getByRole("button", { name: "Continua" }).click();
  await page.getByLabel("Codice fiscale del datore di lavoro").fill("01234567897");
  await page.getByRole("button", { name: "Cerca il rapporto" }).click();
  await page.getByRole("button", { name: "Compila il modulo" }).click();
  await page.getByLabel("Tipo di comunicazione").selectOption("dimissioni");
  await page.getByLabel("Data di decorrenza").fill(new Date(Date.now() + 15 * 86400000).toISOString().slice(0, 10));
  await page.getByLabel("E-mail del lavoratore").fill("mario.rossi@example.org");
  await page.getByRole("button", { name: "Controlla prima di trasmettere" }).click();
  await page.getByRole("button", { name: "Trasmetti" }).click();
  await page.getByRole("link", { name: "Vedi il modulo e l'esito di ogni invio" }).click();
  const code = (await page.getByRole("heading", { level: 1 }).textContent())!.replace("Modulo ", "");
  const retrieval = (await page.locator("dt:has-text('Codice di recupero') + dd").textContent())!.trim();
  expect(retrieval).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

  // Luca, in the same browser once Mario has gone (axe needs the page's JavaScript).
  await page.context().clearCookies();
  const luca = page;
  await signInWithDemoIdp(luca, "Luca Verdi", { level: "2" });
  await luca.goto("/profili");
  await luca.getByRole("button", { name: /^Opera come Studio Luca Verdi/ }).click();
  await luca.goto("/dimissioni-volontarie");
  await luca.getByRole("link", { name: "Ritrova un modulo con il codice di recupero" }).click();
  await expectNoViolations(luca);
  await luca.getByRole("button", { name: "Cerca il modulo" }).click();
  await expect(luca.getByRole("alert")).toBeVisible();
  await expectNoViolations(luca); // both errors at once
  await luca.goto("/dimissioni-volontarie/ritrova?lang=en");
  await expectNoViolations(luca);
  await luca.goto("/dimissioni-volontarie/ritrova?lang=it");
  await luca.getByLabel("Codice fiscale del lavoratore").fill("RSSMRA80A01H501U");
  await luca.getByLabel("Codice di recupero").fill(retrieval.toLowerCase());
  await luca.getByRole("button", { name: "Cerca il modulo" }).click();
  await expect(luca.getByRole("heading", { level: 1 })).toHaveText(`Modulo ${code}`);
  await luca.getByRole("button", { name: "Genera la delega con PIN" }).click();
  const pin = (await luca.locator("code.secret").textContent())!.trim();
  await luca.getByLabel("PIN della delega firmata").fill(pin);
  await luca.getByLabel(/^Confermo di voler revocare/).check();
  await luca.getByRole("button", { name: "Revoca il modulo" }).click();
  await expect(luca.getByRole("heading", { level: 1 })).toHaveText("Revoca trasmessa");
  await expectNoViolations(luca);
});

test("an EU worker signed in with eIDAS declares the codice fiscale for Dimissioni volontarie; axe in both languages", async ({ page }) => {
  await page.goto("/accedi");
  await page.getByRole("link", { name: /eIDAS/ }).first().click();
  await page.getByLabel(/^Jan Kowalski/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await page.goto("/dimissioni-volontarie");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Il tuo codice fiscale italiano");
  await expectNoViolations(page);
  await page.getByLabel("Codice fiscale").fill("RSSMRA80A01H501U");
  await page.getByRole("button", { name: "Conferma il codice fiscale" }).click();
  await expect(page.getByRole("alert")).toContainText("non corrisponde al cognome");
  await expectNoViolations(page); // the error, the value kept
  await page.goto("/dimissioni-volontarie/codice-fiscale?lang=en");
  await expectNoViolations(page);
  await page.goto("/dimissioni-volontarie/codice-fiscale?lang=it");
  await page.getByLabel("Codice fiscale").fill("KWLJNA79S02Z127O");
  await page.getByRole("button", { name: "Conferma il codice fiscale" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nuove dimissioni o risoluzione consensuale");
});
