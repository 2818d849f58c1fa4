-- wrk: the password step of the Utente Estero sign-in, with the demo user's
-- real credentials, so every request pays a full Argon2id verification.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "email=demo.estero%40example.org&password=Servizi+Lavoro+demo+2026"
