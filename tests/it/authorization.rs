//! Authorization that cannot be forgotten: each escalation an attack run
//! found, as a test that failed before its fix. A password alone (SPID at
//! level one) manages nothing; Dimissioni are read at their service's level;
//! a registration never takes over a known company; a manager who left keeps
//! no power; a denied probe records only what was asked; the last-manager
//! rule holds under concurrency; no field holds control characters.
use crate::common::people::{cf_of, giulia, id_after, luca, mario, MARIO};
use crate::common::saml::signed_in;
use crate::common::{Browser, TestApp, TestResponse};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::{deleghe, dimissioni_modules, invitations, memberships, organisations};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::kernel::Level;
use servizi_lavoro::kernel::{MembershipId, OrganisationId};

const COMPANY: &str = "01234567897";
const PDF: &[u8] = b"%PDF-1.7 a registry extract";

async fn with_registry() -> TestApp {
    let app = crate::dimissioni::with_relationship().await;
    let (cf, now) = (cf_of("giulia"), app.state.clock.now());
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &cf, now)).await.expect("registry");
    app
}

/// Giulia with only her SPID password: level 1.
async fn giulia_at_level_1(app: &TestApp) -> Browser<'_> {
    let cf = format!("TINIT-{}", cf_of("giulia"));
    let attributes =
        [("name", "Giulia"), ("familyName", "Bianchi"), ("fiscalNumber", cf.as_str()), ("email", "giulia@example.org")];
    signed_in(app, "spid", Level::L1, Some(&attributes)).await
}

/// The answer is a new authentication at level 2, coming back to `next`.
fn steps_up(res: &TestResponse, next: &str) {
    let to = res.header(header::LOCATION);
    let next: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(to.starts_with("/saml/login?") && to.contains("level=2"), "a step-up to level 2: {to}");
    assert!(to.ends_with(&format!("next={next}")), "back to {next}: {to}");
}

/// A count read from the database.
async fn rows<F>(app: &TestApp, query: F) -> i64
where
    F: Fn(&mut servizi_lavoro::db::AnyConnection) -> QueryResult<i64> + Send + 'static,
{
    with_conn(&app.state.pool, query).await.expect("count")
}

/// How many people are members of `org` now.
async fn active_members(app: &TestApp, org: i64) -> i64 {
    rows(app, move |c| {
        memberships::table
            .filter(memberships::organisation_id.eq(org))
            .filter(memberships::until.is_null())
            .count()
            .get_result(c)
    })
    .await
}

async fn company_of(b: &mut Browser<'_>) -> i64 {
    let res = b.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_after(&b.get("/profili").await.body, "/profili/organizzazioni/")
}

async fn switch_to_company(b: &mut Browser<'_>) {
    let list = b.get("/profili").await.body;
    let row = list.split_once("Bianchi Servizi srl").expect("company row").1;
    let id = crate::common::input_value(row, "profilo").expect("switch form");
    assert_eq!(b.post_form("/profili/attivo", &[("profilo", &id)], false).await.status, StatusCode::SEE_OTHER);
}

fn org_path(org: i64, rest: &str) -> String {
    format!("/profili/organizzazioni/{org}{rest}")
}

/// Giulia (level 2) invites `cf` as `role` in her company; they accept. Returns their browser.
async fn joins<'a>(app: &'a TestApp, g: &mut Browser<'_>, org: i64, who: &str, role: &str) -> Browser<'a> {
    let cf = if who == "mario" { MARIO.to_string() } else { cf_of(who) };
    let res = g
        .post_form(&org_path(org, "/inviti"), &[("codice_fiscale", &cf), ("ruolo", role), ("passo", "conferma")], false)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut b = if who == "mario" { mario(app).await } else { luca(app).await };
    let invitation = id_after(&b.get("/profili").await.body, "/profili/inviti/");
    let res = b.post_form(&format!("/profili/inviti/{invitation}"), &[("risposta", "accetta")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    b
}

fn delega_fields<'a>(per: &'a str, delegate: &'a str, from: &'a str, until: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("per", per),
        ("codice_fiscale", delegate),
        ("tipo", "non_temporanea"),
        ("ambito", "tutti"),
        ("dal", from),
        ("al", until),
        ("passo", "conferma"),
    ]
}

