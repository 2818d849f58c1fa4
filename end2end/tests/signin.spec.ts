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
