//! What the PDFs say: the module in Allegato A's five sections, and the
//! paper delega a worker and a soggetto abilitato sign, with its PIN.
use super::modulo::{Kind, Modulo};
use super::pdf::{Document, Translation};
use crate::i18n::Lang;
use crate::web::format::{format_date, format_when};

/// The module as sent (or a revoca), in `lang`.
/// Whose copy of a module: the worker's (and the sender's) carries the
/// retrieval code; the employer's and the Ispettorato's do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Copy {
    Worker,
    Recipient,
}

/// The module in `lang`; for a workplace in the Provincia autonoma di
/// Bolzano, followed by its German version (public documents there are
/// bilingual, D.P.R. 574/1988; circ. 12/2016).
pub fn module(m: &Modulo, lang: Lang, copy: Copy) -> Document {
    let translation = (m.contents.workplace_province.eq_ignore_ascii_case("BZ") && lang != Lang::De).then(|| {
        let mut german = vec![format!("# {}", Lang::De.t("dim-german-version"))];
        german.extend(lines(m, Lang::De, copy));
        Translation { lang: Lang::De.code(), lines: german }
    });
    Document {
        title: format!("{} {}", lang.t("dim-pdf-title"), m.code),
        lang: lang.code(),
        lines: lines(m, lang, copy),
        translation,
    }
}

fn lines(m: &Modulo, lang: Lang, copy: Copy) -> Vec<String> {
    let c = &m.contents;
    let t = |k: &str| lang.t(k);
    let line = |k: &str, v: &str| format!("{}: {v}", lang.t(k));
    let mut lines = vec![
        format!("# {}", t("dim-pdf-title")),
        line("dim-code", &m.code),
        line("dim-transmitted", &format_when(m.transmitted_at, lang)),
        format!("# {}", t("dim-section-worker")),
        line("dim-worker-codice-fiscale", &c.worker_codice_fiscale),
        line("dim-worker-family-name", &c.worker_family_name),
        line("dim-worker-given-name", &c.worker_given_name),
        line("dim-worker-email", &c.worker_email),
        format!("# {}", t("dim-section-employer")),
        line("dim-employer-codice-fiscale", &c.employer_codice_fiscale),
        line("dim-employer-name", &c.employer_name),
        line("dim-workplace-address", &c.workplace_address),
        line("dim-workplace-comune", &format!("{} ({})", c.workplace_comune, c.workplace_province)),
        line("dim-workplace-cap", &c.workplace_cap),
        line("dim-employer-email", &c.employer_email),
        line("dim-employer-pec", &c.employer_pec),
        format!("# {}", t("dim-section-relationship")),
        line("dim-start-date", &format_date(c.start_date, lang)),
        line("dim-contract-type", &c.contract_type),
        format!("# {}", t("dim-section-communication")),
        line("dim-kind", &t(&m.kind().name_key())),
    ];
    if let Some(d) = c.decorrenza {
        lines.push(line("dim-decorrenza", &format_date(d, lang)));
    }
    if let Some(r) = &c.reason {
        lines.push(line("dim-reason", r));
    }
    if let Some(code) = &c.revokes_code {
        lines.push(line("dim-revokes", code));
    }
    lines.push(format!("# {}", t("dim-section-sending")));
    lines.push(line("dim-code", &m.code));
    lines.push(line("dim-transmitted", &format_when(m.transmitted_at, lang)));
    match (&c.abilitato_kind, &c.abilitato_codice_fiscale) {
        (Some(kind), Some(cf)) => {
            lines.push(line("dim-abilitato-kind", &t(&format!("org-kind-{}", kind.replace('_', "-")))));
            lines.push(line("dim-abilitato-codice-fiscale", cf));
        }
        _ => lines.push(t("dim-sent-by-worker")),
    }
    // Allegato A, section 5: the signature, which online is the sender's
    // authentication and the Ministry's seal below.
    let signed = if c.abilitato_kind.is_some() { "dim-signature-operator" } else { "dim-signature-worker" };
    lines.push(line("dim-signature", &t(signed)));
    lines.push(line("dim-seal", &m.hash));
    lines.push(line("dim-verification-code", &super::seal::verification_code(&m.hash)));
    lines.push(t("dim-verification-note"));
    if m.kind() != Kind::Revoca {
        lines.push(t("dim-pdf-revoca-note"));
    }
    if let (Copy::Worker, Some(code)) = (copy, &m.retrieval_code) {
        lines.push(line("dim-retrieval-code", code));
        lines.push(t("dim-retrieval-note"));
    }
    lines
}

