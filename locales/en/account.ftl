## Account care: sessions, timeouts, kept forms, sign-in alerts

layout-session-until = Session active until { $time }
sessions-title = Sessions and security
sessions-lead = Where you are signed in and until when each session lasts without activity. If you do not recognise a session, end it or sign out everywhere.
sessions-caption = Your active sessions
sessions-none = No active sessions.
sessions-col-device = Browser and system
sessions-col-last = Last used
sessions-col-until = Ends without activity at
sessions-col-action = Action
sessions-this = This session
sessions-end = End the session
sessions-saved = Choices saved: they apply at once, to this session too.
sessions-end-all = Sign out everywhere
sessions-choices = Your choices
sessions-idle = How long without activity before the session ends
sessions-idle-default = { $minutes } minutes (default)
sessions-idle-longer = { $hours } hours: more time to read and fill in
sessions-idle-none = No inactivity limit: the session still ends { $hours } hours after signing in
sessions-alert-every = Tell me by e-mail at every sign-in, not only from a new device
sessions-save = Save my choices

kept-title = Kept forms
kept-lead = Your session had ended when you sent this form: we kept what you typed for 30 minutes. Check it and send it again.
kept-send = Send again
kept-files = Attachments and passwords are not kept: if needed, enter them again on the form's page.
kept-none = There is no kept form for this browser, or more than 30 minutes have passed.

mail-alert-subject = New sign-in to Servizi Lavoro
mail-alert-new-body = Someone signed in to your account from a browser or device you had not used before ({ $detail }). If it was you, there is nothing to do. If it was not you, open this link: it ends all sessions and opens a report to the helpdesk. { $link }
mail-alert-body = Someone signed in to your account ({ $detail }). If it was not you, open this link: it ends all sessions and opens a report to the helpdesk. { $link }
not-me-title = This wasn't me
not-me-lead = Sign-in reported: { $detail }.
not-me-effect = We will end every session of your account at once and open a request to the helpdesk with these details. Then change your credentials at your identity provider (or your Utente Estero password).
not-me-submit = End all sessions and report
not-me-case = Report: sign-in not recognised by the account holder (from the alert e-mail's link).
not-me-invalid-title = Link not valid
not-me-invalid = This link was already used, has expired (it lasts 7 days) or is not valid. If you see sign-ins you do not recognise, sign out everywhere from Sessions and security and write to Ask for support.
area-identifier-foreign = Utente Estero identifier
area-previous-hint-cie = If you do not recognise the previous sign-in, block your CIE by calling the number on the electronic identity card's website and write to Ask for support.
area-previous-hint-eidas = If you do not recognise the previous sign-in, contact your country's digital identity provider and write to Ask for support.
area-previous-hint-foreign = If you do not recognise the previous sign-in, change your password here at once, sign out everywhere from Sessions and security and write to Ask for support.
signout-failed-title = Sign-out failed
error-too-long-80 = At most 80 characters: shorten the text
error-too-long-100 = At most 100 characters: shorten the text
choice-level-needed = The service you chose needs a level { $level } sign-in: your provider will ask for it now, once.
access-credential-unavailable = { $count ->
    [one] This service needs SPID or CIE, which cannot be used with your kind of sign-in. If you need it, write to Ask for support: we will tell you how.
   *[other] These services need SPID or CIE, which cannot be used with your kind of sign-in. If you need one of them, write to Ask for support: we will tell you how.
}
home-your-area = Go to your personal area
home-your-services = The services you can use
helpdesk-done-approved = Request approved: the applicant gets the e-mail with their identifier.
helpdesk-done-rejected = Request rejected: the applicant gets the e-mail with the reason.
fsign-wait = { $count ->
    [one] Too many attempts: wait 1 second before trying again.
   *[other] Too many attempts: wait { $count } seconds before trying again.
}
area-your-services = Your services
area-no-services = You have not used any service yet.
area-all-services = All the services you can use
area-can-do = What you can do
area-itl = Resignation forms of your province (Inspectorate)
reg-country-choose = Choose the country
sessions-ended = Session ended: that device will need to sign in again.
kept-form-delega = Delega to { $who }
kept-form-delega-plain = Delega
kept-form-dimissioni = Resignation form for { $who }
kept-form-dimissioni-plain = Resignation form
kept-form-organisation-plain = Invitation of a colleague
kept-form-support-plain = Support request
kept-form-sessions-plain = Session choices
kept-form-other = A form of the portal
kept-scope-tutti = Every service I can delegate
kept-scope-scelti = Only the services chosen
kept-idle-predefinita = Default length
kept-idle-lunga = More time to read and fill in
kept-idle-nessuna = No inactivity limit
kept-alerts-ogni = Yes
kept-form-associate-plain = Association of a company
kept-form-register = Registration of { $who }
kept-form-register-plain = Registration of an organisation
kept-field = Value entered
person-not-registered = { $codice_fiscale } (not yet registered on the portal)
