//! What waits for a person's answer, for the banner right after sign-in:
//! deleghe granted to their codice fiscale and not yet answered. (Read here,
//! below the domains, so the personal area can say so without depending on them.)
use crate::db::schema::deleghe as d;
use crate::db::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// How many deleghe wait for the answer of the person with `codice_fiscale`.
pub fn deleghe(conn: &mut AnyConnection, codice_fiscale: &str, now: NaiveDateTime) -> QueryResult<i64> {
    d::table
        .filter(d::delegate_codice_fiscale.eq(codice_fiscale))
        .filter(d::delegate_organisation_id.is_null())
        .filter(d::state.eq("pending"))
        .filter(d::answer_by.gt(now))
        .count()
        .get_result(conn)
}
