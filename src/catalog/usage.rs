//! Which services people enter: for "most used" and "recently used".
use crate::db::schema::service_uses as s;
use crate::db::AnyConnection;
use crate::kernel::AccountId;
use diesel::dsl::count_star;
use diesel::prelude::*;

/// Records an entry into a service; only an allowed entry has a permit.
pub fn record(
    conn: &mut AnyConnection,
    permit: &crate::access::Permit,
    service: &crate::catalog::model::Service,
    now: chrono::NaiveDateTime,
) -> QueryResult<()> {
    permit.require(crate::access::Action::Enter, &crate::access::Resource::Service(service.requirements()))?;
    let account_id = permit.account_id();
    diesel::insert_into(s::table)
        .values((s::account_id.eq(account_id), s::slug.eq(&service.slug), s::at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// The most entered services, most first.
pub fn most_used(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, i64)> = s::table
        .group_by(s::slug)
        .select((s::slug, count_star()))
        .order(count_star().desc())
        .limit(limit)
        .load(conn)?;
    Ok(rows.into_iter().map(|(slug, _)| slug).collect())
}

/// The services this person entered last, each once, latest first.
pub fn recent(conn: &mut AnyConnection, account_id: AccountId, limit: usize) -> QueryResult<Vec<String>> {
    let rows: Vec<String> =
        s::table.filter(s::account_id.eq(account_id)).order(s::at.desc()).select(s::slug).limit(50).load(conn)?;
    let mut seen = Vec::new();
    for slug in rows {
        if !seen.contains(&slug) {
            seen.push(slug);
        }
        if seen.len() == limit {
            break;
        }
    }
    Ok(seen)
}

/// How long the "most used" aggregate is reused before it is counted again.
const MOST_USED_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// [`most_used`] (six), counted at most once a minute per instance: the home
/// page is the busiest page and the ranking moves slowly.
pub async fn most_used_cached(pool: &crate::db::DbPool) -> Result<Vec<String>, crate::db::DbError> {
    use std::sync::Mutex;
    use std::time::Instant;
    static CACHE: Mutex<Option<(Instant, Vec<String>)>> = Mutex::new(None);
    if let Ok(guard) = CACHE.lock() {
        if let Some((_, list)) = guard.as_ref().filter(|(at, _)| at.elapsed() < MOST_USED_TTL) {
            return Ok(list.clone());
        }
    }
    let list = crate::db::with_conn(pool, |c| most_used(c, 6)).await?;
    if let Ok(mut guard) = CACHE.lock() {
        *guard = Some((Instant::now(), list.clone()));
    }
    Ok(list)
}
