//! The demo IdP's fictitious people. Their codici fiscali have a valid form
//! and check letter but belong to no one.
use crate::identity::codice_fiscale::check_letter;

#[derive(Clone, Debug)]
pub struct DemoPerson {
    pub key: &'static str,
    pub given_name: &'static str,
    pub family_name: &'static str,
    /// The first 15 characters; the check letter is computed.
    cf15: &'static str,
    pub date_of_birth: &'static str,
    pub email: &'static str,
    /// Message key saying what this person is for in a demonstration.
    pub role: &'static str,
    pub spid_code: &'static str,
}

impl DemoPerson {
    pub fn codice_fiscale(&self) -> String {
        let check = check_letter(self.cf15).unwrap_or('X');
        format!("{}{check}", self.cf15)
    }
}

pub const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        key: "mario",
        given_name: "Mario",
        family_name: "Rossi",
        cf15: "RSSMRA80A01H501",
        date_of_birth: "1980-01-01",
        email: "mario.rossi@example.org",
        role: "demo-role-citizen",
        spid_code: "DEMO0000000001",
    },
    DemoPerson {
        key: "giulia",
        given_name: "Giulia",
        family_name: "Bianchi",
        cf15: "BNCGLI85M41F205",
        date_of_birth: "1985-08-01",
        email: "giulia.bianchi@example.org",
        role: "demo-role-company",
        spid_code: "DEMO0000000002",
    },
    DemoPerson {
        key: "luca",
        given_name: "Luca",
        family_name: "Verdi",
        cf15: "VRDLCU75C15L219",
        date_of_birth: "1975-03-15",
        email: "luca.verdi@example.org",
        role: "demo-role-intermediary",
        spid_code: "DEMO0000000003",
    },
    DemoPerson {
        key: "anna",
        given_name: "Anna",
        family_name: "Esposito",
        cf15: "SPSNNA90T64F839",
        date_of_birth: "1990-12-24",
        email: "anna.esposito@example.org",
        role: "demo-role-operator",
        spid_code: "DEMO0000000004",
    },
];

pub fn find(key: &str) -> Option<&'static DemoPerson> {
    PEOPLE.iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_is_valid() {
        for p in super::PEOPLE {
            let cf = p.codice_fiscale();
            assert_eq!(crate::identity::codice_fiscale::normalize(&cf).as_deref(), Some(cf.as_str()));
        }
    }
}
