//! Work shared inside an organisation (issue 26): a delega asked for while
//! acting for an organisation is held by it; its managers act for every
//! client, an operatore only for the clients of their gruppi di lavoro, from
//! their next request; every change is in the organisation's activity;
//! another organisation's groups and bad input are refused.
use crate::common::people::{cf_of, id_after, luca, MARIO};
use crate::common::{Browser, TestApp};
use crate::organisations::{giulia_with_company, mario_joins, org_path, switch_to_company, with_registry};
use axum::http::{header, StatusCode};
use diesel::prelude::*;
use servizi_lavoro::db::schema::{deleghe as d, work_groups as wg};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::kernel::Level;

/// Anna Esposito, a second client who can sign in.
async fn anna(app: &TestApp) -> Browser<'_> {
    let cf = format!("TINIT-{}", cf_of("anna"));
    let attributes = [("name", "Anna"), ("familyName", "Esposito"), ("fiscalNumber", cf.as_str())];
    crate::common::saml::signed_in(app, "spid", Level::L2, Some(&attributes)).await
}

/// Acting for the company, `b` asks `client` for a delega on every service; the request's id.
async fn ask_for_company(app: &TestApp, b: &mut Browser<'_>, client: &str) -> i64 {
    let (from, until) = (crate::common::day(app, 0), crate::common::day(app, 365));
    let fields = [("cliente", client), ("tipo", "non_temporanea"), ("ambito", "tutti"), ("dal", &from), ("al", &until)];
    let res = b.post_form("/clienti/richiesta", &fields, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_after(res.header(header::LOCATION), "/clienti/richieste/")
}

async fn accepts(app: &TestApp, client: &mut Browser<'_>, request: i64) {
    let until = crate::common::day(app, 300);
    let res = client
        .post_form(&format!("/clienti/richieste/{request}"), &[("azione", "accetta"), ("al", &until)], false)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The deleghe the organisation holds: (id, grantor's codice fiscale).
async fn held(app: &TestApp, org: i64) -> Vec<(i64, String)> {
    use servizi_lavoro::db::schema::accounts as a;
    with_conn(&app.state.pool, move |c| {
        d::table
            .inner_join(a::table.on(a::id.eq(d::grantor_account_id)))
            .filter(d::delegate_organisation_id.eq(org))
            .select((d::id, a::identifier))
            .order(d::id)
            .load(c)
    })
    .await
    .expect("deleghe")
}

/// The organisation's (one) operatore's membership.
async fn operatore_of(app: &TestApp, org: i64) -> i64 {
    use servizi_lavoro::db::schema::memberships as m;
    with_conn(&app.state.pool, move |c| {
        m::table.filter(m::organisation_id.eq(org)).filter(m::role.eq("operatore")).select(m::id).first(c)
    })
    .await
    .expect("membership")
}

/// Switches `b` to act through delega `id`: the status.
async fn act_through(b: &mut Browser<'_>, id: i64) -> StatusCode {
    b.post_form("/profili/attivo", &[("profilo", &format!("delega:{id}"))], false).await.status
}

#[tokio::test]
async fn an_operatore_acts_only_for_the_clients_of_their_groups_from_the_next_request() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut g).await;
    // Acting for the company, Giulia asks two people; each accepts.
    let (luca_cf, anna_cf) = (cf_of("luca"), cf_of("anna"));
    let to_luca = ask_for_company(&app, &mut g, &luca_cf).await;
    let to_anna = ask_for_company(&app, &mut g, &anna_cf).await;
    let mut l = luca(&app).await;
    accepts(&app, &mut l, to_luca).await;
    let mut a = anna(&app).await;
    accepts(&app, &mut a, to_anna).await;
    let deleghe = held(&app, org).await;
    assert_eq!(deleghe.len(), 2, "held by the company, not by Giulia");
    let of = |cf: &str| deleghe.iter().find(|x| x.1 == cf).expect("delega").0;
    let (luca_delega, anna_delega) = (of(&luca_cf), of(&anna_cf));
    // The clients read whom they gave it to: the company, and who asked for it.
    assert!(l.get("/deleghe").await.body.contains("Bianchi Servizi srl (01234567897)"));
    let request = l.get(&format!("/clienti/richieste/{to_luca}")).await.body;
    assert!(request.contains("Bianchi Servizi srl – Giulia Bianchi"), "{request}");
    // The company's list, to Giulia who manages it: both.
    let list = g.get("/clienti").await.body;
    assert!(list.contains("Luca Verdi") && list.contains("Anna Esposito"), "{list}");
    assert!(
        list.contains("Chi gestisce l&#x27;organizzazione opera per tutti")
            || list.contains("Chi gestisce l'organizzazione opera per tutti")
    );
    // Not Giulia's own: as Cittadino she has none.
    let own = g.post_form("/profili/attivo", &[("profilo", "cittadino")], false).await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    assert!(!g.get("/clienti").await.body.contains("Luca Verdi"));
    switch_to_company(&mut g).await;

    // Mario, an operatore in no group: no client, and acting for one is refused as if it did not exist.
    switch_to_company(&mut mario).await;
    let list = mario.get("/clienti").await.body;
    assert!(!list.contains("Luca Verdi") && !list.contains("Anna Esposito"));
    assert!(!list.contains("/clienti/richiesta\""), "an operatore does not ask for the organisation");
    assert_eq!(act_through(&mut mario, luca_delega).await, StatusCode::NOT_FOUND);
    let asked = mario
        .post_form(
            "/clienti/richiesta",
            &[("cliente", &anna_cf), ("tipo", "non_temporanea"), ("ambito", "tutti")],
            false,
        )
        .await;
    assert_eq!(asked.status, StatusCode::FORBIDDEN);

    // Giulia makes a group with Mario and Luca.
    let groups = org_path(org, "/gruppi");
    assert_eq!(g.get(&groups).await.status, StatusCode::OK);
    let res = g.post_form(&groups, &[("nome", "  Clienti   Nord ")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let group_path = res.header(header::LOCATION).to_string();
    let page = g.get(&group_path).await.body;
    assert!(page.contains("Gruppo di lavoro «Clienti Nord»") && page.contains("Mario Rossi"));
    let membership = operatore_of(&app, org).await.to_string();
    assert!(page.contains(&format!("value=\"{membership}\"")), "Mario offered");
    let res = g.post_form(&format!("{group_path}/operatori"), &[("operatore", &membership)], false).await;
    assert_eq!(res.header(header::LOCATION), format!("{group_path}?fatto=operatori"));
    // Bad input: a code that is none, a person who is no client; nothing added.
    let bad = g.post_form(&format!("{group_path}/clienti"), &[("clienti", "ABC")], false).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("non è un codice fiscale né una partita IVA valida") && bad.body.contains("ABC"));
    let stranger =
        g.post_form(&format!("{group_path}/clienti"), &[("clienti", &format!("{luca_cf}\n{MARIO}"))], false).await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        stranger.body.contains("non è stato aggiunto nessun cliente"),
        "{}",
        &stranger.body[stranger.body.find("error-summary").unwrap_or(0)..][..600]
    );
    let res = g.post_form(&format!("{group_path}/clienti"), &[("clienti", &luca_cf.to_lowercase())], false).await;
    assert_eq!(res.header(header::LOCATION), format!("{group_path}?fatto=clienti"));

    // Mario's next page: Luca and only Luca; he acts for him, not for Anna.
    let list = mario.get("/clienti").await.body;
    assert!(list.contains("Luca Verdi") && !list.contains("Anna Esposito"), "{list}");
    assert_eq!(act_through(&mut mario, anna_delega).await, StatusCode::NOT_FOUND);
    assert_eq!(act_through(&mut mario, luca_delega).await, StatusCode::SEE_OTHER);
    assert!(mario.get("/servizi").await.body.contains("Luca Verdi (con delega)"));
    // Giulia gives Mario only Formazione a distanza: through Luca's delega too, from his next request.
    let member = operatore_of(&app, org).await;
    let services = format!("{}/membri/{member}/servizi", org_path(org, ""));
    let res = g.post_form(&services, &[("ambito", "scelti"), ("servizio", "formazione-a-distanza")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(mario.get("/servizi/formazione-a-distanza/accedi").await.status, StatusCode::SEE_OTHER);
    let refused = mario.get("/servizi/riconoscimento-qualifiche-professionali/accedi").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(mario.get("/servizi").await.body.contains("Luca Verdi (con delega)"), "still acting for Luca");
    // Luca's activity names the delega he read by the company holding it, not by the manager who asked for it.
    assert_eq!(l.get(&format!("/deleghe/{luca_delega}")).await.status, StatusCode::OK);
    let own = l.get("/area-personale/attivita").await.body;
    assert!(own.contains("Bianchi Servizi srl") && !own.contains("Giulia Bianchi"), "{own}");
    // Taken out of the group: from his next request he acts as himself again.
    let res = g.post_form(&format!("{group_path}/clienti/rimuovi"), &[("cliente", &luca_cf)], false).await;
    assert_eq!(res.header(header::LOCATION), format!("{group_path}?fatto=rimosso"));
    assert!(!mario.get("/servizi").await.body.contains("Luca Verdi (con delega)"));
    assert!(!mario.get("/clienti").await.body.contains("Luca Verdi"));

    // Every change is in the organisation's activity.
    let activity = g.get(&org_path(org, "/attivita")).await.body;
    assert!(activity.contains("Nuovo gruppo di lavoro") && activity.contains("Gruppo di lavoro modificato"));
    assert!(activity.contains(&format!("-{luca_cf}")));

    // Deleted after a question; the deleghe stay with the company.
    assert_eq!(g.get(&format!("{group_path}/elimina")).await.status, StatusCode::OK);
    let res = g.post_form(&format!("{group_path}/elimina"), &[("conferma", "si")], false).await;
    assert_eq!(res.header(header::LOCATION), format!("{groups}?eliminato=si"));
    assert_eq!(g.get(&group_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(held(&app, org).await.len(), 2);

    // An operatore does not renounce for the company; Giulia, who manages it, does.
    let path = format!("/deleghe/{anna_delega}/azione");
    let by_operatore = mario.post_form(&path, &[("azione", "rinuncia"), ("conferma", "si")], false).await;
    assert_eq!(by_operatore.status, StatusCode::NOT_FOUND);
    let res = g.post_form(&path, &[("azione", "rinuncia"), ("conferma", "si")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let state: String =
        with_conn(&app.state.pool, move |c| d::table.find(anna_delega).select(d::state).first(c)).await.expect("state");
    assert_eq!(state, "renounced");
}

#[tokio::test]
async fn groups_are_their_managers_alone_and_one_name_is_one_group() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "operatore").await;
    let groups = org_path(org, "/gruppi");
    let empty = g.post_form(&groups, &[("nome", "   ")], false).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Scrivi il nome del gruppo"));
    let long = g.post_form(&groups, &[("nome", &"x".repeat(81))], false).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The same name twice at once (two of Giulia's tabs): one group.
    let mut g2 = crate::common::people::giulia(&app).await;
    let (a, b) = tokio::join!(
        g.post_form(&groups, &[("nome", "Edilizia")], false),
        g2.post_form(&groups, &[("nome", "edilizia")], false)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::UNPROCESSABLE_ENTITY]);
    let made: Vec<i64> =
        with_conn(&app.state.pool, move |c| wg::table.filter(wg::organisation_id.eq(org)).select(wg::id).load(c))
            .await
            .expect("groups");
    assert_eq!(made.len(), 1);
    let group = made[0];
    // An operatore does not manage groups; a stranger is told nothing exists.
    let by_operatore = mario.get(&groups).await;
    assert!(matches!(by_operatore.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", by_operatore.status);
    assert!(!by_operatore.body.contains("Edilizia"));
    let mut l = luca(&app).await;
    let probe = l.get(&format!("{groups}/{group}")).await;
    assert_eq!(probe.status, StatusCode::NOT_FOUND);
    assert!(!probe.body.contains("Edilizia"));
    assert_eq!(
        l.post_form(&format!("{groups}/{group}/clienti"), &[("clienti", MARIO)], false).await.status,
        StatusCode::NOT_FOUND
    );
    // A group id of this organisation's that does not exist, and nonsense.
    assert_eq!(g.get(&format!("{groups}/{}", group + 1000)).await.status, StatusCode::NOT_FOUND);
    assert!(g.get(&format!("{groups}/abc")).await.status.is_client_error());
    // Another organisation's path with this group: not found (Giulia manages no other).
    assert_eq!(g.get(&format!("{}/gruppi/{group}", org_path(org + 1, ""))).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_sole_traders_studio_holds_its_deleghe_apart_from_its_owners_own() {
    use servizi_lavoro::profiles::demo::{seed, DemoPerson};
    let app = with_registry().await;
    let (cf, now) = (cf_of("luca"), app.state.clock.now());
    let studio = with_conn(&app.state.pool, move |c| {
        let who =
            DemoPerson { codice_fiscale: &cf, given_name: "Luca", family_name: "Verdi", email: "luca@example.org" };
        seed(c, &who, now)
    })
    .await
    .expect("studio");
    let mut l = luca(&app).await;
    let list = l.get("/profili").await.body;
    let row = list.split_once("Studio Luca Verdi").expect("studio row").1;
    let value = crate::common::input_value(row, "profilo").expect("switch form");
    assert_eq!(l.post_form("/profili/attivo", &[("profilo", &value)], false).await.status, StatusCode::SEE_OTHER);
    // The studio (whose codice fiscale is Luca's own) asks Mario.
    let asked = ask_for_company(&app, &mut l, MARIO).await;
    let mut m = crate::common::people::mario(&app).await;
    accepts(&app, &mut m, asked).await;
    let deleghe = held(&app, studio.get()).await;
    assert_eq!(deleghe.len(), 1);
    assert!(l.get("/clienti").await.body.contains("Mario Rossi"), "the studio's list");
    // As himself, Luca holds none of it: not in his list, not among the deleghe received, not to act through.
    assert_eq!(l.post_form("/profili/attivo", &[("profilo", "cittadino")], false).await.status, StatusCode::SEE_OTHER);
    assert!(!l.get("/clienti").await.body.contains("Mario Rossi"));
    assert!(!l.get("/deleghe").await.body.contains("Mario Rossi"));
    assert!(!l.get("/profili").await.body.contains(&format!("delega:{}", deleghe[0].0)));
    // Still, he manages the studio: he may act through it from any profile (the decision reads his role there).
    assert_eq!(act_through(&mut l, deleghe[0].0).await, StatusCode::SEE_OTHER);
    assert!(l.get("/servizi").await.body.contains("Mario Rossi (con delega)"));
}

/// `demo scale` shares the studio's clients among work groups: Anna, in the
/// first of two, finds half the clients in the studio's list.
#[tokio::test]
async fn the_scale_loader_shares_a_studios_clients_among_groups() {
    use servizi_lavoro::profiles::demo::{add_operator, add_operators, seed, DemoPerson};
    let app = with_registry().await;
    let (luca_cf, anna_cf, now) = (cf_of("luca"), cf_of("anna"), app.state.clock.now());
    let studio = with_conn(&app.state.pool, move |c| {
        let luca =
            DemoPerson { codice_fiscale: &luca_cf, given_name: "Luca", family_name: "Verdi", email: "l@example.org" };
        let studio = seed(c, &luca, now)?;
        servizi_lavoro::delegations::scale::load_clients(c, &luca_cf, Some(studio), 60, now)?;
        add_operators(c, studio, 4, now)?;
        let anna = DemoPerson {
            codice_fiscale: &anna_cf,
            given_name: "Anna",
            family_name: "Esposito",
            email: "a@example.org",
        };
        let membership = add_operator(c, studio, &anna, now)?;
        servizi_lavoro::delegations::scale::share_clients(c, studio, 2, Some(membership), now)?;
        Ok(studio)
    })
    .await
    .expect("load");
    assert_eq!(held(&app, studio.get()).await.len(), 60);
    let mut a = anna(&app).await;
    let list = a.get("/profili").await.body;
    let row = list.split_once("Studio Luca Verdi").expect("studio row").1;
    let value = crate::common::input_value(row, "profilo").expect("switch form");
    assert_eq!(a.post_form("/profili/attivo", &[("profilo", &value)], false).await.status, StatusCode::SEE_OTHER);
    let page = a.get("/clienti").await.body;
    assert_eq!(page.matches(">SCALA").count(), 30, "the first group's half");
    assert!(!page.contains("rel=\"next\""));
}

/// The same operatori saved twice at once, the same client added twice at
/// once: one group, each row once, on both databases.
#[tokio::test]
async fn the_same_change_sent_twice_at_once_leaves_each_row_once() {
    use servizi_lavoro::db::schema::{work_group_clients as gc, work_group_members as gm};
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let _mario = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut g).await;
    let asked = ask_for_company(&app, &mut g, &cf_of("luca")).await;
    let mut l = luca(&app).await;
    accepts(&app, &mut l, asked).await;
    let res = g.post_form(&org_path(org, "/gruppi"), &[("nome", "Doppio")], false).await;
    let group = res.header(header::LOCATION).to_string();
    let membership = operatore_of(&app, org).await.to_string();
    let mut g2 = crate::common::people::giulia(&app).await;
    let (path, fields) = (format!("{group}/operatori"), [("operatore", membership.as_str())]);
    let (a, b) = tokio::join!(g.post_form(&path, &fields, false), g2.post_form(&path, &fields, false));
    assert_eq!((a.status, b.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    let luca_cf = cf_of("luca");
    let (path, fields) = (format!("{group}/clienti"), [("clienti", luca_cf.as_str())]);
    let (a, b) = tokio::join!(g.post_form(&path, &fields, false), g2.post_form(&path, &fields, false));
    assert_eq!((a.status, b.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER));
    let rows: (i64, i64) =
        with_conn(&app.state.pool, move |c| Ok((gm::table.count().get_result(c)?, gc::table.count().get_result(c)?)))
            .await
            .expect("rows");
    assert_eq!(rows, (1, 1));
}

/// A request asked for an organisation is its managers': another manager
/// sees it and is told it waits (one request per client for the
/// organisation, whoever asks); anyone else is told nothing exists; the
/// same person asking for himself is another matter.
#[tokio::test]
async fn an_organisations_request_is_its_managers_and_one_waits_per_client() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "amministratore").await;
    switch_to_company(&mut g).await;
    let luca_cf = cf_of("luca");
    let asked = ask_for_company(&app, &mut g, &luca_cf).await;
    let path = format!("/clienti/richieste/{asked}");
    // Mario, who manages the company too, follows it and may not ask again for it.
    assert_eq!(mario.get(&path).await.status, StatusCode::OK);
    switch_to_company(&mut mario).await;
    assert!(mario.get("/clienti").await.body.contains(&path), "in the company's requests");
    let (from, until) = (crate::common::day(&app, 0), crate::common::day(&app, 365));
    let fields = [
        ("cliente", luca_cf.as_str()),
        ("tipo", "non_temporanea"),
        ("ambito", "tutti"),
        ("dal", &from),
        ("al", &until),
    ];
    let again = mario.post_form("/clienti/richiesta", &fields, false).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("attende ancora una risposta"));
    // Giulia, for herself, may ask the same client: another delegate.
    assert_eq!(g.post_form("/profili/attivo", &[("profilo", "cittadino")], false).await.status, StatusCode::SEE_OTHER);
    let own = g.post_form("/clienti/richiesta", &fields, false).await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    // Anyone else: nothing to see.
    let mut anna = anna(&app).await;
    assert_eq!(anna.get(&path).await.status, StatusCode::NOT_FOUND);
}

/// A temporanea the company holds: Mario, the operatore given the client,
/// asks for today's approval from its page; Luca approves; an operatore not
/// given the client cannot ask.
#[tokio::test]
async fn an_operatore_given_the_client_asks_for_a_temporaneas_day() {
    let app = with_registry().await;
    let (mut g, org) = giulia_with_company(&app).await;
    let mut mario = mario_joins(&app, &mut g, org, "operatore").await;
    switch_to_company(&mut g).await;
    let luca_cf = cf_of("luca");
    let (from, until) = (crate::common::day(&app, 0), crate::common::day(&app, 365));
    let fields =
        [("cliente", luca_cf.as_str()), ("tipo", "temporanea"), ("ambito", "tutti"), ("dal", &from), ("al", &until)];
    let res = g.post_form("/clienti/richiesta", &fields, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let asked = id_after(res.header(header::LOCATION), "/clienti/richieste/");
    let mut l = luca(&app).await;
    accepts(&app, &mut l, asked).await;
    let delega = held(&app, org).await[0].0;
    let path = format!("/deleghe/{delega}/azione");
    // Not yet given the client: nothing to ask for.
    assert_eq!(mario.post_form(&path, &[("azione", "chiedi")], false).await.status, StatusCode::NOT_FOUND);
    let res = g.post_form(&org_path(org, "/gruppi"), &[("nome", "Temporanee")], false).await;
    let group = res.header(header::LOCATION).to_string();
    let membership = operatore_of(&app, org).await.to_string();
    g.post_form(&format!("{group}/operatori"), &[("operatore", &membership)], false).await;
    g.post_form(&format!("{group}/clienti"), &[("clienti", &luca_cf)], false).await;
    assert!(mario.get(&format!("/deleghe/{delega}")).await.body.contains("value=\"chiedi\""), "the button");
    let res = mario.post_form(&path, &[("azione", "chiedi")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = l.post_form(&path, &[("azione", "approva")], false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    switch_to_company(&mut mario).await;
    assert_eq!(act_through(&mut mario, delega).await, StatusCode::SEE_OTHER);
    assert_eq!(
        mario.get("/servizi/formazione-a-distanza/accedi").await.status,
        StatusCode::SEE_OTHER,
        "approved today"
    );
}
