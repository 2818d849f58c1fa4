//! A Utente Estero registration's lifecycle, its transitions in one place:
//! sent (e-mail not yet confirmed) → confirmed (waiting for the helpdesk) →
//! approved or rejected. Only an approved person signs in.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Sent; the e-mail address is not confirmed yet (expires after 48 hours).
    Unconfirmed,
    /// Confirmed; in the helpdesk's queue.
    Pending,
    Approved,
    Rejected,
}

/// What can happen to a registration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    ConfirmEmail,
    Approve,
    Reject,
}

impl Status {
    /// The stored word (also the helpdesk's decision and its message key's end).
    pub fn code(self) -> &'static str {
        match self {
            Status::Unconfirmed => "unconfirmed",
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Unconfirmed, Status::Pending, Status::Approved, Status::Rejected].into_iter().find(|x| x.code() == s)
    }

    /// The state after `event`, or `None` when it cannot happen now.
    pub fn after(self, event: Event) -> Option<Status> {
        match (self, event) {
            (Status::Unconfirmed, Event::ConfirmEmail) => Some(Status::Pending),
            (Status::Pending, Event::Approve) => Some(Status::Approved),
            (Status::Pending, Event::Reject) => Some(Status::Rejected),
            _ => None,
        }
    }

    /// Decided by the helpdesk: the identity document is no longer kept.
    pub fn is_decided(self) -> bool {
        matches!(self, Status::Approved | Status::Rejected)
    }
}

impl TryFrom<String> for Status {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Status::parse(&s).ok_or_else(|| format!("unknown registration status {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, Status};

    #[test]
    fn only_a_confirmed_registration_is_decided_and_only_once() {
        assert_eq!(Status::Unconfirmed.after(Event::ConfirmEmail), Some(Status::Pending));
        assert_eq!(Status::Unconfirmed.after(Event::Approve), None);
        assert_eq!(Status::Pending.after(Event::Approve), Some(Status::Approved));
        assert_eq!(Status::Pending.after(Event::Reject), Some(Status::Rejected));
        assert_eq!(Status::Approved.after(Event::Reject), None);
        assert_eq!(Status::Rejected.after(Event::Approve), None);
        for s in [Status::Unconfirmed, Status::Pending, Status::Approved, Status::Rejected] {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }
}
