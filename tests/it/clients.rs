//! "I miei clienti" (issue 26): everyone a person may act for through the
//! deleghe they received, searched, filtered and paged in the database by
//! keyset, one click to act for a client, a CSV of the same list; nobody
//! else's clients, whatever the address says.
use crate::common::people::{cf_of, id_after, luca, mario, MARIO};
use crate::common::{Browser, TestApp};
use axum::http::{header, StatusCode};
use chrono::Duration;
use diesel::prelude::*;
use servizi_lavoro::db::schema::{accounts as a, deleghe as d};
use servizi_lavoro::db::with_conn;

const COMPANY: &str = "01234567897";

/// `b` grants a delega to Luca for `per` (`me` or an organisation's id), ending in `days`.
async fn to_luca(app: &TestApp, b: &mut Browser<'_>, per: &str, kind: &str, days: i64) -> i64 {
    let (luca_cf, from, until) = (cf_of("luca"), crate::common::day(app, 0), crate::common::day(app, days));
    let fields = [
        ("per", per),
        ("codice_fiscale", luca_cf.as_str()),
        ("tipo", kind),
        ("ambito", "tutti"),
        ("dal", from.as_str()),
        ("al", until.as_str()),
        ("passo", "conferma"),
    ];
    let res = b.post_form("/deleghe/nuova", &fields, false).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    id_after(res.header(header::LOCATION), "/deleghe/")
}

/// The rows of the client list, in order: each client's name cell.
fn names(html: &str) -> Vec<String> {
    html.split("<td data-label=\"Cliente\"><strong>")
        .skip(1)
        .filter_map(|rest| rest.split("</strong>").next().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_consultant_finds_every_client_searches_filters_and_acts_for_one_in_a_click() {
    let app = crate::organisations::with_registry().await;
    let (mut g, org) = crate::organisations::giulia_with_company(&app).await;
    let mut m = mario(&app).await;
    let mut l = luca(&app).await;
    let company = to_luca(&app, &mut g, &org.to_string(), "non_temporanea", 300).await;
    let own = to_luca(&app, &mut m, "me", "non_temporanea", 20).await;
    let giulia_own = to_luca(&app, &mut g, "me", "temporanea", 100).await;
    for id in [company, own] {
        let res = l.post_form(&format!("/deleghe/{id}/azione"), &[("azione", "accetta")], false).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }

    let list = l.get("/clienti").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(names(&list.body), ["Mario Rossi", "Giulia Bianchi", "Bianchi Servizi srl"], "soonest ending first");
    assert!(list.body.contains(COMPANY) && list.body.contains(MARIO));
    assert!(l.get("/deleghe").await.body.contains("href=\"/clienti\""), "reached from the deleghe page");

    // Search by name (any case) or codice fiscale; filters.
    assert_eq!(names(&l.get("/clienti?q=BIANCHI").await.body), ["Giulia Bianchi", "Bianchi Servizi srl"]);
    assert_eq!(names(&l.get("/clienti?q=rossi+mario").await.body), ["Mario Rossi"], "words in any order");
    assert_eq!(names(&l.get("/clienti?q=servizi+bianchi").await.body), ["Bianchi Servizi srl"]);
    assert_eq!(names(&l.get(&format!("/clienti?q={COMPANY}")).await.body), ["Bianchi Servizi srl"]);
    assert_eq!(names(&l.get(&format!("/clienti?q={}", MARIO.to_lowercase())).await.body), ["Mario Rossi"]);
    assert_eq!(names(&l.get("/clienti?scadenza=si").await.body), ["Mario Rossi"], "ending within 30 days");
    assert_eq!(names(&l.get("/clienti?temporanea=si").await.body), ["Giulia Bianchi"]);
    assert_eq!(names(&l.get("/clienti?attesa=si").await.body), ["Giulia Bianchi"], "waiting for Luca's answer");
    assert!(l.get("/clienti?q=nessuno").await.body.contains("Nessun cliente con questi criteri."));
    // The waiting one is answered from its page; the others are acted for in a click.
    let page = l.get("/clienti").await.body;
    assert!(page.contains(&format!("href=\"/deleghe/{giulia_own}\"")));
    assert!(page.contains(&format!("value=\"delega:{company}\"")));
    let switched =
        l.post_form("/profili/attivo", &[("profilo", &format!("delega:{company}")), ("next", "/servizi")], false).await;
    assert_eq!((switched.status, switched.header(header::LOCATION)), (StatusCode::SEE_OTHER, "/servizi"));
    assert!(l.get("/servizi").await.body.contains("Bianchi Servizi srl (con delega)"));

    // The same list as CSV.
    let csv = l.get("/clienti.csv?q=bianchi").await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&csv.bytes).to_string();
    assert!(text.contains("Bianchi Servizi srl") && text.contains("Giulia Bianchi") && !text.contains("Mario Rossi"));

    // Nobody else's clients: Mario's own list is empty, whatever he asks for.
    let other = m.get(&format!("/clienti?q={COMPANY}&dopo=2000-01-01.0")).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(names(&other.body).is_empty());
    // Not signed in: sign in first.
    let anonymous = Browser::new(&app).get("/clienti").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);

    // A client's new name (from their next sign-in) is searched at once, and
    // so would be a corrected codice fiscale (nothing in the portal changes
    // one today): the database keeps the delega's copy true. Locking the row
    // (a no-op update) changes nothing.
    with_conn(&app.state.pool, |c| {
        diesel::update(a::table.filter(a::identifier.eq(MARIO))).set(a::identifier.eq(a::identifier)).execute(c)?;
        diesel::update(a::table.filter(a::identifier.eq(MARIO)))
            .set((a::given_name.eq("Marietto"), a::identifier.eq("RSSMRA80A01H501X")))
            .execute(c)
    })
    .await
    .expect("renamed");
    assert_eq!(names(&l.get("/clienti?q=marietto+rossi").await.body), ["Marietto Rossi"]);
    assert!(names(&l.get("/clienti?q=mario+rossi").await.body).is_empty(), "the old name is gone");
    assert_eq!(names(&l.get("/clienti?q=RSSMRA80A01H501X").await.body), ["Marietto Rossi"]);
    assert!(names(&l.get(&format!("/clienti?q={MARIO}")).await.body).is_empty());
}

