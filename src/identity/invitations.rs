//! Invitations: whoever manages an organisation invites a colleague by
//! codice fiscale (they need not have signed in yet); the colleague accepts
//! or refuses after signing in with SPID or CIE. The life of an invitation is
//! [`State`], and every change goes through [`State::after`].
use crate::access::{Action, Permit, Resource};
use crate::db::schema::{accounts as a, invitations as i, organisations as o};
use crate::db::AnyConnection;
use crate::identity::organisations::{self, Role};
use crate::kernel::{AccountId, InvitationId, OrganisationId};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long an invitation waits for an answer.
pub const VALID_DAYS: i64 = 14;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Pending,
    Accepted,
    Refused,
    /// Withdrawn by someone who manages the organisation.
    Revoked,
    /// Not answered in time.
    Expired,
}

/// What can happen to an invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Accept,
    Refuse,
    Revoke,
    Expire,
}

impl State {
    const ALL: [State; 5] = [State::Pending, State::Accepted, State::Refused, State::Revoked, State::Expired];

    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Accepted => "accepted",
            State::Refused => "refused",
            State::Revoked => "revoked",
            State::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The message key of the state's name.
    pub fn name_key(self) -> String {
        format!("invitation-state-{}", self.code())
    }

    /// The only transitions there are: a pending invitation is answered,
    /// withdrawn or runs out, once. Anything else is illegal (`None`).
    pub fn after(self, event: Event) -> Option<State> {
        match (self, event) {
            (State::Pending, Event::Accept) => Some(State::Accepted),
            (State::Pending, Event::Refuse) => Some(State::Refused),
            (State::Pending, Event::Revoke) => Some(State::Revoked),
            (State::Pending, Event::Expire) => Some(State::Expired),
            _ => None,
        }
    }
}

/// One invitation, as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub id: InvitationId,
    pub organisation_id: OrganisationId,
    pub organisation_name: String,
    pub invitee: String,
    pub role: Role,
    pub invited_by: String,
    pub state: State,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

type Row = (InvitationId, OrganisationId, String, String, String, String, String, String, NaiveDateTime, NaiveDateTime);

fn load(conn: &mut AnyConnection, filter: Filter, now: NaiveDateTime) -> QueryResult<Vec<Invitation>> {
    let query = i::table
        .inner_join(o::table)
        .inner_join(a::table.on(a::id.eq(i::invited_by)))
        .select((
            i::id,
            i::organisation_id,
            o::name,
            i::invitee_codice_fiscale,
            i::role,
            a::given_name,
            a::family_name,
            i::state,
            i::created_at,
            i::expires_at,
        ))
        .order(i::created_at.desc())
        .into_boxed();
    let rows: Vec<Row> = match filter {
        Filter::Id(id) => query.filter(i::id.eq(id)).load(conn)?,
        Filter::Organisation(id) => query.filter(i::organisation_id.eq(id)).limit(100).load(conn)?,
        Filter::PendingFor(codice_fiscale) => query
            .filter(i::invitee_codice_fiscale.eq(codice_fiscale))
            .filter(i::state.eq(State::Pending.code()))
            .filter(i::expires_at.gt(now))
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, organisation_id, organisation_name, invitee, role, given, family, state, created_at, expires_at)| {
                let mut state = State::parse(&state)?;
                // Past its time it has run out, whether or not the sweep wrote it down yet.
                if state == State::Pending && expires_at <= now {
                    state = State::Expired;
                }
                Some(Invitation {
                    id,
                    organisation_id,
                    organisation_name,
                    invitee,
                    role: Role::parse(&role)?,
                    invited_by: format!("{given} {family}"),
                    state,
                    created_at,
                    expires_at,
                })
            },
        )
        .collect())
}

enum Filter<'a> {
    Id(InvitationId),
    Organisation(OrganisationId),
    PendingFor(&'a str),
}

pub fn find(conn: &mut AnyConnection, id: InvitationId, now: NaiveDateTime) -> QueryResult<Option<Invitation>> {
    Ok(load(conn, Filter::Id(id), now)?.into_iter().next())
}

/// An organisation's invitations, newest first.
pub fn of_organisation(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    now: NaiveDateTime,
) -> QueryResult<Vec<Invitation>> {
    load(conn, Filter::Organisation(organisation_id), now)
}

/// How many of the organisation's invitations wait for an answer now
/// (counted in the database: the page lists only the newest 100).
pub fn pending_count(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    i::table
        .filter(i::organisation_id.eq(organisation_id))
        .filter(i::state.eq(State::Pending.code()))
        .filter(i::expires_at.gt(now))
        .count()
        .get_result(conn)
}

/// The invitations waiting for the person with `codice_fiscale`.
pub fn pending_for(conn: &mut AnyConnection, codice_fiscale: &str, now: NaiveDateTime) -> QueryResult<Vec<Invitation>> {
    load(conn, Filter::PendingFor(codice_fiscale), now)
}

