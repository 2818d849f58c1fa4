## Account care: sessions, timeouts, kept forms, sign-in alerts

layout-session-until = Sessione attiva fino alle { $time }
sessions-title = Sessioni e sicurezza
sessions-lead = Dove hai fatto l'accesso e fino a quando vale ogni sessione senza attività. Se non riconosci una sessione, chiudila o esci ovunque.
sessions-caption = Le tue sessioni attive
sessions-none = Nessuna sessione attiva.
sessions-col-device = Browser e sistema
sessions-col-last = Ultimo uso
sessions-col-until = Scade senza attività alle
sessions-col-action = Azione
sessions-this = Questa sessione
sessions-end = Chiudi la sessione
sessions-saved = Scelte salvate: valgono da subito, anche per questa sessione.
sessions-end-all = Esci ovunque
sessions-choices = Le tue scelte
sessions-idle = Dopo quanto tempo senza attività finisce la sessione
sessions-idle-default = { $minutes } minuti (predefinito)
sessions-idle-longer = { $hours } ore: più tempo per leggere e compilare
sessions-idle-none = Nessun limite di inattività: la sessione finisce comunque { $hours } ore dopo l'accesso
sessions-alert-every = Avvisami per e-mail a ogni accesso, non solo da un nuovo dispositivo
sessions-save = Salva le scelte

kept-title = Moduli conservati
kept-lead = La sessione era scaduta quando hai inviato questo modulo: abbiamo conservato quello che avevi scritto per 30 minuti. Controllalo e invialo di nuovo.
kept-send = Invia di nuovo
kept-files = Gli allegati e le password non vengono conservati: se servono, inseriscili di nuovo nella pagina del modulo.
kept-none = Non c'è nessun modulo conservato per questo browser, o sono passati più di 30 minuti.

mail-alert-subject = Nuovo accesso a Servizi Lavoro
mail-alert-new-body = È stato fatto un accesso al tuo account da un browser o dispositivo che non avevi usato prima ({ $detail }). Se eri tu, non devi fare nulla. Se non eri tu, apri questo link: chiude tutte le sessioni e apre una segnalazione all'assistenza. { $link }
mail-alert-body = È stato fatto un accesso al tuo account ({ $detail }). Se non eri tu, apri questo link: chiude tutte le sessioni e apre una segnalazione all'assistenza. { $link }
not-me-title = Non ero io
not-me-lead = Accesso segnalato: { $detail }.
not-me-effect = Chiuderemo subito tutte le sessioni del tuo account e apriremo una richiesta all'assistenza con questi dati. Poi cambia le credenziali presso il tuo gestore dell'identità (o la password Utente Estero).
not-me-submit = Chiudi tutte le sessioni e segnala
not-me-case = Segnalazione: accesso non riconosciuto dal titolare dell'account (dal link dell'e-mail di avviso).
not-me-invalid-title = Link non valido
not-me-invalid = Questo link è già stato usato, è scaduto (vale 7 giorni) o non è valido. Se vedi accessi che non riconosci, esci ovunque da Sessioni e sicurezza e scrivi a Chiedi supporto.
area-identifier-foreign = Identificativo Utente Estero
area-previous-hint-cie = Se non riconosci l'accesso precedente, blocca la CIE chiamando il numero indicato sul sito della Carta d'identità elettronica e scrivi a Chiedi supporto.
area-previous-hint-eidas = Se non riconosci l'accesso precedente, rivolgiti al gestore dell'identità digitale del tuo Paese e scrivi a Chiedi supporto.
area-previous-hint-foreign = Se non riconosci l'accesso precedente, cambia subito la password da qui, esci ovunque da Sessioni e sicurezza e scrivi a Chiedi supporto.
signout-failed-title = Uscita non riuscita
error-too-long-80 = Al massimo 80 caratteri: accorcia il testo
error-too-long-100 = Al massimo 100 caratteri: accorcia il testo
choice-level-needed = Il servizio che hai scelto richiede un accesso di livello { $level }: il tuo gestore te lo chiederà subito, una volta sola.
access-credential-unavailable = { $count ->
    [one] Questo servizio richiede SPID o CIE, che non si possono usare con il tuo tipo di accesso. Se ti serve, scrivi a Chiedi supporto: ti diremo come fare.
   *[other] Questi servizi richiedono SPID o CIE, che non si possono usare con il tuo tipo di accesso. Se ti serve uno di questi servizi, scrivi a Chiedi supporto: ti diremo come fare.
}
home-your-area = Vai alla tua area personale
home-your-services = I servizi che puoi usare
helpdesk-done-approved = Richiesta approvata: il richiedente riceve l'e-mail con il suo identificativo.
helpdesk-done-rejected = Richiesta respinta: il richiedente riceve l'e-mail con il motivo.
fsign-wait = { $count ->
    [one] Troppi tentativi: aspetta 1 secondo prima di riprovare.
   *[other] Troppi tentativi: aspetta { $count } secondi prima di riprovare.
}
area-your-services = I tuoi servizi
area-no-services = Non hai ancora usato nessun servizio.
area-all-services = Tutti i servizi che puoi usare
area-can-do = Cosa puoi fare
area-itl = Moduli di dimissioni della tua provincia (Ispettorato)
reg-country-choose = Scegli il Paese
sessions-ended = Sessione chiusa: su quel dispositivo servirà un nuovo accesso.
kept-form-delega = Delega a { $who }
kept-form-delega-plain = Delega
kept-form-dimissioni = Modulo di dimissioni per { $who }
kept-form-dimissioni-plain = Modulo di dimissioni
kept-form-organisation-plain = Invito di un collega
kept-form-support-plain = Richiesta di supporto
kept-form-sessions-plain = Scelte sulle sessioni
kept-form-other = Un modulo del portale
kept-scope-tutti = Tutti i servizi che posso delegare
kept-scope-scelti = Solo i servizi scelti
kept-idle-predefinita = Durata predefinita
kept-idle-lunga = Più tempo per leggere e compilare
kept-idle-nessuna = Nessun limite di inattività
kept-alerts-ogni = Sì
kept-form-associate-plain = Associazione di un'azienda
kept-form-register = Registrazione di { $who }
kept-form-register-plain = Registrazione di un'organizzazione
kept-field = Dato inserito
person-not-registered = { $codice_fiscale } (non ancora registrato sul portale)
