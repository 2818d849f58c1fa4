//! /deleghe at scale (issue 26): each list paged newest first by keyset,
//! filtered by state in the database — the database's idea of a state as of
//! now agrees with the lifecycle's — and the scheduled job reaches every
//! delega, however many there are.
use crate::common::people::{cf_of, luca, mario, MARIO};
use crate::common::TestApp;
use axum::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use servizi_lavoro::db::schema::{accounts as a, deleghe as d};
use servizi_lavoro::db::with_conn;
use servizi_lavoro::delegations::lifecycle::State;
use servizi_lavoro::delegations::model::{self, Window};

/// Deleghe from Mario to Luca, one per (stored state, start, end, answer by)
/// as offsets from now in days; their ids, in order.
async fn stored(app: &TestApp, rows: Vec<(&'static str, i64, i64, i64)>) -> Vec<i64> {
    let (luca_cf, now) = (cf_of("luca"), app.state.clock.now());
    let today = servizi_lavoro::kernel::clock::italian_day(now);
    with_conn(&app.state.pool, move |c| {
        let mario_id: i64 = a::table.filter(a::identifier.eq(MARIO)).select(a::id).first(c)?;
        let mut ids = Vec::new();
        for (i, (state, from, until, answer)) in rows.iter().enumerate() {
            let id: i64 = diesel::insert_into(d::table)
                .values((
                    d::grantor_account_id.eq(mario_id),
                    d::delegate_codice_fiscale.eq(&luca_cf),
                    d::kind.eq("non_temporanea"),
                    d::starts_on.eq(today + Duration::days(*from)),
                    d::ends_on.eq(today + Duration::days(*until)),
                    d::state.eq(*state),
                    d::acceptance_code.eq(format!("P{i:07}")),
                    d::created_at.eq(now),
                    d::answer_by.eq(now + Duration::days(*answer)),
                    d::updated_at.eq(now),
                ))
                .returning(d::id)
                .get_result(c)?;
            ids.push(id);
        }
        Ok(ids)
    })
    .await
    .expect("deleghe")
}

async fn received(app: &TestApp, now: NaiveDateTime, state: Option<State>) -> Vec<(i64, State)> {
    let cf = cf_of("luca");
    with_conn(&app.state.pool, move |c| model::received(c, &cf, now, Window::first(1000).in_state(state)))
        .await
        .expect("received")
        .into_iter()
        .map(|d| (d.id.get(), d.state))
        .collect()
}

#[tokio::test]
async fn the_databases_state_of_a_delega_agrees_with_the_lifecycle() {
    let app = TestApp::new();
    let _m = mario(&app).await;
    // Every stored state, with starts, ends and answer days on each side of today and now.
    let mut rows = Vec::new();
    for state in ["pending", "accepted", "active", "refused", "expired", "revoked", "renounced"] {
        for (from, until) in [(-10, -1), (-10, 0), (-1, 5), (0, 5), (1, 5), (3, 30)] {
            for answer in [-1, 1] {
                rows.push((state, from, until, answer));
            }
        }
    }
    stored(&app, rows).await;
    // Now, at midnight in Rome and just before it: the days are Italian days.
    let now = app.state.clock.now();
    for at in [now, now + Duration::hours(12), now + Duration::days(1)] {
        let all = received(&app, at, None).await;
        for state in State::ALL {
            let mut want: Vec<i64> = all.iter().filter(|(_, s)| *s == state).map(|(id, _)| *id).collect();
            let mut got: Vec<i64> = received(&app, at, Some(state)).await.into_iter().map(|(id, _)| id).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{state:?} at {at}");
        }
        if at == now {
            assert!(State::ALL.iter().all(|s| all.iter().any(|(_, x)| x == s)), "every state is met");
        }
    }
}

/// The ids of the received list's rows on a page of /deleghe, and its next page's address.
fn received_rows(body: &str) -> (Vec<i64>, Option<String>) {
    let section = body.split("id=\"received-heading\"").nth(1).unwrap_or("");
    let section = section.split("id=\"given-heading\"").next().unwrap_or("");
    let ids = section.split("href=\"/deleghe/").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect();
    let next = section
        .split("rel=\"next\"")
        .next()
        .filter(|_| section.contains("rel=\"next\""))
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"));
    (ids, next)
}

#[tokio::test]
async fn each_list_pages_newest_first_without_skipping_or_repeating_and_keeps_its_filter() {
    let app = TestApp::new();
    let _m = mario(&app).await;
    // 120 in force, 7 waiting for Luca's answer (the oldest, so on the last page).
    let mut rows = vec![("pending", 0, 30, 5); 7];
    rows.extend(vec![("active", -1, 30, -1); 120]);
    let ids = stored(&app, rows).await;
    let mut l = luca(&app).await;
    let mut seen = Vec::new();
    let mut next = Some("/deleghe".to_string());
    let mut pages = 0;
    while let Some(path) = next {
        let page = l.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Hai deleghe ricevute in attesa"), "the waiting ones are announced on every page");
        let (rows, more) = received_rows(&page.body);
        assert!(rows.len() <= 50);
        seen.extend(rows);
        next = more;
        pages += 1;
    }
    assert_eq!(pages, 3);
    let mut want = ids.clone();
    want.reverse();
    assert_eq!(seen, want, "every delega once, newest first");
    // Filtered in the database: the 7 waiting ones on one page.
    let (pending, more) = received_rows(&l.get("/deleghe?stato=pending").await.body);
    assert_eq!((pending.len(), more), (7, None));
    let (active, more) = received_rows(&l.get("/deleghe?stato=active").await.body);
    assert_eq!(active.len(), 50);
    let more = more.expect("a second page");
    assert!(more.contains("stato=active") && more.contains("ricevute_prima="), "{more}");
    // A cursor that does not parse starts from the first page.
    let (first, _) = received_rows(&l.get("/deleghe?ricevute_prima=abc").await.body);
    assert_eq!(first.first(), want.first());
}

#[tokio::test]
async fn the_scheduled_job_reaches_every_delega_however_many() {
    let app = TestApp::new();
    let _m = mario(&app).await;
    // More than one batch of the job, all due to start today.
    let ids = stored(&app, vec![("accepted", 0, 30, -1); 1203]).await;
    let report = servizi_lavoro::delegations::jobs::run(&app.state, app.state.clock.now()).await.expect("job");
    assert_eq!(report.changed, ids.len());
    let states: Vec<String> =
        with_conn(&app.state.pool, |c| d::table.select(d::state).distinct().load(c)).await.expect("states");
    assert_eq!(states, ["active"]);
}

/// The ids of the given list's rows on a page of /deleghe, and its next page's address.
fn given_rows(body: &str) -> (Vec<i64>, Option<String>) {
    let section = body.split("id=\"given-heading\"").nth(1).unwrap_or("");
    let ids = section.split("href=\"/deleghe/").skip(1).filter_map(|s| s.split('"').next()?.parse().ok()).collect();
    let next = section
        .split_once("rel=\"next\"")
        .and_then(|(before, _)| before.rsplit("href=\"").next())
        .and_then(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"));
    (ids, next)
}

#[tokio::test]
async fn the_given_list_merges_ones_own_and_the_organisations_newest_first() {
    let app = crate::organisations::with_registry().await;
    let (mut g, org) = crate::organisations::giulia_with_company(&app).await;
    let (giulia_cf, now) = (cf_of("giulia"), app.state.clock.now());
    let today = servizi_lavoro::kernel::clock::italian_day(now);
    // 90 deleghe, every third her own, the rest the company's, interleaved.
    let ids: Vec<i64> = with_conn(&app.state.pool, move |c| {
        let giulia: i64 = a::table.filter(a::identifier.eq(&giulia_cf)).select(a::id).first(c)?;
        let mut ids = Vec::new();
        for i in 0..90i64 {
            let id: i64 = diesel::insert_into(d::table)
                .values((
                    d::grantor_account_id.eq(giulia),
                    d::organisation_id.eq((i % 3 != 0).then_some(org)),
                    d::delegate_codice_fiscale.eq(MARIO),
                    d::kind.eq("non_temporanea"),
                    d::starts_on.eq(today),
                    d::ends_on.eq(today + Duration::days(30)),
                    d::state.eq("active"),
                    d::acceptance_code.eq(format!("G{i:07}")),
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
    let (mut seen, mut next) = (Vec::new(), Some("/deleghe".to_string()));
    while let Some(path) = next {
        let (rows, more) = given_rows(&g.get(&path).await.body);
        assert!(rows.len() <= 50);
        seen.extend(rows);
        next = more;
    }
    let mut want = ids;
    want.reverse();
    assert_eq!(seen, want, "own and the company's, merged newest first, each once");
}
