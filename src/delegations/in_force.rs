//! Acting through a delega holds only while the delega does: on every
//! request its state, dates, the grantor's own membership and (for a
//! temporanea) today's approval are read again; when it no longer holds the
//! person is back to Cittadino at once.
use super::lifecycle::State;
use super::model::{self, Kind};
use crate::auth::session::BoxFuture;
use crate::db::AnyConnection;
use crate::identity::organisations;
use crate::kernel::{AccountId, DelegaId};
use crate::kernel::{Acting, AppState, Basis, DelegaGrant, Principal, Profile, Subject};
use chrono::NaiveDateTime;
use diesel::{Connection, QueryResult};

/// Whom delega `id` lets the person (account `account`, codice fiscale
/// `codice_fiscale`) act for now, and within which limits; `None` when it does
/// not: not theirs, not in force, or its grantor no longer manages the organisation.
pub fn acting_through(
    conn: &mut AnyConnection,
    id: DelegaId,
    account: AccountId,
    codice_fiscale: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Acting>> {
    let Some(d) = model::find(conn, id, now)? else { return Ok(None) };
    // One person's: theirs, accepted by them; an organisation's: a member
    // who may act for this client now (their role and groups re-read).
    let standing = super::groups::holding_of(conn, &d, account)?;
    let theirs = match &standing {
        Some((holding, _)) => holding.acts(),
        None => d.delegate_codice_fiscale == codice_fiscale && d.delegate_account_id == Some(account),
    };
    if !theirs || d.state != State::Active {
        return Ok(None);
    }
    let (subject, capacity) = match &d.organisation {
        Some(org) => {
            let manages = organisations::role_in(conn, org.id, d.grantor_account_id)?.is_some_and(|r| r.manages());
            if !manages {
                return Ok(None);
            }
            (Subject::Organisation { id: org.id, name: org.name.clone() }, org.kind.capacity())
        }
        None => {
            (Subject::Person { account_id: d.grantor_account_id, name: d.grantor_name.clone() }, Profile::Cittadino)
        }
    };
    let today = crate::kernel::clock::italian_day(now);
    let approved_today =
        d.kind == Kind::Temporanea && model::approval_state(conn, id, today)? == Some(model::Approval::Approved);
    // Through an organisation's delega, an operatore it gave only some
    // services uses only those of the delega's.
    let limit = standing.and_then(|(_, limit)| limit);
    let services = match (d.services.clone(), limit) {
        (services, None) => services,
        (None, Some(limit)) => Some(limit),
        (Some(services), Some(limit)) => Some(services.into_iter().filter(|s| limit.contains(s)).collect()),
    };
    let grant = DelegaGrant {
        services,
        from: d.starts_on,
        until: d.ends_on,
        temporary: d.kind == Kind::Temporanea,
        today,
        approved_today,
    };
    Ok(Some(Acting { subject, capacity, basis: Basis::Delega { id, grant } }))
}

/// The delega refresher (see `auth::session::Refresh`): acting through a
/// delega holds only while it does, with its limits as they are today.
pub fn refresh(state: &AppState, who: &Principal) -> Option<BoxFuture<Result<Option<Acting>, crate::db::DbError>>> {
    let Basis::Delega { id, .. } = who.acting.basis else { return None };
    let (account, codice_fiscale, now) = (who.actor.account_id, who.actor.identifier.clone(), state.clock.now());
    let pool = state.pool.clone();
    Some(Box::pin(async move {
        // One read transaction for its four or five reads: they see one
        // instant (the delega, the holding, the grantor's role), and SQLite
        // takes its shared-memory lock once (each statement on its own took
        // it again, two fcntl calls each: a tenth of such a request).
        let fresh =
            crate::db::read(&pool, move |c| c.transaction(|c| acting_through(c, id, account, &codice_fiscale, now)))
                .await?;
        Ok(Some(fresh.unwrap_or_else(|| {
            tracing::info!(%account, delega = %id, "delega no longer in force: acting as Cittadino again");
            Acting::themself()
        })))
    }))
}
