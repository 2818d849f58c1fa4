//! What a delega's page confirms after an action (`?esito=`): the grant gets
//! its own confirmation page, the other actions a success banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Granted,
    Accepted,
    Refused,
    Renounced,
    Revoked,
    Asked,
    Approved,
}

impl Done {
    const ALL: [Done; 7] =
        [Done::Granted, Done::Accepted, Done::Refused, Done::Renounced, Done::Revoked, Done::Asked, Done::Approved];

    pub fn code(self) -> &'static str {
        match self {
            Done::Granted => "conferita",
            Done::Accepted => "accettata",
            Done::Refused => "rifiutata",
            Done::Renounced => "rinunciata",
            Done::Revoked => "revocata",
            Done::Asked => "chiesta",
            Done::Approved => "approvata",
        }
    }

    pub fn parse(s: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|d| d.code() == s)
    }

    /// The banner's words (`delega-done-…`).
    pub fn banner_key(self) -> String {
        format!("delega-done-{}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_its_code() {
        for d in Done::ALL {
            assert_eq!(Done::parse(d.code()), Some(d));
        }
        assert_eq!(Done::parse("boh"), None);
    }
}
