//! The Ispettorato territoriale del lavoro competent for each province (the
//! workplace's), shipped as a data file (`itl.csv`: sigla, province, office,
//! e-mail, PEC). The addresses follow the Ispettorato's published pattern;
//! the autonomous provinces of Bolzano and Trento have their own inspectorates.
use std::sync::LazyLock;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    pub province: &'static str,
    pub province_name: &'static str,
    pub name: &'static str,
    pub email: &'static str,
    pub pec: &'static str,
}

static OFFICES: LazyLock<Vec<Office>> = LazyLock::new(|| {
    include_str!("itl.csv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split(';');
            Some(Office {
                province: f.next()?,
                province_name: f.next()?,
                name: f.next()?,
                email: f.next()?,
                pec: f.next()?,
            })
        })
        .collect()
});

/// The office for the province with sigla `province` (e.g. `MI`).
pub fn office(province: &str) -> Option<&'static Office> {
    OFFICES.iter().find(|o| o.province.eq_ignore_ascii_case(province))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_province_has_its_office() {
        assert_eq!(super::OFFICES.len(), 107);
        assert_eq!(super::office("mi").map(|o| o.pec), Some("ITL.Milano@pec.ispettorato.gov.it"));
        assert!(super::office("XX").is_none());
    }
}