#[tokio::test]
async fn a_password_alone_neither_manages_an_organisation_nor_grants_nor_answers() {
    let app = with_registry().await;
    let mut g1 = giulia_at_level_1(&app).await;
    // Associating is allowed (the registry names her), and so is acting for the company…
    let org = company_of(&mut g1).await;
    // …but not managing it: every page and form asks for SPID level 2 first.
    steps_up(&g1.get(&org_path(org, "")).await, &org_path(org, ""));
    steps_up(&g1.get(&org_path(org, "/attivita")).await, &org_path(org, "/attivita"));
    let luca_cf = cf_of("luca");
    let res = g1
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", &luca_cf), ("ruolo", "amministratore"), ("passo", "conferma")],
            false,
        )
        .await;
    steps_up(&res, &org_path(org, ""));
    assert_eq!(rows(&app, |c| invitations::table.count().get_result(c)).await, 0, "no invitation at level 1");

    // Granting a delega, for the company or for herself: level 2 first.
    steps_up(&g1.get("/deleghe/nuova").await, "/deleghe/nuova?per=me");
    let (per, from, until) = (org.to_string(), crate::common::day(&app, 0), crate::common::day(&app, 300));
    let res = g1.post_form("/deleghe/nuova", &delega_fields(&per, &luca_cf, &from, &until), false).await;
    steps_up(&res, &format!("/deleghe/nuova?per={org}"));
    let res = g1.post_form("/deleghe/nuova", &delega_fields("me", &luca_cf, &from, &until), false).await;
    steps_up(&res, "/deleghe/nuova?per=me");
    assert_eq!(rows(&app, |c| deleghe::table.count().get_result(c)).await, 0, "no delega at level 1");

    // At level 2 she manages it; what she sends, Luca answers only at level 2.
    let mut g = giulia(&app).await;
    assert_eq!(g.get(&org_path(org, "")).await.status, StatusCode::OK);
    let res = g
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", &luca_cf), ("ruolo", "operatore"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = g.post_form("/deleghe/nuova", &delega_fields(&per, &luca_cf, &from, &until), false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let delega = id_after(res.header(header::LOCATION), "/deleghe/");
    let luca_cf_attr = format!("TINIT-{luca_cf}");
    let attributes = [("name", "Luca"), ("familyName", "Verdi"), ("fiscalNumber", luca_cf_attr.as_str())];
    let mut l1 = signed_in(&app, "spid", Level::L1, Some(&attributes)).await;
    let invitation = id_after(&l1.get("/profili").await.body, "/profili/inviti/");
    let res = l1.post_form(&format!("/profili/inviti/{invitation}"), &[("risposta", "accetta")], false).await;
    steps_up(&res, "/profili");
    assert_eq!(l1.get(&format!("/deleghe/{delega}")).await.status, StatusCode::OK, "seeing it is fine");
    let res = l1.post_form(&format!("/deleghe/{delega}/azione"), &[("azione", "accetta")], false).await;
    steps_up(&res, &format!("/deleghe/{delega}"));
    let pending = servizi_lavoro::identity::invitations::State::Pending.code();
    let still: i64 = with_conn(&app.state.pool, move |c| {
        invitations::table.filter(invitations::state.eq(pending)).count().get_result(c)
    })
    .await
    .expect("count");
    assert_eq!(still, 1, "the invitation still waits");
    let mut l = luca(&app).await;
    let res = l.post_form(&format!("/deleghe/{delega}/azione"), &[("azione", "accetta")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "at level 2 he answers");
}

