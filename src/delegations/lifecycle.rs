//! The life of a delega: its states and the only transitions between them.
//! Stored states change only through [`State::after`]; what the clock alone
//! changes (the start date reached, the end passed, an invitation not
//! answered in time) is read through [`effective`] and written down by the
//! scheduled job.
use chrono::{NaiveDate, NaiveDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Granted, waiting for the delegate's answer.
    Pending,
    /// Accepted, before its start date.
    Accepted,
    /// In force.
    Active,
    Refused,
    /// Past its end date, or not answered in time.
    Expired,
    /// Taken back by the grantor's side.
    Revoked,
    /// Given up by the delegate.
    Renounced,
}

/// What can happen to a delega.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Accept,
    Refuse,
    /// Its start date is reached.
    Start,
    /// Its end date has passed, or the answer did not come in time.
    Expire,
    Revoke,
    Renounce,
}

impl State {
    pub const ALL: [State; 7] = [
        State::Pending,
        State::Accepted,
        State::Active,
        State::Refused,
        State::Expired,
        State::Revoked,
        State::Renounced,
    ];

    pub fn code(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Accepted => "accepted",
            State::Active => "active",
            State::Refused => "refused",
            State::Expired => "expired",
            State::Revoked => "revoked",
            State::Renounced => "renounced",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn name_key(self) -> String {
        format!("delega-state-{}", self.code())
    }

    /// Still to be answered or in force (now or later).
    pub fn is_live(self) -> bool {
        matches!(self, State::Pending | State::Accepted | State::Active)
    }

    /// The transitions there are; anything else is illegal (`None`, a 409).
    pub fn after(self, event: Event) -> Option<State> {
        use {Event as E, State as S};
        match (self, event) {
            (S::Pending, E::Accept) => Some(S::Accepted),
            (S::Pending, E::Refuse) => Some(S::Refused),
            (S::Pending, E::Revoke) => Some(S::Revoked),
            (S::Pending, E::Expire) => Some(S::Expired),
            (S::Accepted, E::Start) => Some(S::Active),
            (S::Accepted | S::Active, E::Revoke) => Some(S::Revoked),
            (S::Accepted | S::Active, E::Renounce) => Some(S::Renounced),
            (S::Accepted | S::Active, E::Expire) => Some(S::Expired),
            _ => None,
        }
    }
}

impl Event {
    pub fn code(self) -> &'static str {
        match self {
            Event::Accept => "accept",
            Event::Refuse => "refuse",
            Event::Start => "start",
            Event::Expire => "expire",
            Event::Revoke => "revoke",
            Event::Renounce => "renounce",
        }
    }
}

/// The dates a delega's state depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dates {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// When an unanswered delega lapses.
    pub answer_by: NaiveDateTime,
}

/// The events the clock alone brings about, in order, for a delega stored
/// in `stored` at `now` (empty when nothing is due).
pub fn due(stored: State, dates: Dates, now: NaiveDateTime) -> Vec<Event> {
    let today = crate::kernel::clock::italian_day(now);
    match stored {
        State::Pending if now >= dates.answer_by => vec![Event::Expire],
        State::Accepted | State::Active if today > dates.ends_on => vec![Event::Expire],
        State::Accepted if today >= dates.starts_on => vec![Event::Start],
        _ => Vec::new(),
    }
}

/// The state as of `now`: the stored one with what the clock brought about.
pub fn effective(stored: State, dates: Dates, now: NaiveDateTime) -> State {
    due(stored, dates, now).into_iter().fold(stored, |s, e| s.after(e).unwrap_or(s))
}

#[cfg(test)]
mod tests {
    use super::{due, effective, Dates, Event, State};
    use chrono::NaiveDate;

    const EVENTS: [Event; 6] =
        [Event::Accept, Event::Refuse, Event::Start, Event::Expire, Event::Revoke, Event::Renounce];

    #[test]
    fn every_transition_is_the_one_written() {
        let allowed = [
            (State::Pending, Event::Accept, State::Accepted),
            (State::Pending, Event::Refuse, State::Refused),
            (State::Pending, Event::Revoke, State::Revoked),
            (State::Pending, Event::Expire, State::Expired),
            (State::Accepted, Event::Start, State::Active),
            (State::Accepted, Event::Revoke, State::Revoked),
            (State::Accepted, Event::Renounce, State::Renounced),
            (State::Accepted, Event::Expire, State::Expired),
            (State::Active, Event::Revoke, State::Revoked),
            (State::Active, Event::Renounce, State::Renounced),
            (State::Active, Event::Expire, State::Expired),
        ];
        for s in State::ALL {
            for e in EVENTS {
                let want = allowed.iter().find(|(a, b, _)| *a == s && *b == e).map(|(_, _, c)| *c);
                assert_eq!(s.after(e), want, "{s:?} + {e:?}");
            }
        }
        for done in [State::Refused, State::Expired, State::Revoked, State::Renounced] {
            assert!(!done.is_live());
        }
    }

    #[test]
    fn the_clock_starts_ends_and_lapses() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        let at = |date: NaiveDate| date.and_hms_opt(12, 0, 0).expect("time");
        let dates = Dates { starts_on: d(2027, 1, 10), ends_on: d(2027, 12, 31), answer_by: at(d(2027, 1, 5)) };
        assert_eq!(effective(State::Pending, dates, at(d(2027, 1, 4))), State::Pending);
        assert_eq!(effective(State::Pending, dates, at(d(2027, 1, 5))), State::Expired);
        assert_eq!(effective(State::Accepted, dates, at(d(2027, 1, 9))), State::Accepted);
        assert_eq!(effective(State::Accepted, dates, at(d(2027, 1, 10))), State::Active);
        assert_eq!(effective(State::Active, dates, at(d(2027, 12, 31))), State::Active);
        assert_eq!(effective(State::Active, dates, at(d(2028, 1, 1))), State::Expired);
        assert_eq!(effective(State::Accepted, dates, at(d(2028, 1, 1))), State::Expired);
        assert!(due(State::Revoked, dates, at(d(2030, 1, 1))).is_empty());
    }
}