#[tokio::test]
async fn the_client_list_pages_by_keyset_without_skipping_or_repeating_a_client() {
    let app = TestApp::new();
    let _m = mario(&app).await;
    let mut l = luca(&app).await;
    let (luca_cf, now) = (cf_of("luca"), app.state.clock.now());
    // 120 deleghe from Mario, several ending on the same day (the id breaks the tie).
    let ids: Vec<i64> = with_conn(&app.state.pool, move |c| {
        let mario_id: i64 = a::table.filter(a::identifier.eq(MARIO)).select(a::id).first(c)?;
        let mut ids = Vec::new();
        for i in 0..120i64 {
            let id: i64 = diesel::insert_into(d::table)
                .values((
                    d::grantor_account_id.eq(mario_id),
                    d::delegate_codice_fiscale.eq(&luca_cf),
                    d::kind.eq("non_temporanea"),
                    d::starts_on.eq(now.date()),
                    d::ends_on.eq(now.date() + Duration::days(10 + i % 7)),
                    d::state.eq("active"),
                    d::acceptance_code.eq(format!("K{i:07}")),
                    d::created_at.eq(now),
                    d::answer_by.eq(now + Duration::days(14)),
                    d::updated_at.eq(now),
                ))
                .returning(d::id)
                .get_result(c)?;
            ids.push(id);
        }
        Ok(ids)
    })
    .await
    .expect("deleghe");
    let mut seen: Vec<String> = Vec::new();
    let mut path = "/clienti".to_string();
    let mut sizes = Vec::new();
    loop {
        let page = l.get(&path).await.body.replace("&amp;", "&");
        let rows: Vec<String> = page
            .split("name=\"profilo\" value=\"delega:")
            .skip(1)
            .filter_map(|r| r.split('"').next().map(str::to_string))
            .collect();
        sizes.push(rows.len());
        seen.extend(rows);
        match page.split("rel=\"next\"").next().and_then(|before| before.rsplit("href=\"").next()) {
            Some(href) if page.contains("rel=\"next\"") => {
                path = href.split('"').next().unwrap_or_default().to_string()
            }
            _ => break,
        }
    }
    assert_eq!(sizes, [50, 50, 20]);
    let mut expected = ids.clone();
    expected.sort_by_key(|id| ((id - ids[0]) % 7, *id));
    let expected: Vec<String> = expected.iter().map(i64::to_string).collect();
    assert_eq!(seen, expected, "every client once, in (end date, id) order");
}

/// `servizi-lavoro demo scale` loads what the load script measures: its
/// clients are in Luca's list, soonest ending first.
#[tokio::test]
async fn the_scale_loader_gives_the_consultant_clients_the_list_shows() {
    let app = TestApp::new();
    let mut l = luca(&app).await;
    let (luca_cf, now) = (cf_of("luca"), app.state.clock.now());
    let n = with_conn(&app.state.pool, move |c| {
        servizi_lavoro::delegations::scale::load_clients(c, &luca_cf, None, 60, now)
    })
    .await
    .expect("load");
    assert_eq!(n, 60);
    let page = l.get("/clienti").await.body;
    assert_eq!(names(&page).len(), 50, "a page of 50");
    assert!(page.contains("rel=\"next\""));
    assert_eq!(names(&l.get("/clienti?q=cliente+59").await.body).len(), 1, "Cliente 59 only");
}
