//! The long lists of issue 26 page by keyset and never load a whole table:
//! a company's Dimissioni modules (also searched, and as CSV), and an
//! organisation's activity — each row once, newest first, and nobody else's.
use crate::common::people::{cf_of, mario};
use crate::common::{input_value, Browser};
use axum::http::StatusCode;
use diesel::prelude::*;
use servizi_lavoro::db::schema::accounts as a;
use servizi_lavoro::db::with_conn;

const COMPANY: &str = "01234567897";

/// The rows' ids linked from a page (`/prefix{digits}"`), and its next page's address.
fn rows_and_next(body: &str, prefix: &str) -> (Vec<String>, Option<String>) {
    let rows = body
        .split(&format!("href=\"{prefix}"))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    let next = body
        .split_once("rel=\"next\"")
        .and_then(|(before, _)| before.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"));
    (rows, next)
}

/// Every page from `start`: the rows in order, and how many pages.
async fn walk(b: &mut Browser<'_>, start: &str, prefix: &str) -> (Vec<String>, usize) {
    let (mut seen, mut pages, mut next) = (Vec::new(), 0, Some(start.to_string()));
    while let Some(path) = next {
        let page = b.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let (rows, more) = rows_and_next(&page.body, prefix);
        assert!(rows.len() <= 50, "{path}: {}", rows.len());
        seen.extend(rows);
        next = more;
        pages += 1;
    }
    (seen, pages)
}

async fn switch_to_company(b: &mut Browser<'_>) {
    let list = b.get("/profili").await.body;
    let row = list.split_once("Bianchi Servizi srl").expect("company row").1;
    let id = input_value(row, "profilo").expect("switch form");
    assert_eq!(b.post_form("/profili/attivo", &[("profilo", &id)], false).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_companys_dimissioni_page_by_keyset_and_its_search_and_csv_see_them_all() {
    let app = crate::organisations::with_registry().await;
    let (mut g, _org) = crate::organisations::giulia_with_company(&app).await;
    let (now, giulia_cf, keys) = (app.state.clock.now(), cf_of("giulia"), app.state.seal.clone());
    with_conn(&app.state.pool, move |c| {
        let sender = a::table.filter(a::identifier.eq(&giulia_cf)).select(a::id).first(c)?;
        let employer =
            servizi_lavoro::dimissioni::scale::Employer { codice_fiscale: COMPANY, name: "Bianchi Servizi srl" };
        servizi_lavoro::dimissioni::scale::load_modules(c, &keys, &employer, sender, 120, now)
    })
    .await
    .expect("modules");
    switch_to_company(&mut g).await;
    let (codes, pages) = walk(&mut g, "/dimissioni-volontarie", "/dimissioni-volontarie/").await;
    assert_eq!(pages, 3);
    assert_eq!(codes.len(), 120);
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(codes, sorted, "newest first (a code is its transmission time)");
    sorted.dedup();
    assert_eq!(sorted.len(), 120, "each once");
    // A search pages too, and keeps its terms on every page.
    let (giusta, _) = walk(&mut g, "/dimissioni-volontarie?tipo=giusta_causa", "/dimissioni-volontarie/").await;
    assert_eq!(giusta.len(), 18, "every seventh: 0, 7, …, 119");
    // The CSV has them all.
    let csv = g.get("/dimissioni-volontarie.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 121);
    // Nobody else's: a worker's own list with a cursor shows only theirs.
    let mut m = mario(&app).await;
    let (mine, _) = walk(&mut m, "/dimissioni-volontarie?prima=999999999", "/dimissioni-volontarie/").await;
    assert!(mine.is_empty());
    // A cursor that does not parse starts from the first page.
    let (first, _) = rows_and_next(&g.get("/dimissioni-volontarie?prima=abc").await.body, "/dimissioni-volontarie/");
    assert_eq!(first.first(), codes.first());
}

#[tokio::test]
async fn an_organisations_activity_pages_by_keyset_through_what_was_done_as_it_and_to_it() {
    let app = crate::organisations::with_registry().await;
    let (mut g, org) = crate::organisations::giulia_with_company(&app).await;
    // Read as the organisation's manager: an event the running code writes.
    assert_eq!(g.get(&format!("/profili/organizzazioni/{org}/attivita")).await.status, StatusCode::OK);
    let (now, giulia_cf) = (app.state.clock.now(), cf_of("giulia"));
    let org_id = servizi_lavoro::kernel::OrganisationId::new(org);
    with_conn(&app.state.pool, move |c| {
        let actor = a::table.filter(a::identifier.eq(&giulia_cf)).select(a::id).first(c)?;
        servizi_lavoro::access::scale::load_activity(c, org_id, actor, 120, now)
    })
    .await
    .expect("activity");
    // Read back a page at a time: every event once, newest first, the
    // portal's own (her association, written by the running code) among them.
    let mut before = None;
    let mut seen: Vec<(i64, String)> = Vec::new();
    loop {
        let page =
            with_conn(&app.state.pool, move |c| servizi_lavoro::access::about_organisation(c, org_id, before, 50))
                .await
                .expect("page");
        let Some((last, _)) = page.last() else { break };
        before = Some(*last);
        seen.extend(page.into_iter().map(|(id, e)| (id, e.request_id)));
    }
    let ids: Vec<i64> = seen.iter().map(|(id, _)| *id).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    sorted.dedup();
    assert_eq!(ids, sorted, "newest first, each once");
    assert_eq!(seen.iter().filter(|(_, r)| r.starts_with("scale-")).count(), 120);
    assert!(seen.iter().any(|(_, r)| !r.starts_with("scale-")), "the events the portal wrote are found too");
    // The page: 50 rows and a link to the next, which keeps going.
    let path = format!("/profili/organizzazioni/{org}/attivita");
    let first = g.get(&path).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body.matches("<tr>").count(), 51, "a header row and 50 events");
    let (_, next) = rows_and_next(&first.body, "/none/");
    let next = next.expect("a next page");
    assert!(next.starts_with(&format!("{path}?prima=")), "{next}");
    let second = g.get(&next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Torna all'inizio"));
    // Nobody else's: a stranger gets 404, cursor or not, and nothing of the organisation.
    let mut m = mario(&app).await;
    let denied = m.get(&next).await;
    assert_eq!(denied.status, StatusCode::NOT_FOUND);
    assert!(!denied.body.contains("Bianchi"));
    assert_eq!(g.get(&format!("{path}?prima=abc")).await.status, StatusCode::OK, "a bad cursor: the first page");
}

#[tokio::test]
async fn the_helpdesk_queues_page_by_keyset_and_count_everything_waiting() {
    use servizi_lavoro::db::schema::{foreign_users as u, support_cases as s};
    let app = crate::common::TestApp::new();
    let mut ops = crate::foreign_user::operator(&app).await;
    let now = app.state.clock.now();
    // 120 support requests, several changed at the same instant (the id breaks the tie),
    // and 70 Utente Estero requests waiting.
    with_conn(&app.state.pool, move |c| {
        for i in 0..120i64 {
            diesel::insert_into(s::table)
                .values((
                    s::case_number.eq(format!("URP-2026-{i:06}")),
                    s::name.eq(format!("Richiedente {i}")),
                    s::email.eq(format!("r{i}@example.org")),
                    s::lang.eq("it"),
                    s::category.eq("altro"),
                    s::description.eq("Una domanda"),
                    s::state.eq(if i % 2 == 0 { "new" } else { "in_progress" }),
                    s::access_token_hash.eq(format!("h{i}")),
                    s::created_at.eq(now),
                    s::updated_at.eq(now - chrono::Duration::minutes(i / 4)),
                ))
                .execute(c)?;
        }
        for i in 0..70i64 {
            diesel::insert_into(u::table)
                .values((
                    (
                        u::public_id.eq(format!("UE-{i:06}")),
                        u::email.eq(format!("ue{i}@example.org")),
                        u::given_name.eq("Ana"),
                        u::family_name.eq(format!("Estera {i}")),
                        u::birth_date.eq(chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("day")),
                        u::birth_country.eq("ES"),
                        u::citizenship.eq("ES"),
                        u::phone.eq("+34600000000"),
                    ),
                    (
                        u::doc_type.eq("passport"),
                        u::doc_number.eq(format!("X{i}")),
                        u::doc_country.eq("ES"),
                        u::doc_expiry.eq(chrono::NaiveDate::from_ymd_opt(2030, 1, 1).expect("day")),
                        u::doc_file.eq(""),
                        u::doc_mime.eq("application/pdf"),
                        u::password_hash.eq("x"),
                        u::lang.eq("es"),
                        u::status.eq("pending"),
                        u::created_at.eq(now),
                    ),
                ))
                .execute(c)?;
        }
        Ok(())
    })
    .await
    .expect("rows");
    // Support requests: every one once, most recently changed first.
    let (mut numbers, mut next, mut pages) = (Vec::new(), Some("/assistenza/supporto".to_string()), 0);
    while let Some(path) = next {
        let page = ops.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let found: Vec<String> = page
            .body
            .split("href=\"/assistenza/supporto/URP-")
            .skip(1)
            .filter_map(|s| s.split('"').next().map(|n| format!("URP-{n}")))
            .collect();
        assert!(found.len() <= 50);
        numbers.extend(found);
        next = rows_and_next(&page.body, "/none/").1;
        pages += 1;
    }
    assert_eq!(pages, 3);
    // Changed at the same minute four at a time: the newest id first within a minute.
    let mut expected = Vec::new();
    for minute in 0..30 {
        let mut group: Vec<String> = (minute * 4..minute * 4 + 4).map(|i| format!("URP-2026-{i:06}")).collect();
        group.reverse();
        expected.extend(group);
    }
    assert_eq!(numbers, expected);
    // A search pages too, and keeps its terms.
    let page = ops.get("/assistenza/supporto?stato=new").await.body;
    let next = rows_and_next(&page, "/none/").1.expect("a second page of new requests");
    assert!(next.contains("stato=new") && next.contains("dopo="), "{next}");
    assert_eq!(
        ops.get("/assistenza/supporto?dopo=nonsense").await.status,
        StatusCode::OK,
        "a bad cursor: the first page"
    );

    // The Utente Estero queue: 70 waiting, said in full, 50 on the first page, oldest first.
    let console = ops.get("/assistenza").await.body;
    assert!(console.contains("Richieste da esaminare (70)"), "everything waiting is counted");
    let first: Vec<&str> = console.split("Estera ").skip(1).filter_map(|s| s.split('<').next()).collect();
    assert_eq!(first.len(), 50);
    assert_eq!(first[0], "0");
    let next = rows_and_next(&console, "/none/").1.expect("a second page");
    assert!(next.contains("richieste_dopo="), "{next}");
    let second = ops.get(&next).await.body;
    let rest: Vec<&str> = second.split("Estera ").skip(1).filter_map(|s| s.split('<').next()).collect();
    assert_eq!(rest.len(), 20);
    assert_eq!(rest[0], "50");
    // Not an operator: no queue at all.
    let mut m = crate::common::people::luca(&app).await;
    assert_eq!(m.get(&next).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_organisations_members_page_by_name_each_once() {
    let app = crate::organisations::with_registry().await;
    let (mut g, org) = crate::organisations::giulia_with_company(&app).await;
    let now = app.state.clock.now();
    let org_id = servizi_lavoro::kernel::OrganisationId::new(org);
    with_conn(&app.state.pool, move |c| servizi_lavoro::profiles::demo::add_operators(c, org_id, 120, now))
        .await
        .expect("operatori");
    // Every member once (Giulia and 120 operatori, all called "Operatore Scala": the id breaks the tie).
    let (mut seen, mut next, mut pages) = (Vec::new(), Some(format!("/profili/organizzazioni/{org}")), 0);
    while let Some(path) = next {
        let page = g.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let section = page
            .body
            .split("id=\"members-heading\"")
            .nth(1)
            .unwrap_or("")
            .split("id=\"invite-heading\"")
            .next()
            .unwrap_or("")
            .to_string();
        // Each operatore's role form, once per row.
        let ids: Vec<i64> = section
            .split("/membri/")
            .skip(1)
            .filter(|s| s.contains("/ruolo\""))
            .filter_map(|s| s.split('/').next()?.parse().ok())
            .collect();
        seen.extend(ids);
        next = rows_and_next(&section, "/none/").1;
        pages += 1;
    }
    assert_eq!(pages, 3, "121 members, 50 a page");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "the same name: by membership, each once");
    assert_eq!(seen.len(), 120);
    // A cursor that is not a member of this organisation starts from the first page.
    assert_eq!(g.get(&format!("/profili/organizzazioni/{org}?membri_dopo=abc")).await.status, StatusCode::OK);
}
