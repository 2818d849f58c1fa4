//! Demo data (development only): an approved Utente Estero, so the password
//! and one-time-code sign-in can be tried at once (and load-tested). Her
//! first sign-in enrols the authenticator.
use super::model::{self, NewRegistration};
use super::password;
use crate::db::{with_conn, DbPool};
use chrono::NaiveDate;

pub const EMAIL: &str = "demo.estero@example.org";
pub const PASSWORD: &str = "Servizi Lavoro demo 2026";

pub async fn seed(pool: &DbPool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if with_conn(pool, |c| model::by_email(c, EMAIL)).await?.is_some() {
        return Ok(());
    }
    let reg = NewRegistration {
        email: EMAIL.into(),
        given_name: "Amina".into(),
        family_name: "Okafor".into(),
        birth_date: NaiveDate::from_ymd_opt(1987, 6, 21).ok_or("date")?,
        birth_country: "Nigeria".into(),
        citizenship: "nigeriana".into(),
        phone: "+234 1 555 0100".into(),
        doc_type: "passport".into(),
        doc_number: "A01234567".into(),
        doc_country: "Nigeria".into(),
        doc_expiry: NaiveDate::from_ymd_opt(2034, 6, 30).ok_or("date")?,
        doc_file: model::NO_DOCUMENT.into(),
        doc_mime: "application/pdf".into(),
        password_hash: password::hash(PASSWORD.into()).await?,
        lang: "en".into(),
    };
    with_conn(pool, move |c| {
        let (token, hash) = model::new_token();
        let now = crate::kernel::Clock::system().now();
        let Some(id) = model::register(c, &reg, &hash, now)? else { return Ok(()) };
        model::confirm(c, &token, now)?;
        // Approved by the system itself: there is no operator yet on a fresh machine.
        model::approve_unattended(c, id, now)
    })
    .await?;
    tracing::info!(email = EMAIL, "demo Utente Estero ready");
    Ok(())
}
