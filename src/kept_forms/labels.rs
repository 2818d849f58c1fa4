//! A kept form in people's words: which form it was ("Delega a …",
//! "Modulo di dimissioni per …") and each field under the label its page
//! gives it, in the page's language. Fields that are the portal's own
//! (keys, steps, ids) are not shown: they are sent back unseen.
use crate::i18n::Lang;

/// One form the portal knows how to name.
struct Known {
    /// Its address, or the start of it.
    path: &'static str,
    /// Message key of its name, with `$who` from the field `who`.
    name: &'static str,
    who: &'static [&'static str],
    /// Each field shown, with the message key of its label.
    fields: &'static [(&'static str, &'static str)],
    /// Fields whose value is a code, shown as the message `prefix` + value.
    coded: &'static [(&'static str, &'static str)],
}

const DIMISSIONI: &[(&str, &str)] = &[
    ("cf_lavoratore", "dim-worker-codice-fiscale"),
    ("cognome", "dim-worker-family-name"),
    ("nome", "dim-worker-given-name"),
    ("email_lavoratore", "dim-worker-email"),
    ("cf_datore", "dim-employer-codice-fiscale"),
    ("denominazione", "dim-employer-name"),
    ("indirizzo", "dim-workplace-address"),
    ("comune", "dim-workplace-comune"),
    ("cap", "dim-workplace-cap"),
    ("provincia", "dim-workplace-province"),
    ("pec_datore", "dim-employer-pec"),
    ("email_datore", "dim-employer-email"),
    ("data_inizio", "dim-start-date"),
    ("tipologia", "dim-contract-type"),
    ("tipo", "dim-kind"),
    ("motivo", "dim-reason"),
    ("decorrenza", "dim-decorrenza"),
];

const KNOWN: &[Known] = &[
    Known {
        path: "/deleghe/nuova",
        name: "kept-form-delega",
        who: &["codice_fiscale"],
        fields: &[
            ("codice_fiscale", "delega-delegate"),
            ("tipo", "delega-kind"),
            ("ambito", "delega-scope"),
            ("servizio", "delega-scope-which"),
            ("dal", "delega-from"),
            ("al", "delega-until"),
        ],
        coded: &[("tipo", "delega-kind-"), ("ambito", "kept-scope-")],
    },
    Known {
        path: "/dimissioni-volontarie/nuova",
        name: "kept-form-dimissioni",
        who: &["nome", "cognome"],
        fields: DIMISSIONI,
        coded: &[("tipo", "dim-kind-")],
    },
    Known {
        path: "/profili/associa",
        name: "kept-form-associate",
        who: &[],
        fields: &[("codice_fiscale", "associate-codice-fiscale")],
        coded: &[],
    },
    Known {
        path: "/profili/registra",
        name: "kept-form-register",
        who: &["denominazione"],
        fields: &[
            ("denominazione", "register-org-name"),
            ("codice_fiscale", "register-org-codice-fiscale"),
            ("paese", "register-org-country"),
            ("identificativo_estero", "register-org-foreign-id"),
            ("pec", "register-org-pec"),
            ("sede", "register-org-seat"),
            ("ordine", "register-org-ordine"),
            ("numero_albo", "register-org-albo"),
        ],
        coded: &[],
    },
    Known {
        path: "/profili/organizzazioni/",
        name: "kept-form-organisation",
        who: &[],
        fields: &[("codice_fiscale", "organisation-invite-codice-fiscale"), ("ruolo", "organisation-col-role")],
        coded: &[],
    },
    Known {
        path: "/supporto",
        name: "kept-form-support",
        who: &[],
        fields: &[
            ("nome", "support-name"),
            ("email", "support-email"),
            ("categoria", "support-category"),
            ("servizio", "support-service"),
            ("descrizione", "support-description"),
        ],
        coded: &[("categoria", "support-category-")],
    },
    Known {
        path: "/area-personale/sessioni",
        name: "kept-form-sessions",
        who: &[],
        fields: &[("durata", "sessions-idle"), ("avvisi", "sessions-alert-every")],
        coded: &[("durata", "kept-idle-"), ("avvisi", "kept-alerts-")],
    },
];

/// The kept form's name and its fields as (label, value), in `lang`.
pub fn describe(lang: Lang, path: &str, fields: &[(String, String)]) -> (String, Vec<(String, String)>) {
    let Some(known) = KNOWN.iter().find(|k| path.starts_with(k.path)) else {
        // A form not named here: what was typed, under one plain label.
        let typed = fields.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(_, v)| (lang.t("kept-field"), v.clone()));
        return (lang.t("kept-form-other"), typed.collect());
    };
    let value = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string());
    let who: Vec<String> = known.who.iter().filter_map(|f| value(f)).filter(|v| !v.is_empty()).collect();
    let name = if who.is_empty() {
        lang.t(&format!("{}-plain", known.name))
    } else {
        lang.t_args(known.name, &[("who", who.join(" "))])
    };
    let shown = fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, v)| {
            let (_, label) = known.fields.iter().find(|(f, _)| f == k)?;
            let v = match known.coded.iter().find(|(f, _)| f == k) {
                Some((_, prefix)) => lang.t(&format!("{prefix}{}", v.replace('_', "-"))),
                None => v.clone(),
            };
            Some((lang.t(label), v))
        })
        .collect();
    (name, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_delega_is_named_and_its_fields_read_in_words() {
        let fields =
            f(&[("per", "2"), ("codice_fiscale", "VRDLCU75C15L219T"), ("tipo", "non_temporanea"), ("chiave", "ab12")]);
        let (name, shown) = describe(Lang::It, "/deleghe/nuova", &fields);
        assert_eq!(name, "Delega a VRDLCU75C15L219T");
        assert!(shown.contains(&("Tipo di delega".into(), "Non temporanea".into())), "{shown:?}");
        assert!(!shown.iter().any(|(l, v)| l.contains("per") || v == "2" || v == "ab12"), "{shown:?}");
        let (en, _) = describe(Lang::En, "/deleghe/nuova", &fields);
        assert!(en.starts_with("Delega to"), "{en}");
    }

    #[test]
    fn a_form_not_named_here_still_shows_what_was_typed_and_no_field_name() {
        let (name, shown) = describe(Lang::It, "/altro", &f(&[("campo_tecnico", "valore")]));
        assert_eq!(name, "Un modulo del portale");
        assert_eq!(shown, vec![("Dato inserito".to_string(), "valore".to_string())]);
    }

    #[test]
    fn a_resignation_names_the_worker() {
        let fields = f(&[("nome", "Mario"), ("cognome", "Rossi"), ("tipo", "giusta_causa")]);
        let (name, shown) = describe(Lang::It, "/dimissioni-volontarie/nuova/modulo", &fields);
        assert_eq!(name, "Modulo di dimissioni per Mario Rossi");
        assert!(shown.contains(&("Tipo di comunicazione".into(), "Dimissioni per giusta causa".into())), "{shown:?}");
    }
}
