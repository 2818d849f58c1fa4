//! The demo IdPs' fictitious people. Codici fiscali have a valid form and
//! check letter but belong to no one; the EU citizens have none, only an
//! eIDAS identifier (country of origin / destination / personal number).
use crate::identity::codice_fiscale::check_letter;
use crate::kernel::Credential;

#[derive(Clone, Debug)]
pub struct DemoPerson {
    pub key: &'static str,
    pub given_name: &'static str,
    pub family_name: &'static str,
    /// The first 15 characters of the codice fiscale ("" for none).
    cf15: &'static str,
    pub date_of_birth: &'static str,
    pub email: &'static str,
    /// Message key saying what this person is for in a demonstration.
    pub role: &'static str,
    /// SPID code, or for EU citizens the eIDAS identifier (FICEP sends it as spidCode).
    pub spid_code: &'static str,
}

impl DemoPerson {
    pub fn codice_fiscale(&self) -> Option<String> {
        if self.cf15.is_empty() {
            return None;
        }
        let check = check_letter(self.cf15)?;
        Some(format!("{}{check}", self.cf15))
    }

    /// Who a demo IdP of `credential` can sign in.
    pub fn usable_with(&self, credential: Credential) -> bool {
        match credential {
            Credential::Eidas => self.spid_code.contains('/'),
            _ => !self.cf15.is_empty(),
        }
    }

    /// The identifier shown on the demo page.
    pub fn identifier(&self, credential: Credential) -> String {
        match credential {
            Credential::Eidas => self.spid_code.to_string(),
            _ => self.codice_fiscale().unwrap_or_default(),
        }
    }
}

#[allow(clippy::too_many_arguments)] // a table row, field by field
const fn person(
    key: &'static str,
    given_name: &'static str,
    family_name: &'static str,
    cf15: &'static str,
    date_of_birth: &'static str,
    email: &'static str,
    role: &'static str,
    spid_code: &'static str,
) -> DemoPerson {
    DemoPerson { key, given_name, family_name, cf15, date_of_birth, email, role, spid_code }
}

pub const PEOPLE: &[DemoPerson] = &[
    person(
        "mario",
        "Mario",
        "Rossi",
        "RSSMRA80A01H501",
        "1980-01-01",
        "mario.rossi@example.org",
        "demo-role-citizen",
        "DEMO0000000001",
    ),
    person(
        "giulia",
        "Giulia",
        "Bianchi",
        "BNCGLI85M41F205",
        "1985-08-01",
        "giulia.bianchi@example.org",
        "demo-role-company",
        "DEMO0000000002",
    ),
    person(
        "luca",
        "Luca",
        "Verdi",
        "VRDLCU75C15L219",
        "1975-03-15",
        "luca.verdi@example.org",
        "demo-role-intermediary",
        "DEMO0000000003",
    ),
    person(
        "anna",
        "Anna",
        "Esposito",
        "SPSNNA90T64F839",
        "1990-12-24",
        "anna.esposito@example.org",
        "demo-role-operator",
        "DEMO0000000004",
    ),
    person(
        "sophie",
        "Sophie",
        "Martin",
        "",
        "1988-05-17",
        "sophie.martin@example.eu",
        "demo-role-eu-posting",
        "FR/IT/0A1B2C3D4E5F",
    ),
    person(
        "jan",
        "Jan",
        "Kowalski",
        "",
        "1979-11-02",
        "jan.kowalski@example.eu",
        "demo-role-eu-worker",
        "PL/IT/PNOPL-79110212345",
    ),
];

pub fn find(key: &str) -> Option<&'static DemoPerson> {
    PEOPLE.iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_is_valid() {
        for p in super::PEOPLE {
            if let Some(cf) = p.codice_fiscale() {
                assert_eq!(crate::kernel::CodiceFiscale::parse(&cf).map(String::from).as_deref(), Some(cf.as_str()));
            }
        }
    }
}