/// The paper delega for a filing by a soggetto abilitato, with its PIN.
pub struct DelegaFacts<'a> {
    pub pin: &'a str,
    pub issued_on: chrono::NaiveDate,
    pub worker: String,
    pub worker_codice_fiscale: &'a str,
    pub kind: Kind,
    pub employer: String,
    pub operator: String,
    pub organisation: String,
}

pub fn delega(f: &DelegaFacts, lang: Lang) -> Document {
    let line = |k: &str, v: &str| format!("{}: {v}", lang.t(k));
    let lines = vec![
        format!("# {}", lang.t("dim-delega-title")),
        lang.t_args("dim-delega-body", &[("worker", f.worker.clone()), ("organisation", f.organisation.clone())]),
        line("dim-worker-codice-fiscale", f.worker_codice_fiscale),
        line("dim-kind", &lang.t(&f.kind.name_key())),
        line("dim-employer-name", &f.employer),
        line("dim-delega-operator", &f.operator),
        format!("# {}", lang.t("dim-pin")),
        line("dim-pin", f.pin),
        line("dim-delega-valid", &format_date(f.issued_on, lang)),
        lang.t("dim-delega-once"),
        String::new(),
        format!("{} ______________________________", lang.t("dim-delega-sign-worker")),
        String::new(),
        format!("{} ______________________________", lang.t("dim-delega-sign-operator")),
    ];
    Document {
        title: format!("{} {}", lang.t("dim-delega-title"), f.worker_codice_fiscale),
        lang: lang.code(),
        lines,
        translation: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{lines, module, Copy};
    use crate::dimissioni::modulo::{Contents, Modulo};
    use crate::i18n::{Lang, MISSING_MARKER};

    fn sample(province: &str, abilitato: Option<&str>) -> Modulo {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).expect("day");
        Modulo {
            id: 1,
            code: "20270301093000000".into(),
            contents: Contents {
                kind: "dimissioni".into(),
                worker_codice_fiscale: "RSSMRA80A01H501U".into(),
                worker_family_name: "Rossi".into(),
                worker_given_name: "Mario".into(),
                worker_email: "mario@example.org".into(),
                employer_codice_fiscale: "01234567897".into(),
                employer_name: "Bianchi srl".into(),
                workplace_address: "Via Museo 1".into(),
                workplace_comune: "Bolzano".into(),
                workplace_cap: "39100".into(),
                workplace_province: province.into(),
                employer_pec: "bianchi@pec.example.it".into(),
                start_date: day,
                contract_type: "Tempo indeterminato".into(),
                decorrenza: Some(day),
                abilitato_kind: abilitato.map(str::to_string),
                abilitato_codice_fiscale: abilitato.map(|_| "97735020584".to_string()),
                ..Contents::default()
            },
            revoked_by_code: None,
            worker_account_id: None,
            filed_by_account_id: crate::kernel::AccountId::new(1),
            transmitted_at: day.and_hms_opt(8, 30, 0).expect("time"),
            prev_hash: String::new(),
            hash: "ab".repeat(32),
            signature: String::new(),
            retrieval_code: Some("K7QM-2XZP-9RTA".into()),
            seal_key: None,
        }
    }

    #[test]
    fn a_module_from_bolzano_carries_its_german_version_whole() {
        for abilitato in [None, Some("patronato")] {
            let m = sample("BZ", abilitato);
            let (it, de) = (lines(&m, Lang::It, Copy::Worker), lines(&m, Lang::De, Copy::Worker));
            assert_eq!(it.len(), de.len());
            for (i, d) in it.iter().zip(&de) {
                assert!(!d.contains(MISSING_MARKER), "{d}");
                // Every line is translated (the German file lacks no message the module uses).
                assert_ne!(i, d, "not translated: {d}");
            }
            // Section 5 ends with the signature, as Allegato A's does.
            let signed =
                if abilitato.is_some() { "Firma: l'operatore del soggetto abilitato" } else { "Firma: il lavoratore" };
            assert!(it.iter().any(|l| l.starts_with(signed)), "{it:?}");
            let doc = module(&m, Lang::It, Copy::Worker);
            let german = doc.translation.expect("a German version");
            assert_eq!((doc.lines.len(), german.lang, german.lines.len()), (it.len(), "de", 1 + de.len()));
            assert!(
                german.lines[0] == "# Deutsche Fassung"
                    && german.lines.iter().any(|l| l.starts_with("Wirksam ab: 01.03.2027"))
            );
        }
        let milano = module(&sample("MI", None), Lang::It, Copy::Worker);
        assert!(milano.translation.is_none(), "only where the workplace is in Bolzano");
    }
}
