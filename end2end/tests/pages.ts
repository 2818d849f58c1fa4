// The portal's public pages, shared by the browser tests.
export const PAGES = ["/", "/accedi", "/aiuto", "/dichiarazione-accessibilita", "/privacy", "/cookie", "/uscita", "/servizi", "/servizi/dimissioni-volontarie", "/servizi?q=distacco&categoria=mobilita-internazionale",
  "/registrazione-utente-estero/inviata", "/accesso-utente-estero/password-dimenticata", "/accesso-utente-estero/password-dimenticata/inviata",
  "/accesso-utente-estero/password-aggiornata", "/faq", "/faq?q=deleghe", "/faq/dimissioni-online", "/supporto", "/verifica",
  "/stato-servizi", "/servizi/uni-piattaforme", "/servizi/silen"];
// Pages answered with an error status on purpose: the test command interrupts
// UNI-Piattaforme (503 in place of the service).
export const UNAVAILABLE = ["/servizi/uni-piattaforme/accedi"];
export const LANGS = ["it", "en"] as const;