#[tokio::test]
async fn dimissioni_are_read_at_the_level_of_their_service() {
    let app = with_registry().await;
    let mut m = mario(&app).await;
    let code = crate::dimissioni::mario_resigns(&app, &mut m).await;
    let module = format!("/dimissioni-volontarie/{code}");

    // The worker with a level-1 session: his list, the module and its PDF ask for level 2.
    let mut m1 = signed_in(&app, "spid", Level::L1, None).await;
    steps_up(&m1.get("/dimissioni-volontarie").await, "/dimissioni-volontarie");
    steps_up(&m1.get(&module).await, &module);
    steps_up(&m1.get(&format!("{module}.pdf")).await, &module);
    let res = m1.post_form(&format!("{module}/revoca"), &[], false).await;
    steps_up(&res, &module);

    // The company at level 1: its list, the CSV (a giusta causa reason may be
    // in it) and the module ask for level 2 too.
    let mut g1 = giulia_at_level_1(&app).await;
    company_of(&mut g1).await;
    switch_to_company(&mut g1).await;
    steps_up(&g1.get("/dimissioni-volontarie?tipo=dimissioni").await, "/dimissioni-volontarie?tipo=dimissioni");
    steps_up(&g1.get("/dimissioni-volontarie.csv").await, "/dimissioni-volontarie.csv");
    steps_up(&g1.get(&module).await, &module);
    // At level 2 the company reads it.
    let mut g = giulia(&app).await;
    switch_to_company(&mut g).await;
    assert!(g.get("/dimissioni-volontarie").await.body.contains(&code));
    assert_eq!(g.get(&module).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_denied_probe_records_what_was_asked_never_whose_it_is() {
    let app = with_registry().await;
    let mut m = mario(&app).await;
    let code = crate::dimissioni::mario_resigns(&app, &mut m).await;
    let mut l = luca(&app).await;
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(l.get(&format!("/dimissioni-volontarie/{code}.pdf")).await.status, StatusCode::NOT_FOUND);
    for page in ["/area-personale/attivita", "/area-personale/attivita.csv"] {
        let body = l.get(page).await.body;
        assert!(!body.contains(MARIO), "{page} names nobody else: {body}");
    }
    let events = with_conn(&app.state.pool, |c| servizi_lavoro::access::recent(c, 200)).await.expect("audit");
    let probes: Vec<_> = events.iter().filter(|e| e.outcome.code() == "denied").collect();
    assert!(!probes.is_empty());
    for e in probes {
        assert!(!e.resource.contains(MARIO), "a denied row records the code asked, not the owner: {e:?}");
    }
    assert!(events.iter().any(|e| e.outcome.code() == "denied" && e.resource == format!("dimissioni:{code}")));
}

#[tokio::test]
async fn a_manager_who_left_keeps_no_power_over_the_organisations_delega_nor_his_invitations() {
    let app = with_registry().await;
    let mut g = giulia(&app).await;
    let org = company_of(&mut g).await;
    let mut m = joins(&app, &mut g, org, "mario", "amministratore").await;
    // Mario, amministratore, delegates the company to Luca, and invites Anna.
    let (per, from, until, luca_cf) =
        (org.to_string(), crate::common::day(&app, 0), crate::common::day(&app, 300), cf_of("luca"));
    let res = m.post_form("/deleghe/nuova", &delega_fields(&per, &luca_cf, &from, &until), false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let delega = id_after(res.header(header::LOCATION), "/deleghe/");
    let res = m
        .post_form(
            &org_path(org, "/inviti"),
            &[("codice_fiscale", &luca_cf), ("ruolo", "amministratore"), ("passo", "conferma")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // Giulia removes him.
    let page = g.get(&org_path(org, "")).await.body;
    let member = id_after(page.split("Mario Rossi").nth(1).expect("Mario's row"), &org_path(org, "/membri/"));
    let res = g.post_form(&org_path(org, &format!("/membri/{member}/rimuovi")), &[], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // The organisation's delega is no longer his: not shown, not revocable.
    assert_eq!(m.get(&format!("/deleghe/{delega}")).await.status, StatusCode::NOT_FOUND);
    let res = m.post_form(&format!("/deleghe/{delega}/azione"), &[("azione", "revoca")], false).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(!m.get("/deleghe").await.body.contains(&format!("/deleghe/{delega}")));
    // Those who manage it now do.
    assert_eq!(g.get(&format!("/deleghe/{delega}")).await.status, StatusCode::OK);

    // The invitation he sent died with his power: Luca cannot become amministratore through it.
    let mut l = luca(&app).await;
    let invitation = id_after(&l.get("/profili").await.body, "/profili/inviti/");
    let res = l.post_form(&format!("/profili/inviti/{invitation}"), &[("risposta", "accetta")], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(active_members(&app, org).await, 1, "only Giulia");
    assert_eq!(
        g.post_form(&format!("/deleghe/{delega}/azione"), &[("azione", "revoca"), ("conferma", "si")], false)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

/// Two managers leave at the same instant, in rounds: never both. Through
/// the pages (which do much else around the change), and then the change
/// itself from two threads released together, where the race window is
/// widest (without the organisation's lock, PostgreSQL let both through).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_managers_leaving_at_once_leave_one_in_charge() {
    use servizi_lavoro::access::{authorize, Action, Resource};
    use servizi_lavoro::identity::organisations::{self, MembersRefusal, Role};
    use servizi_lavoro::kernel::{Credential, MemberRole, Profile};
    let removals = regex::Regex::new(r"/membri/(\d+)/rimuovi").expect("regex");
    for round in 0..3 {
        let app = with_registry().await;
        let mut g = giulia(&app).await;
        let org = company_of(&mut g).await;
        let mut m = joins(&app, &mut g, org, "mario", "amministratore").await;
        // Members by family name: Bianchi, then Rossi.
        let page = g.get(&org_path(org, "")).await.body;
        let ids: Vec<&str> = removals.captures_iter(&page).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect();
        let [giulia_member, mario_member] = ids[..] else { panic!("two members: {ids:?}") };
        let (gp, mp) = (
            org_path(org, &format!("/membri/{giulia_member}/rimuovi")),
            org_path(org, &format!("/membri/{mario_member}/rimuovi")),
        );
        let (a, b) = tokio::join!(g.post_form(&gp, &[], false), m.post_form(&mp, &[], false));
        let left = [a.status, b.status].iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
        assert_eq!(left, 1, "round {round}: exactly one leaves ({} and {})", a.status, b.status);
        assert!([a.status, b.status].contains(&StatusCode::CONFLICT), "round {round}: the other is told why");
        assert_eq!(active_members(&app, org).await, 1, "round {round}: someone still manages it");
    }

    let app = with_registry().await;
    let mut g = giulia(&app).await;
    let org = company_of(&mut g).await;
    joins(&app, &mut g, org, "mario", "amministratore").await;
    let active = move |c: &mut servizi_lavoro::db::AnyConnection| {
        memberships::table
            .filter(memberships::organisation_id.eq(org))
            .filter(memberships::until.is_null())
            .select((memberships::id, memberships::account_id, memberships::role))
            .load::<(i64, servizi_lavoro::kernel::AccountId, String)>(c)
    };
    let manager =
        crate::common::principal_of(crate::common::person(Credential::Spid, Level::L2), Profile::Azienda, vec![]);
    let resource = Resource::Organisation { id: OrganisationId::new(org), role: Some(MemberRole::Amministratore) };
    for round in 0..30 {
        let members = with_conn(&app.state.pool, active).await.expect("members");
        assert_eq!(members.len(), 2);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let mut leaving = Vec::new();
        for (membership, account, _) in members.clone() {
            let (pool, barrier, now) = (app.state.pool.clone(), barrier.clone(), app.state.clock.now());
            let permit = authorize(Some(&manager), Action::Change, &resource).expect("permit");
            leaving.push(tokio::task::spawn_blocking(move || {
                let mut c = pool.get().expect("connection");
                barrier.wait();
                // As `with_conn` does: SQLite's busy refusal means "again".
                loop {
                    match organisations::remove(
                        &mut c,
                        &permit,
                        OrganisationId::new(org),
                        MembershipId::new(membership),
                        account,
                        now,
                    ) {
                        Err(e) if e.to_string().contains("locked") => continue,
                        other => return other.expect("database"),
                    }
                }
            }));
        }
        let mut outcomes = Vec::new();
        for l in leaving {
            outcomes.push(l.await.expect("thread"));
        }
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "round {round}: {outcomes:?}");
        assert!(outcomes.contains(&Err(MembersRefusal::LastManager)), "round {round}: {outcomes:?}");
        // Back as before for the next round (the one who left joins again).
        let (back, now) = (members.clone(), app.state.clock.now());
        with_conn(&app.state.pool, move |c| {
            for (_, account, role) in &back {
                if organisations::role_in(c, OrganisationId::new(org), *account)?.is_none() {
                    organisations::join(c, OrganisationId::new(org), *account, Role::parse(role).expect("role"), now)?;
                }
            }
            Ok(())
        })
        .await
        .expect("rejoin");
    }
}

#[tokio::test]
async fn a_registration_never_takes_over_a_known_company() {
    let app = with_registry().await;
    let mut ops = crate::foreign_user::operator(&app).await;
    let mut l = luca(&app).await;
    // The registry knows it: associate instead (even before the portal has it).
    let fields = [
        ("tipo", "impresa"),
        ("denominazione", "Luca's Bianchi"),
        ("codice_fiscale", COMPANY),
        ("pec", "attacker@pec.example.org"),
        ("sede", "Via Altrove 1, Roma"),
    ];
    let res = l.post_multipart("/profili/registra", &fields, Some(("documento", "visura.pdf", PDF))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("già registrata") && res.body.contains("Associa profilo"));

    // A company unknown when applied for, known by the time of the decision:
    // never overwritten, and the applicant does not become its representative.
    let fields = [
        ("tipo", "impresa"),
        ("denominazione", "Verdi Nuova srl"),
        ("codice_fiscale", "12345678903"),
        ("pec", "verdi@pec.example.org"),
        ("sede", "Via Nuova 2, Torino"),
    ];
    let res = l.post_multipart("/profili/registra", &fields, Some(("documento", "visura.pdf", PDF))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let now = app.state.clock.now();
    with_conn(&app.state.pool, move |c| {
        let real = servizi_lavoro::identity::organisations::NewOrganisation {
            kind: None,
            codice_fiscale: "12345678903".into(),
            name: "Verdi Originale srl".into(),
            pec: "verdi.originale@pec.example.org".into(),
            seat: "Via Vera 3, Torino".into(),
            ordine: None,
            albo_number: None,
        };
        servizi_lavoro::identity::organisations::organisation_for(c, &real, now)
    })
    .await
    .expect("created meanwhile");
    let id = id_after(&ops.get("/assistenza").await.body, "/assistenza/organizzazioni/");
    let res =
        ops.post_form(&format!("/assistenza/organizzazioni/{id}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("già nota"));
    let (name, pec): (String, String) = with_conn(&app.state.pool, |c| {
        organisations::table
            .filter(organisations::codice_fiscale.eq("12345678903"))
            .select((organisations::name, organisations::pec))
            .first(c)
    })
    .await
    .expect("organisation");
    assert_eq!((name.as_str(), pec.as_str()), ("Verdi Originale srl", "verdi.originale@pec.example.org"));
    let profiles = l.get("/profili").await.body;
    assert!(
        !profiles.contains("Verdi Originale") && !profiles.contains("/profili/organizzazioni/"),
        "no profile of it"
    );
    // Rejected with a reason, it is decided.
    let res = ops
        .post_form(
            &format!("/assistenza/organizzazioni/{id}/decisione"),
            &[("decision", "reject"), ("reason", "Già registrata: chiedi un invito")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn no_operator_decides_their_own_application() {
    let app = with_registry().await;
    // Mario is an operator, and applies for a studio of his own.
    let mut ops = crate::foreign_user::operator(&app).await;
    let fields = [
        ("tipo", "patronato"),
        ("denominazione", "Patronato Rossi"),
        ("codice_fiscale", "09876543217"),
        ("pec", "rossi@pec.example.org"),
        ("sede", "Via Roma 9, Roma"),
    ];
    let res = ops.post_multipart("/profili/registra", &fields, Some(("documento", "statuto.pdf", PDF))).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = id_after(&ops.get("/assistenza").await.body, "/assistenza/organizzazioni/");
    let res =
        ops.post_form(&format!("/assistenza/organizzazioni/{id}/decisione"), &[("decision", "approve")], false).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("un altro operatore"));
    let created = rows(&app, |c| {
        organisations::table.filter(organisations::codice_fiscale.eq("09876543217")).count().get_result(c)
    })
    .await;
    assert_eq!(created, 0, "not approved");
}

#[tokio::test]
async fn an_operator_reads_a_relationship_only_knowing_the_employer_and_it_is_audited() {
    let app = with_registry().await;
    let mut l = crate::dimissioni::luca_operator(&app).await;
    let found = crate::dimissioni::operator_lookup(&mut l).await;
    let id = crate::common::input_value(&found.body, "rapporto").expect("relationship found");
    // Posted, as the page sends it: no codice fiscale in an address.
    let form = "/dimissioni-volontarie/nuova/modulo";
    let fields = |employer: &'static str| {
        [
            ("avvio", "si".to_string()),
            ("rapporto", id.clone()),
            ("cf_lavoratore", MARIO.into()),
            ("cf_datore", employer.into()),
        ]
    };
    let without = fields("");
    let without: Vec<(&str, &str)> = without.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(l.post_form(form, &without, false).await.status, StatusCode::NOT_FOUND, "without the employer");
    let other = fields("12345678903");
    let other: Vec<(&str, &str)> = other.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let wrong = l.post_form(form, &other, false).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND, "with another employer");
    let good = fields(COMPANY);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let right = l.post_form(form, &good, false).await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.contains("Bianchi Servizi srl"));
    let events = with_conn(&app.state.pool, |c| servizi_lavoro::access::recent(c, 50)).await.expect("audit");
    let reads: Vec<_> = events.iter().filter(|e| e.resource == format!("relationship:{id}")).collect();
    assert_eq!(reads.len(), 3, "every lookup audited: {reads:?}");
    assert_eq!(reads.iter().filter(|e| e.outcome.code() == "allowed").count(), 1);
}

#[tokio::test]
async fn no_field_holds_control_characters_or_direction_overrides() {
    let app = with_registry().await;
    let mut anyone = Browser::new(&app);
    // Paths: no id is like that.
    for path in ["/supporto/richieste/%00", "/dimissioni-volontarie/%E2%80%AE123", "/faq/%07"] {
        assert_eq!(anyone.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Queries: a search is a form too.
    for path in ["/faq?q=%00", "/servizi?q=%E2%80%AEabc", "/dimissioni-volontarie?lavoratore=%1B"] {
        let res = anyone.get(path).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(res.body.contains("caratteri di controllo"), "{path}: says why");
    }
    // Forms, signed in or not; the English page says it in English.
    let mut g = giulia(&app).await;
    for value in ["0123\0", "\u{202e}7897", "\u{1b}[2J"] {
        let res = g.post_form("/profili/associa", &[("codice_fiscale", value)], false).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{value:?}");
    }
    let res = g.post_form("/profili/associa?lang=en", &[("codice_fiscale", "\0")], false).await;
    assert!(res.body.contains("control characters"));
    // Line breaks: in a text area yes, in a one-line field no.
    let multiline = [
        ("nome", "Giulia Bianchi"),
        ("email", "giulia@example.org"),
        ("categoria", "accesso"),
        ("servizio", ""),
        ("descrizione", "Una riga\r\nE un'altra\tcon un tab"),
    ];
    let res = anyone.post_multipart("/supporto", &multiline, None).await;
    assert_ne!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    for (field, value) in
        [("descrizione", "Testo\0 nascosto"), ("nome", "Giulia\nBianchi"), ("email", "g\u{202e}@example.org")]
    {
        let mut fields = multiline.to_vec();
        fields.retain(|(f, _)| *f != field);
        fields.push((field, value));
        let res = anyone.post_multipart("/supporto", &fields, None).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {value:?}");
    }
    // A legal document's name: nothing stored.
    let mut m = mario(&app).await;
    let before = rows(&app, |c| dimissioni_modules::table.count().get_result(c)).await;
    let res = m
        .post_form(
            "/dimissioni-volontarie/nuova/modulo",
            &[("cognome", "\u{202e}issoR"), ("tipo", "dimissioni")],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = m.post_form("/dimissioni-volontarie/nuova/trasmetti", &[("nome", "Mario\u{7}")], false).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rows(&app, |c| dimissioni_modules::table.count().get_result(c)).await, before);
    // Utente Estero registration (multipart): the e-mail with a NUL.
    let mut ana = Browser::new(&app);
    let fields = crate::foreign_user::fields("ana\0@example.com", "2035-01-01");
    let res = crate::foreign_user::register(&mut ana, &fields, Some(("passport.png", crate::foreign_user::PNG))).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// The routes whose path carries an id of something public (a service, an
/// answer, an asset, a demo identity provider): nobody's, so no decision.
const PUBLIC_IDS: &[&str] = &["ASSET", "DEMO_IDP_METADATA", "DEMO_IDP_SSO", "DEMO_IDP_SLO", "SERVICE", "FAQ_ANSWER"];

/// What asking the access decision looks like: the shared `access::require`
/// or `access::check`, or a domain's `permit`/`permitted` built on them.
const ASKS: &[&str] = &["access::require(", "access::check(", "permit(", "permitted(", "filer::enter"];

/// The body of `fn name(` in `text`, if it is there.
fn body_of<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!("fn {name}("))?;
    let end = text[start..].find("\n}\n").map_or(text.len(), |e| start + e);
    Some(&text[start..end])
}

/// Whether `body` asks the decision, itself or through a function of its
/// domain folder that does (one call deep).
fn asks(body: &str, domain: &[String]) -> bool {
    let call = regex::Regex::new(r"\b([a-z_][a-z0-9_]*)\(").expect("regex");
    ASKS.iter().any(|a| body.contains(a))
        || call
            .captures_iter(body)
            .any(|c| domain.iter().filter_map(|text| body_of(text, &c[1])).any(|f| ASKS.iter().any(|a| f.contains(a))))
}

/// The text of a parenthesised expression starting at `open` (an opening parenthesis).
fn balanced(text: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open..=open + i];
                }
            }
            _ => {}
        }
    }
    &text[open..]
}

/// Walks every `routes()` of the source: each route whose path holds an id
/// (`{…}`) of someone's record must be served by handlers that ask the one
/// decision (a new route that forgets fails here).
#[test]
fn every_route_with_an_id_in_its_path_asks_the_access_decision() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let paths_rs = std::fs::read_to_string(src.join("paths.rs")).expect("paths.rs");
    let constant = regex::Regex::new(r#"pub const ([A-Z_]+): &str = "([^"]*)";"#).expect("regex");
    let paths: std::collections::HashMap<String, String> =
        constant.captures_iter(&paths_rs).map(|c| (c[1].to_string(), c[2].to_string())).collect();
    let handler = regex::Regex::new(r"\b(?:get|post)\(([a-z_:]+)\)").expect("regex");
    let route = regex::Regex::new(r"\.route\(\s*(?:crate::)?paths::([A-Z_]+)").expect("regex");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let (mut checked, mut missing) = (0, Vec::new());
    for file in &files {
        let text = std::fs::read_to_string(file).expect("source");
        for m in route.captures_iter(&text) {
            let name = &m[1];
            let template = paths.get(name).unwrap_or_else(|| panic!("paths::{name}"));
            if !template.contains('{') || PUBLIC_IDS.contains(&name) {
                continue;
            }
            let call = balanced(&text, m.get(0).expect("match").start() + ".route".len());
            for h in handler.captures_iter(call) {
                let parts: Vec<&str> = h[1].split("::").collect();
                let (module, function) = match parts[..] {
                    [f] => (None, f),
                    [.., m, f] => (Some(m), f),
                    [] => unreachable!(),
                };
                let dir = file.parent().expect("dir");
                let home = match module {
                    Some(m) if dir.join(format!("{m}.rs")).exists() => dir.join(format!("{m}.rs")),
                    Some(m) => dir.join(m).join("mod.rs"),
                    None => file.clone(),
                };
                let text = std::fs::read_to_string(&home).unwrap_or_else(|_| panic!("{}", home.display()));
                let body = body_of(&text, function).unwrap_or_else(|| panic!("{function} in {}", home.display()));
                let domain: Vec<String> = std::fs::read_dir(home.parent().expect("dir"))
                    .expect("domain")
                    .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .collect();
                checked += 1;
                if !asks(body, &domain) {
                    missing.push(format!("{template} → {}", &h[1]));
                }
            }
        }
    }
    assert!(checked >= 24, "the walk found the routes ({checked})");
    assert!(missing.is_empty(), "handlers that never ask access: {missing:#?}");
}

#[tokio::test]
async fn ceilings_on_what_mails_companies_or_fills_the_helpdesk() {
    let app = with_registry().await;
    // Luca is not the company's representative: one PEC request while it waits, not one per click.
    let mut l = luca(&app).await;
    for _ in 0..3 {
        let res = l.post_form("/profili/associa", &[("codice_fiscale", COMPANY)], false).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    crate::foreign_user::mail_containing(&app, "bianchiservizi@pec.example.it").await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let to_pec = crate::foreign_user::outbox(&app).iter().filter(|m| m.contains("To: bianchiservizi@pec")).count();
    assert_eq!(to_pec, 1, "one mail to the company's PEC");
    // Three applications wait at most; the fourth is refused, saying why.
    for (i, piva) in ["11111111115", "22222222220", "33333333335", "44444444440"].into_iter().enumerate() {
        let name = format!("Studio {i}");
        let fields = [
            ("tipo", "patronato"),
            ("denominazione", name.as_str()),
            ("codice_fiscale", piva),
            ("pec", "studio@pec.example.org"),
            ("sede", "Via Roma 1, Roma"),
        ];
        let res = l.post_multipart("/profili/registra", &fields, Some(("documento", "atto.pdf", PDF))).await;
        if i < 3 {
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        } else {
            assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(res.body.contains("tre domande in verifica"));
        }
    }
}

#[tokio::test]
async fn a_support_requests_secret_link_goes_only_to_a_confirmed_address() {
    let app = TestApp::new();
    let mut g = giulia(&app).await;
    let fields = |email: &'static str| {
        [
            ("nome", "Giulia Bianchi"),
            ("email", email),
            ("categoria", "accesso"),
            ("servizio", ""),
            ("descrizione", "Non riesco a vedere la mia azienda."),
        ]
    };
    // Her own address (from SPID): queued at once, the link mailed to her.
    let res = g.post_multipart("/supporto", &fields("giulia@example.org"), None).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header(header::LOCATION).starts_with("/supporto/richieste/URP-"));
    // Another address: confirmed first, like without signing in; no secret link goes there.
    let res = g.post_multipart("/supporto", &fields("someone.else@example.org"), None).await;
    assert_eq!((res.status, res.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/supporto/inviata"));
    let mail = crate::foreign_user::mail_containing(&app, "To: someone.else@example.org").await;
    assert!(mail.contains("/supporto/conferma?token=") && !mail.contains("chiave="), "{mail}");
}

#[tokio::test]
async fn a_role_change_is_confirmed_on_the_organisations_page() {
    let app = with_registry().await;
    let mut g = giulia(&app).await;
    let org = company_of(&mut g).await;
    joins(&app, &mut g, org, "luca", "operatore").await;
    let page = g.get(&org_path(org, "")).await.body;
    let member = id_after(page.split("Luca Verdi").nth(1).expect("Luca's row"), &org_path(org, "/membri/"));
    let res =
        g.post_form(&org_path(org, &format!("/membri/{member}/ruolo")), &[("ruolo", "amministratore")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let back = res.header(header::LOCATION).to_string();
    assert_eq!(back, org_path(org, &format!("?ruolo-cambiato={member}")));
    let confirmed = g.get(&back).await.body;
    let notice = confirmed.split("banner--success").nth(1).expect("a success banner");
    assert!(notice.contains(">Ruolo aggiornato: Luca Verdi ora è Amministratore.</p>"), "{confirmed}");
    // The organisation's activity says the role before and after.
    let activity = g.get(&org_path(org, "/attivita")).await.body;
    assert!(activity.contains("(da Operatore a Amministratore)"), "{activity}");
    // An id that is not a member here confirms nothing.
    let other = g.get(&org_path(org, "?ruolo-cambiato=999999")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(!other.body.contains("Ruolo aggiornato"));
}
