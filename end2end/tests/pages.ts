// The portal's public pages, shared by the browser tests.
export const PAGES = ["/", "/accedi", "/aiuto", "/dichiarazione-accessibilita", "/privacy", "/cookie", "/uscita", "/servizi", "/servizi/dimissioni-volontarie", "/servizi?q=distacco&categoria=mobilita-internazionale"];
export const LANGS = ["it", "en"] as const;
