//! The codice fiscale an eIDAS person declares (an EU citizen working in
//! Italy has one, but eIDAS does not carry it): checked against their eIDAS
//! name and date of birth before it is kept, one per account, and never the
//! same for two eIDAS identities.
use super::codice_fiscale::{self, Misfit};
use crate::db::schema::{accounts as a, declared_codici_fiscali as d};
use crate::db::AnyConnection;
use crate::kernel::{AccountId, CodiceFiscale};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Why a declaration is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a valid 16-character codice fiscale.
    Format,
    /// It does not fit the person's name or date of birth.
    Misfit(Misfit),
    /// The identity provider gave no date of birth to check it against.
    NoBirthDate,
    /// Another eIDAS identity declared it.
    Taken,
}

/// The codice fiscale declared for `account`, if any.
pub fn of(conn: &mut AnyConnection, account: AccountId) -> QueryResult<Option<String>> {
    d::table.find(account).select(d::codice_fiscale).first(conn).optional()
}

/// Checks `typed` against the account's name and date of birth and keeps it.
pub fn declare(
    conn: &mut AnyConnection,
    account: AccountId,
    typed: &str,
    now: NaiveDateTime,
) -> QueryResult<Result<String, Refusal>> {
    let Some(cf) = CodiceFiscale::personal(typed).map(String::from) else {
        return Ok(Err(Refusal::Format));
    };
    conn.transaction(|c| {
        let (given, family, born): (String, String, Option<chrono::NaiveDate>) =
            a::table.find(account).select((a::given_name, a::family_name, a::date_of_birth)).first(c)?;
        let Some(born) = born else { return Ok(Err(Refusal::NoBirthDate)) };
        if let Err(m) = codice_fiscale::fits(&cf, &family, &given, born) {
            return Ok(Err(Refusal::Misfit(m)));
        }
        let holder: Option<AccountId> =
            d::table.filter(d::codice_fiscale.eq(&cf)).select(d::account_id).first(c).optional()?;
        if holder.is_some_and(|h| h != account) {
            return Ok(Err(Refusal::Taken));
        }
        diesel::delete(d::table.find(account)).execute(c)?;
        diesel::insert_into(d::table)
            .values((d::account_id.eq(account), d::codice_fiscale.eq(&cf), d::declared_at.eq(now)))
            .execute(c)?;
        Ok(Ok(cf))
    })
}
