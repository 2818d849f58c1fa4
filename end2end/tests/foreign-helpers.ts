import { Page, expect } from "@playwright/test";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { openHelpdesk } from "./flows";

// A one-page PNG "scan" for the registration form.
export const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6300010000050001a5f645400000000049454e44ae426082", "hex");

export function uniqueEmail(tag: string) {
  return `${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

// The newest mail in the server's file outbox that mentions `needle`, decoded.
// Mail leaves through the server's outbox a moment after the request that
// queued it: look again for up to 10 seconds.
export function mailWith(needle: string): string {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 200; i++) {
    const found = findMail(needle);
    if (found !== undefined) return found;
    Atomics.wait(pause, 0, 0, 50);
  }
  throw new Error(`no mail with ${needle}`);
}

function findMail(needle: string): string | undefined {
  const dir = process.env.OUTBOX_DIR ?? "../data/outbox";
  const files = readdirSync(dir).filter((f) => f.endsWith(".eml")).map((f) => join(dir, f));
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const f of files) {
    const raw = readFileSync(f, "utf8");
    const [head, ...rest] = raw.split("\r\n\r\n");
    let body = rest.join("\r\n\r\n");
    if (/content-transfer-encoding: base64/i.test(head)) body = Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8");
    else body = Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
    const text = `${head}\n\n${body}`;
    if (text.includes(needle)) return text;
  }
  return undefined;
}

function base32(s: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0; const out: number[] = [];
  for (const c of s.replace(/=+$/, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c); bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

// RFC 6238 TOTP, as an authenticator app computes it.
export function totp(secret: string, offsetSteps = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + offsetSteps;
  const msg = Buffer.alloc(8); msg.writeBigInt64BE(BigInt(step));
  const h = createHmac("sha1", base32(secret)).update(msg).digest();
  const o = h[19] & 15;
  const n = ((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

export async function fillRegistration(page: Page, email: string, password = "tramonto sul Nilo 88") {
  await page.getByLabel("Nome", { exact: true }).fill("Ana");
  await page.getByLabel("Cognome").fill("Pérez");
  await page.getByLabel("Data di nascita").fill("1990-04-12");
  await page.getByLabel("Paese di nascita").selectOption({ label: "Argentina" });
  await page.getByLabel("Cittadinanza").selectOption({ label: "Argentina" });
  await page.getByLabel("Indirizzo e-mail").fill(email);
  await page.getByLabel("Telefono").fill("+54 11 5555 0100");
  await page.getByLabel("Passaporto").check();
  await page.getByLabel("Numero del documento").fill("AAB123456");
  await page.getByLabel("Paese che ha rilasciato il documento").selectOption({ label: "Argentina" });
  await page.getByLabel("Data di scadenza").fill("2035-01-01");
  await page.getByLabel("Scansione del documento").setInputFiles({ name: "passaporto.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Ripeti la password").fill(password);
  await page.getByLabel(/Ho letto l'informativa/).check();
}

// Registers, confirms and has Mario (operator, demo SPID) approve; returns nothing.
export async function registeredAndApproved(page: Page, email: string, signInAsOperator: (p: Page) => Promise<void>) {
  await page.goto("/registrazione-utente-estero");
  await fillRegistration(page, email);
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Controlla la tua e-mail");
  const link = mailWith(email).match(/https?:\/\/\S+conferma\?token=[0-9a-f]+/)![0];
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Indirizzo confermato");
  await signInAsOperator(page);
  await openHelpdesk(page);
  await page.getByRole("row").filter({ hasText: "Ana Pérez" }).last().getByRole("link").click();
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole("button", { name: "Approva la richiesta" }).click();
  await expect(page).toHaveURL(/\/assistenza\?esito=approvata$/);
  await expect(page.getByRole("status").filter({ hasText: "Richiesta approvata" })).toBeVisible();
  await page.getByRole("button", { name: "Esci" }).click();
}