/// Why an invitation could not be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InviteRefusal {
    AlreadyMember,
    AlreadyInvited,
}

/// Invites `invitee` (a codice fiscale) to `organisation_id` as `role`.
pub fn create(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    invitee: &str,
    role: Role,
    invited_by: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Result<InvitationId, InviteRefusal>> {
    conn.transaction(|c| {
        if organisations::is_member(c, organisation_id, invitee)? {
            return Ok(Err(InviteRefusal::AlreadyMember));
        }
        // One that ran out no longer blocks a new one.
        expire_due(c, now)?;
        let open = i::table
            .filter(i::organisation_id.eq(organisation_id))
            .filter(i::invitee_codice_fiscale.eq(invitee))
            .filter(i::state.eq(State::Pending.code()))
            .count()
            .get_result::<i64>(c)?;
        if open > 0 {
            return Ok(Err(InviteRefusal::AlreadyInvited));
        }
        diesel::insert_into(i::table)
            .values((
                i::organisation_id.eq(organisation_id),
                i::invitee_codice_fiscale.eq(invitee),
                i::role.eq(role.code()),
                i::invited_by.eq(invited_by),
                i::state.eq(State::Pending.code()),
                i::created_at.eq(now),
                i::expires_at.eq(now + Duration::days(VALID_DAYS)),
            ))
            .execute(c)?;
        let id = i::table
            .filter(i::organisation_id.eq(organisation_id))
            .filter(i::invitee_codice_fiscale.eq(invitee))
            .filter(i::state.eq(State::Pending.code()))
            .select(i::id)
            .first(c)?;
        Ok(Ok(id))
    })
}

/// Applies `event` to invitation `id` by `actor`; accepting also makes the
/// membership. `Err(state)`: the invitation is in `state`, where `event` is
/// not allowed (answered, withdrawn or run out).
pub fn apply(
    conn: &mut AnyConnection,
    permit: &Permit,
    id: InvitationId,
    event: Event,
    actor: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Result<State, State>> {
    conn.transaction(|c| {
        let Some(inv) = find(c, id, now)? else { return Err(diesel::result::Error::NotFound) };
        // The invited person answers; those who manage the organisation withdraw.
        let organisation = Resource::Organisation { id: inv.organisation_id, role: None };
        if !permit.covers(Action::Change, &organisation) {
            permit.require(Action::Decide, &Resource::Invitation { id, invitee: &inv.invitee })?;
        }
        if inv.state == State::Expired {
            expire_due(c, now)?;
        }
        // An invitation carries its sender's power: once they no longer
        // manage the organisation, it is withdrawn and cannot be accepted.
        // Decided one at a time with changes to the members (the sender's removal).
        organisations::lock(c, inv.organisation_id)?;
        let sender: AccountId = i::table.find(id).select(i::invited_by).first(c)?;
        if event == Event::Accept
            && inv.state == State::Pending
            && !organisations::role_in(c, inv.organisation_id, sender)?.is_some_and(|r| r.manages())
        {
            diesel::update(i::table.find(id).filter(i::state.eq(State::Pending.code())))
                .set((i::state.eq(State::Revoked.code()), i::decided_at.eq(now)))
                .execute(c)?;
            return Ok(Err(State::Revoked));
        }
        let Some(next) = inv.state.after(event) else { return Ok(Err(inv.state)) };
        // Only from pending: of two answers at once, one wins.
        let changed = diesel::update(i::table.find(id).filter(i::state.eq(State::Pending.code())))
            .set((i::state.eq(next.code()), i::decided_at.eq(now), i::decided_by.eq(actor)))
            .execute(c)?;
        if changed == 0 {
            let state = find(c, id, now)?.map_or(State::Expired, |i| i.state);
            return Ok(Err(state));
        }
        if next == State::Accepted {
            organisations::join(c, inv.organisation_id, actor, inv.role, now)?;
        }
        Ok(Ok(next))
    })
}

/// Writes down the invitations that ran out; how many.
pub fn expire_due(conn: &mut AnyConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(i::table.filter(i::state.eq(State::Pending.code())).filter(i::expires_at.le(now)))
        .set((i::state.eq(State::Expired.code()), i::decided_at.eq(now)))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::{Event, State};

    #[test]
    fn only_a_pending_invitation_changes_and_only_once() {
        for event in [Event::Accept, Event::Refuse, Event::Revoke, Event::Expire] {
            assert!(State::Pending.after(event).is_some());
            for done in [State::Accepted, State::Refused, State::Revoked, State::Expired] {
                assert_eq!(done.after(event), None, "{done:?} then {event:?}");
            }
        }
        assert_eq!(State::Pending.after(Event::Accept), Some(State::Accepted));
    }
}
