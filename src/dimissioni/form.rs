//! The module's form (Allegato A, sections 1–4): what was typed, kept as
//! typed, and checked field by field into the module's contents.
use super::itl;
use super::modulo::{Contents, Kind};
use super::rapporti::Rapporto;
use crate::kernel::{CodiceFiscale, Email, PartitaIva};
use crate::web::components::FieldErrors;
use chrono::{Duration, NaiveDate};

/// Every field of the form, as typed (and carried by the review page),
/// read from the post by its Italian field name.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct Values {
    #[serde(rename = "cf_lavoratore")]
    pub worker_codice_fiscale: String,
    #[serde(rename = "cognome")]
    pub worker_family_name: String,
    #[serde(rename = "nome")]
    pub worker_given_name: String,
    #[serde(rename = "email_lavoratore")]
    pub worker_email: String,
    #[serde(rename = "cf_datore")]
    pub employer_codice_fiscale: String,
    #[serde(rename = "denominazione")]
    pub employer_name: String,
    #[serde(rename = "indirizzo")]
    pub workplace_address: String,
    #[serde(rename = "comune")]
    pub workplace_comune: String,
    #[serde(rename = "cap")]
    pub workplace_cap: String,
    #[serde(rename = "provincia")]
    pub workplace_province: String,
    #[serde(rename = "email_datore")]
    pub employer_email: String,
    #[serde(rename = "pec_datore")]
    pub employer_pec: String,
    #[serde(rename = "data_inizio")]
    pub start_date: String,
    #[serde(rename = "tipologia")]
    pub contract_type: String,
    #[serde(rename = "tipo")]
    pub kind: String,
    #[serde(rename = "motivo")]
    pub reason: String,
    #[serde(rename = "decorrenza")]
    pub decorrenza: String,
    /// The CO relationship it was filled from (sections 2–3 then locked).
    #[serde(rename = "rapporto")]
    pub relationship: String,
    /// One module per form, however many times it is sent.
    #[serde(rename = "chiave")]
    pub key: String,
}

impl Values {
    /// Every field by its name in the form, in order (the review page carries them hidden).
    pub fn fields(&self) -> [(&'static str, &str); 19] {
        [
            ("cf_lavoratore", &self.worker_codice_fiscale),
            ("cognome", &self.worker_family_name),
            ("nome", &self.worker_given_name),
            ("email_lavoratore", &self.worker_email),
            ("cf_datore", &self.employer_codice_fiscale),
            ("denominazione", &self.employer_name),
            ("indirizzo", &self.workplace_address),
            ("comune", &self.workplace_comune),
            ("cap", &self.workplace_cap),
            ("provincia", &self.workplace_province),
            ("email_datore", &self.employer_email),
            ("pec_datore", &self.employer_pec),
            ("data_inizio", &self.start_date),
            ("tipologia", &self.contract_type),
            ("tipo", &self.kind),
            ("motivo", &self.reason),
            ("decorrenza", &self.decorrenza),
            ("rapporto", &self.relationship),
            ("chiave", &self.key),
        ]
    }

    /// Whether the form's key is one the server gave out (a UUID in 32 hex
    /// digits): a browser cannot choose a key in another namespace (a revoca's).
    pub fn has_valid_key(&self) -> bool {
        self.key.len() == 32 && self.key.bytes().all(|b| b.is_ascii_hexdigit())
    }

    /// The value of field `name` (the form's own names, for the fields drawn by name).
    pub fn get(&self, name: &str) -> String {
        self.fields().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()).unwrap_or_default()
    }

    /// Trimmed, and each cut to a sane length (the reason longer).
    pub fn capped(mut self) -> Values {
        let cut = |s: &mut String, max: usize| *s = s.trim().chars().take(max).collect();
        cut(&mut self.reason, 2000);
        for f in [
            &mut self.worker_codice_fiscale,
            &mut self.worker_family_name,
            &mut self.worker_given_name,
            &mut self.worker_email,
            &mut self.employer_codice_fiscale,
            &mut self.employer_name,
            &mut self.workplace_address,
            &mut self.workplace_comune,
            &mut self.workplace_cap,
            &mut self.workplace_province,
            &mut self.employer_email,
            &mut self.employer_pec,
            &mut self.start_date,
            &mut self.contract_type,
            &mut self.kind,
            &mut self.decorrenza,
            &mut self.relationship,
            &mut self.key,
        ] {
            cut(f, 300);
        }
        self
    }

