use crate::db::schema::operators as o;
use crate::db::AnyConnection;
use chrono::Utc;
use diesel::prelude::*;

/// Gives the operator role to a codice fiscale (idempotent).
pub fn add(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<bool> {
    let exists = o::table.find(codice_fiscale).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Ok(false);
    }
    diesel::insert_into(o::table).values((o::identifier.eq(codice_fiscale), o::added_at.eq(Utc::now().naive_utc()))).execute(conn)?;
    Ok(true)
}

pub fn remove(conn: &mut AnyConnection, codice_fiscale: &str) -> QueryResult<bool> {
    Ok(diesel::delete(o::table.find(codice_fiscale)).execute(conn)? > 0)
}
