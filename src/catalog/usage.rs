//! Which services people enter: for "most used" and "recently used".
use crate::db::schema::service_uses as s;
use crate::db::AnyConnection;
use chrono::Utc;
use diesel::dsl::count_star;
use diesel::prelude::*;

pub fn record(conn: &mut AnyConnection, account_id: i64, slug: &str) -> QueryResult<()> {
    diesel::insert_into(s::table)
        .values((s::account_id.eq(account_id), s::slug.eq(slug), s::at.eq(Utc::now().naive_utc())))
        .execute(conn)
        .map(|_| ())
}

/// The most entered services, most first.
pub fn most_used(conn: &mut AnyConnection, limit: i64) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, i64)> = s::table.group_by(s::slug).select((s::slug, count_star())).order(count_star().desc()).limit(limit).load(conn)?;
    Ok(rows.into_iter().map(|(slug, _)| slug).collect())
}

/// The services this person entered last, each once, latest first.
pub fn recent(conn: &mut AnyConnection, account_id: i64, limit: usize) -> QueryResult<Vec<String>> {
    let rows: Vec<String> = s::table.filter(s::account_id.eq(account_id)).order(s::at.desc()).select(s::slug).limit(50).load(conn)?;
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