    /// Sections 2–3 from a CO relationship (e-mail and PEC stay editable).
    pub fn fill_from(&mut self, r: &Rapporto) {
        self.employer_codice_fiscale = r.employer_codice_fiscale.clone();
        self.employer_name = r.employer_name.clone();
        self.workplace_address = r.workplace_address.clone();
        self.workplace_comune = r.workplace_comune.clone();
        self.workplace_cap = r.workplace_cap.clone();
        self.workplace_province = r.workplace_province.clone();
        self.start_date = r.start_date.format("%Y-%m-%d").to_string();
        self.contract_type = r.contract_type.clone();
        if self.employer_email.is_empty() {
            self.employer_email = r.employer_email.clone().unwrap_or_default();
        }
        if self.employer_pec.is_empty() {
            self.employer_pec = r.employer_pec.clone().unwrap_or_default();
        }
        self.relationship = r.id.to_string();
    }
}

fn text(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// Checks the values for a module sent on `today` (Italian date); the
/// contents, or every error at once.
pub fn check(v: &Values, today: NaiveDate) -> Result<Contents, FieldErrors> {
    let mut e = FieldErrors::default();
    // A person's codice fiscale, or the 11-digit provisional one the Agenzia
    // delle Entrate gives while the definitive one is pending (its check digit
    // is a partita IVA's).
    let worker = CodiceFiscale::parse(&v.worker_codice_fiscale)
        .map(String::from)
        .filter(|cf| cf.len() == 16 || PartitaIva::parse(cf).map(String::from).is_some());
    if worker.is_none() {
        e.add("cf_lavoratore", "dim-error-worker-codice-fiscale");
    }
    if !text(&v.worker_family_name, 100) {
        e.add("cognome", "dim-error-family-name");
    }
    if !text(&v.worker_given_name, 100) {
        e.add("nome", "dim-error-given-name");
    }
    if Email::parse(&v.worker_email).is_none() {
        e.add("email_lavoratore", "dim-error-email");
    }
    let employer = PartitaIva::parse(&v.employer_codice_fiscale)
        .map(String::from)
        .or_else(|| CodiceFiscale::personal(&v.employer_codice_fiscale).map(String::from));
    if employer.is_none() {
        e.add("cf_datore", "dim-error-employer-codice-fiscale");
    }
    if !text(&v.employer_name, 200) {
        e.add("denominazione", "dim-error-employer-name");
    }
    if !text(&v.workplace_address, 200) {
        e.add("indirizzo", "dim-error-address");
    }
    if !text(&v.workplace_comune, 100) {
        e.add("comune", "dim-error-comune");
    }
    if v.workplace_cap.len() != 5 || !v.workplace_cap.chars().all(|c| c.is_ascii_digit()) {
        e.add("cap", "dim-error-cap");
    }
    let province = v.workplace_province.to_ascii_uppercase();
    if !itl::is_province(&province) {
        e.add("provincia", "dim-error-province");
    }
    let (employer_email, employer_pec) = (v.employer_email.to_lowercase(), v.employer_pec.to_lowercase());
    if employer_email.is_empty() && employer_pec.is_empty() {
        e.add("pec_datore", "dim-error-employer-address");
    }
    if !employer_email.is_empty() && Email::parse(&employer_email).is_none() {
        e.add("email_datore", "dim-error-email");
    }
    if !employer_pec.is_empty() && Email::parse(&employer_pec).is_none() {
        e.add("pec_datore", "dim-error-email");
    }
    let date = crate::kernel::clock::parse_day;
    let start = date(&v.start_date);
    match start {
        None => e.add("data_inizio", "dim-error-start"),
        Some(s) if s > today => e.add("data_inizio", "dim-error-start-future"),
        _ => {}
    }
    if !text(&v.contract_type, 100) {
        e.add("tipologia", "dim-error-contract");
    }
    let kind = Kind::parse(&v.kind).filter(|k| Kind::FILED.contains(k));
    if kind.is_none() {
        e.add("tipo", "dim-error-kind");
    }
    let reason = (kind == Some(Kind::GiustaCausa)).then(|| v.reason.clone());
    if reason.as_ref().is_some_and(|r| r.is_empty()) {
        e.add("motivo", "dim-error-reason");
    }
    let decorrenza = date(&v.decorrenza);
    match (decorrenza, start) {
        (None, _) => e.add("decorrenza", "dim-error-decorrenza"),
        (Some(d), Some(s)) if d <= s => e.add("decorrenza", "dim-error-decorrenza-start"),
        // The day after the last working day: at the earliest tomorrow, as the
        // Ministry's own service requires (a resignation is not retroactive).
        (Some(d), _) if d <= today => e.add("decorrenza", "dim-error-decorrenza-past"),
        (Some(d), _) if d > today + Duration::days(366) => e.add("decorrenza", "dim-error-decorrenza-far"),
        _ => {}
    }
    let (Some(worker), Some(employer), Some(start), Some(kind), true) = (worker, employer, start, kind, e.is_empty())
    else {
        return Err(e);
    };
    Ok(Contents {
        kind: kind.code().into(),
        revokes_code: None,
        worker_codice_fiscale: worker,
        worker_family_name: v.worker_family_name.clone(),
        worker_given_name: v.worker_given_name.clone(),
        worker_email: v.worker_email.to_lowercase(),
        employer_codice_fiscale: employer,
        employer_name: v.employer_name.clone(),
        workplace_address: v.workplace_address.clone(),
        workplace_comune: v.workplace_comune.clone(),
        workplace_cap: v.workplace_cap.clone(),
        workplace_province: province,
        employer_email,
        employer_pec,
        start_date: start,
        contract_type: v.contract_type.clone(),
        decorrenza,
        reason,
        abilitato_kind: None,
        abilitato_codice_fiscale: None,
    })
}

#[cfg(test)]
mod tests {
    use super::{check, Values};
    use chrono::NaiveDate;

    fn good() -> Values {
        Values {
            worker_codice_fiscale: "RSSMRA80A01H501U".into(),
            worker_family_name: "Rossi".into(),
            worker_given_name: "Mario".into(),
            worker_email: "mario@example.org".into(),
            employer_codice_fiscale: "01234567897".into(),
            employer_name: "Bianchi Servizi srl".into(),
            workplace_address: "Via Roma 1".into(),
            workplace_comune: "Milano".into(),
            workplace_cap: "20121".into(),
            workplace_province: "mi".into(),
            employer_pec: "bianchi@pec.example.it".into(),
            start_date: "2019-04-01".into(),
            contract_type: "Tempo indeterminato".into(),
            kind: "dimissioni".into(),
            decorrenza: "2027-02-01".into(),
            ..Values::default()
        }
    }

    #[test]
    fn each_section_is_checked() {
        let today = NaiveDate::from_ymd_opt(2027, 1, 15).expect("date");
        assert!(check(&good(), today).is_ok());
        let errors = |v: Values| {
            check(&v, today).err().map(|e| e.0.iter().map(|(f, _)| *f).collect::<Vec<_>>()).unwrap_or_default()
        };
        assert_eq!(errors(Values { workplace_cap: "2012".into(), ..good() }), vec!["cap"]);
        assert_eq!(errors(Values { kind: "giusta_causa".into(), ..good() }), vec!["motivo"]);
        assert_eq!(errors(Values { decorrenza: "2019-04-01".into(), ..good() }), vec!["decorrenza"]);
        assert_eq!(errors(Values { decorrenza: "2029-01-01".into(), ..good() }), vec!["decorrenza"]);
        // At the earliest the day after transmission: today is refused, tomorrow accepted.
        assert_eq!(errors(Values { decorrenza: "2027-01-15".into(), ..good() }), vec!["decorrenza"]);
        assert!(errors(Values { decorrenza: "2027-01-16".into(), ..good() }).is_empty());
        assert_eq!(errors(Values { employer_pec: String::new(), ..good() }), vec!["pec_datore"]);
        assert_eq!(
            errors(Values { worker_codice_fiscale: "RSSMRA80A01H501X".into(), ..good() }),
            vec!["cf_lavoratore"]
        );
        // The provisional 11-digit codice fiscale, with its check digit.
        assert!(errors(Values { worker_codice_fiscale: "12345678903".into(), ..good() }).is_empty());
        assert_eq!(errors(Values { worker_codice_fiscale: "12345678900".into(), ..good() }), vec!["cf_lavoratore"]);
        assert_eq!(errors(Values { employer_codice_fiscale: "01234567890".into(), ..good() }), vec!["cf_datore"]);
    }
}
