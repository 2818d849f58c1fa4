import { test, expect } from "@playwright/test";
import { signInWithDemoIdp } from "./flows";

test("a person signs in with SPID through the demo IdP and signs out, without JavaScript", async ({ page }) => {
  await signInWithDemoIdp(page, "Mario Rossi");
  await expect(page).toHaveURL(/\/area-personale$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benvenuto, Mario Rossi");
  await expect(page.getByText("Livello 1", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Mario Rossi" })).toBeVisible();
  await page.getByRole("button", { name: "Esci" }).click();
  await expect(page).toHaveURL(/\/uscita$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sei uscito da Servizi Lavoro");
  await page.goto("/area-personale");
  await expect(page).toHaveURL(/\/accedi/);
});

test("cancelling at the IdP shows why, with a 403 and a way to try again", async ({ page }) => {
  const responses: number[] = [];
  page.on("response", (r) => { if (r.url().endsWith("/saml/acs")) responses.push(r.status()); });
  await signInWithDemoIdp(page, "Anna Esposito", { outcome: "nr25" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso non riuscito");
  await expect(page.getByText("Hai annullato l'accesso")).toBeVisible();
  expect(responses).toEqual([403]);
  await page.getByRole("link", { name: "Riprova ad accedere" }).click();
  await expect(page).toHaveURL(/\/accedi$/);
});

test("the SPID identity providers are listed in a new random order", async ({ request }) => {
  const orders = new Set<string>();
  for (let i = 0; i < 30 && orders.size < 2; i++) {
    const html = await (await request.get("/accedi")).text();
    const names = [...html.matchAll(/href="\/saml\/login\?idp=([^"&]+)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThanOrEqual(2);
    orders.add(names.join(","));
  }
  expect(orders.size).toBeGreaterThan(1);
});

test("a person signs in with CIE through the demo CieID, without JavaScript", async ({ page }) => {
  await page.goto("/accedi");
  await page.getByRole("link", { name: /Entra con CIE/ }).click();
  await expect(page.getByText("Demo CieID")).toBeVisible();
  await page.getByLabel(/^Giulia Bianchi/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.getByRole("button", { name: "Continua verso Servizi Lavoro" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benvenuto, Giulia Bianchi");
  await expect(page.getByText("Livello 3", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Esci" }).click();
  await expect(page).toHaveURL(/\/uscita$/);
});

test("an EU citizen signs in with eIDAS through the demo node, without JavaScript", async ({ page }) => {
  await page.goto("/accedi?lang=en");
  await page.getByRole("link", { name: /Login with eIDAS/ }).click();
  await page.getByLabel(/^Sophie Martin/).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Continue to Servizi Lavoro" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Sophie Martin");
  await expect(page.getByText("eIDAS identifier")).toBeVisible();
  await expect(page.getByText("FR/IT/0A1B2C3D4E5F")).toBeVisible();
});

// SPID over OpenID Connect, through the demo trust anchor and provider the
// portal runs in development: the portal resolves the provider's trust chain
// over HTTP as it would a real one's.
test("a person signs in with SPID over OpenID Connect through the demo provider, without JavaScript", async ({ page }) => {
  await page.goto("/accedi");
  await page.getByText("Entra con SPID").click();
  await page.getByRole("link", { name: /Demo OP \(OpenID Connect\)/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accedi con un'identità di prova");
  await page.getByLabel(/^Giulia Bianchi/).check();
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page).toHaveURL(/\/area-personale$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Benvenuto, Giulia Bianchi");
  await page.goto("/area-personale/attivita");
  await expect(page.getByRole("cell", { name: "SPID (OpenID Connect)" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Esci" }).click();
  await expect(page).toHaveURL(/\/uscita$/);
});

test("over OpenID Connect, a level below the one asked is refused with a 403", async ({ page }) => {
  const statuses: number[] = [];
  page.on("response", (r) => { if (r.url().includes("/oidc/callback")) statuses.push(r.status()); });
  await page.goto("/accedi");
  const href = await page.locator(`a[href*="/oidc/login"]`).first().getAttribute("href");
  expect(href).toContain("/oidc/login?provider=");
  await page.goto(`${href}&level=2`);
  await page.getByLabel(/^Mario Rossi/).check();
  await page.getByLabel("Livello da attestare").selectOption("1");
  await page.getByRole("button", { name: "Accedi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Accesso non riuscito");
  expect(statuses).toEqual([403]);
});
