//! The company registry (the national registry's local stand-in) and its
//! import: good rows, bad rows with their lines, re-import.
use crate::common::TestApp;
use servizi_lavoro::db::with_conn;
use servizi_lavoro::registry::import::{registro_imprese, ImportError};
use servizi_lavoro::registry::{CompanyRegistry, LocalRegistry};

const GIULIA: &str = "BNCGLI85M41F205";

fn giulia() -> String {
    servizi_lavoro::auth::demo_idp::people::find("giulia").and_then(|p| p.codice_fiscale()).expect("cf")
}

fn file(rows: &[String]) -> String {
    let mut s = "codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti\n".to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[tokio::test]
async fn a_registry_export_is_imported_row_by_row() {
    let app = TestApp::new();
    let g = giulia();
    assert!(g.starts_with(GIULIA));
    let input = file(&[
        format!("01234567897;IT01234567897;Bianchi Servizi srl;BianchiServizi@PEC.example.it;Via Roma 1, 20121 Milano (MI);{g} RSSMRA80A01H501U"),
        "01234567890;;Wrong check digit srl;a@pec.example.it;Roma;".into(),
        "06363391001;;;a@pec.example.it;Roma;".into(),
        "06363391001;;No PEC spa;not an address;Roma;".into(),
        "06363391001;;Bad representative spa;a@pec.example.it;Roma;RSSMRA80A01H501A".into(),
        "06363391001;only;five;fields;here".into(),
        "06363391001;;Agenzia Esempio;agenzia@pec.example.it;Via Cristoforo Colombo 426, Roma;".into(),
    ]);
    let now = chrono::Utc::now().naive_utc();
    let (text, t2) = (input.clone(), input.clone());
    let report = with_conn(&app.state.pool, move |c| Ok(registro_imprese(c, text.as_bytes(), now)))
        .await
        .expect("db")
        .expect("import");
    assert_eq!((report.added, report.updated), (2, 0));
    let lines: Vec<usize> = report.rejected.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![3, 4, 5, 6, 7], "{:?}", report.rejected);
    assert!(report.rejected[0].1.contains("check digit"));
    assert!(report.rejected[2].1.contains("pec"));
    let company =
        with_conn(&app.state.pool, |c| LocalRegistry.company(c, "01234567897")).await.expect("db").expect("found");
    assert_eq!(company.name, "Bianchi Servizi srl");
    assert_eq!(company.pec, "bianchiservizi@pec.example.it");
    assert_eq!(company.vat_number.as_deref(), Some("01234567897"));
    assert_eq!(company.representatives.len(), 2);
    assert!(company.representatives.contains(&g));
    // The same file again: nothing new, nothing doubled.
    let again = with_conn(&app.state.pool, move |c| Ok(registro_imprese(c, t2.as_bytes(), now)))
        .await
        .expect("db")
        .expect("import");
    assert_eq!((again.added, again.updated), (0, 2));
    let company =
        with_conn(&app.state.pool, |c| LocalRegistry.company(c, "01234567897")).await.expect("db").expect("found");
    assert_eq!(company.representatives.len(), 2);
    // A company replaced whole: a representative no longer named is gone.
    let change =
        file(&["01234567897;;Bianchi Servizi srl;bianchiservizi@pec.example.it;Milano;RSSMRA80A01H501U".into()]);
    with_conn(&app.state.pool, move |c| Ok(registro_imprese(c, change.as_bytes(), now)))
        .await
        .expect("db")
        .expect("import");
    let company =
        with_conn(&app.state.pool, |c| LocalRegistry.company(c, "01234567897")).await.expect("db").expect("found");
    assert_eq!(company.representatives, vec!["RSSMRA80A01H501U".to_string()]);
    assert!(with_conn(&app.state.pool, |c| LocalRegistry.company(c, "99999999999")).await.expect("db").is_none());
}

#[tokio::test]
async fn a_file_that_is_not_a_registry_export_is_refused_whole() {
    let app = TestApp::new();
    let now = chrono::Utc::now().naive_utc();
    let result = with_conn(&app.state.pool, move |c| Ok(registro_imprese(c, "name,vat\nx,y\n".as_bytes(), now)))
        .await
        .expect("db");
    assert!(matches!(result, Err(ImportError::Header { .. })));
}

#[tokio::test]
async fn the_demo_company_names_giulia_bianchi() {
    let app = TestApp::new();
    let g = giulia();
    let now = chrono::Utc::now().naive_utc();
    let g2 = g.clone();
    with_conn(&app.state.pool, move |c| servizi_lavoro::registry::seed_demo(c, &g2, now)).await.expect("seed");
    let company =
        with_conn(&app.state.pool, |c| LocalRegistry.company(c, "01234567897")).await.expect("db").expect("found");
    assert_eq!(company.representatives, vec![g]);
}

#[tokio::test]
async fn the_readmes_registry_example_imports_without_a_rejected_row() {
    let app = TestApp::new();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let header = "codice_fiscale;partita_iva;denominazione;pec;sede;legali_rappresentanti\n";
    let block =
        readme.split_once(&format!("```text\n{header}")).or_else(|| readme.split_once(header)).expect("the example").1;
    let example = format!("{header}{}\n", block.split("```").next().expect("its rows").trim());
    let now = chrono::Utc::now().naive_utc();
    let report = with_conn(&app.state.pool, move |c| Ok(registro_imprese(c, example.as_bytes(), now)))
        .await
        .expect("db")
        .expect("import");
    assert_eq!(report.rejected, Vec::<(usize, String)>::new());
    assert_eq!(report.added, 1);
}
