nav-services = Servizi
catalog-title = Servizi
catalog-search-label = Cerca tra i servizi
catalog-search = Cerca per parole
catalog-audience = Per chi
catalog-category = Argomento
catalog-any = Tutti
catalog-apply = Cerca
catalog-reset = Azzera i filtri
catalog-results = { $count ->
    [one] 1 servizio trovato
   *[other] { $count } servizi trovati
}
catalog-all = Tutti i servizi ({ $count })
catalog-anonymous = Per usare un servizio accedi con SPID, CIE, eIDAS o come Utente Estero: vedrai quali puoi usare subito.
catalog-now = Puoi usarli ora ({ $count })
catalog-now-intro = Con { $credential }, livello { $level }, come { $profile }.
catalog-step-up-note = Chiede il livello { $level }: quando lo apri confermi la tua identità con una nuova autenticazione.
catalog-later = Con un'altra credenziale, un livello più alto o un altro profilo ({ $count })
catalog-none = Nessun servizio di questa ricerca è disponibile ora per te.
catalog-for = Per:
catalog-level = livello { $level }
catalog-credentials = Credenziali
catalog-min-level = Livello minimo
catalog-what-you-can-do = Cosa puoi fare
catalog-enter = Accedi al servizio
category-rapporti-di-lavoro = Rapporti di lavoro
category-adempimenti = Adempimenti delle aziende
category-ammortizzatori = Ammortizzatori sociali
category-contrattazione = Contrattazione
category-mobilita-internazionale = Lavoro e mobilità internazionale
category-professioni = Professioni
category-formazione = Formazione
category-politiche-sociali = Politiche sociali
access-allowed = Puoi usare questo servizio con l'accesso attuale.
access-sign-in = Accedi per usare questo servizio.
access-credential = { $count ->
    [one] Questo servizio non accetta la credenziale con cui hai effettuato l'accesso. Esci e accedi con: { $allowed }.
   *[other] Questi servizi non accettano la credenziale con cui hai effettuato l'accesso. Esci e accedi con: { $allowed }.
}
access-profile = { $count ->
    [one] Questo servizio è per: { $needed }. Associa il profilo adatto e passa a quel profilo per usarlo.
   *[other] Questi servizi sono per: { $needed }. Associa il profilo adatto e passa a quel profilo per usarli.
}
access-level-step-up = { $count ->
    [one] Questo servizio richiede il livello { $level }: premendo «Accedi al servizio» ti chiederemo di autenticarti di nuovo a quel livello e poi tornerai qui.
   *[other] Questi servizi richiedono il livello { $level }: premendo «Accedi al servizio» ti chiederemo di autenticarti di nuovo a quel livello e poi tornerai qui.
}
access-level-other = { $count ->
    [one] Questo servizio richiede il livello { $level }, che la tua credenziale non raggiunge. Accedi con SPID o CIE.
   *[other] Questi servizi richiedono il livello { $level }, che la tua credenziale non raggiunge. Accedi con SPID o CIE.
}
access-denied-title = Non puoi ancora usare questo servizio
access-back = Torna alla scheda del servizio
home-most-used = I servizi più usati
home-recent = Usati di recente
home-all-services = Tutti i servizi

## Interruzioni dei servizi
outage-period = Dal { $from } al { $to } (ora italiana).
outage-period-open = Dal { $from } (ora italiana); la fine non è ancora nota.
outage-now-planned = Interruzione programmata in corso
outage-now-unplanned = Disservizio in corso
outage-coming = Interruzione programmata
outage-ministry-says = Avviso del Ministero:
outage-title = { $service }: servizio non disponibile
outage-meanwhile = Che cosa puoi fare
outage-come-back = Riprova dopo il { $when }: il servizio dovrebbe essere tornato disponibile.
outage-come-back-later = Riprova più tardi: questa pagina dirà quando il servizio tornerà disponibile.
outage-nothing-lost = Ciò che hai già inviato o salvato è al sicuro: l'interruzione non cancella nulla.
outage-dimissioni-proof = Se un termine scade durante l'interruzione (ad esempio i 7 giorni per revocare le dimissioni), la pagina Stato dei servizi registra quando è iniziata e quando è finita: puoi mostrarla come prova. Le eventuali modalità alternative indicate dal Ministero compaiono nell'avviso qui sopra.
outage-status-link = Stato dei servizi: interruzioni in corso, programmate e passate
outage-support-link = Chiedi supporto
outage-end-unknown = Non ancora nota
outage-kind-planned = Programmata
outage-kind-unplanned = Disservizio
outage-col-service = Servizio
outage-col-kind = Tipo
outage-col-from = Dal
outage-col-to = Al
status-title = Stato dei servizi
status-lead = Le interruzioni dei servizi in corso, quelle programmate e quelle degli ultimi 12 mesi, in ora italiana.
status-now = Adesso
status-all-working = Tutti i servizi funzionano.
status-planned = Interruzioni programmate
status-planned-caption = Interruzioni programmate, per servizio
status-none-planned = Nessuna interruzione programmata.
status-past = Interruzioni degli ultimi 12 mesi
status-past-caption = Interruzioni degli ultimi 12 mesi, dalla più recente
status-none-past = Nessuna interruzione negli ultimi 12 mesi.
