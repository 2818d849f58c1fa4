// The portal's public pages, shared by the browser tests.
export const PAGES = ["/", "/accedi", "/aiuto", "/dichiarazione-accessibilita", "/privacy", "/cookie", "/uscita"];
export const LANGS = ["it", "en"] as const;
