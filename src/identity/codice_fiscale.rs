//! Whether a codice fiscale fits the person it should be of (its form is
//! checked by [`crate::kernel::CodiceFiscale`]).

pub use crate::kernel::values::check_letter;

/// Where a 16-character codice fiscale disagrees with the person it should
/// be of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misfit {
    FamilyName,
    GivenName,
    Birth,
}

/// Letters only, without accents, upper case (how names enter the code).
fn letters(name: &str) -> Vec<char> {
    name.chars()
        .filter_map(|c| match c.to_ascii_uppercase() {
            'À' | 'Á' | 'Â' | 'Ä' | 'à' | 'á' | 'â' | 'ä' => Some('A'),
            'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' => Some('E'),
            'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' => Some('I'),
            'Ò' | 'Ó' | 'Ô' | 'Ö' | 'ò' | 'ó' | 'ô' | 'ö' => Some('O'),
            'Ù' | 'Ú' | 'Û' | 'Ü' | 'ù' | 'ú' | 'û' | 'ü' => Some('U'),
            c @ 'A'..='Z' => Some(c),
            _ => None,
        })
        .collect()
}

fn is_vowel(c: &char) -> bool {
    "AEIOU".contains(*c)
}

/// The three letters of a surname: its consonants, then its vowels, then X.
pub fn family_name_code(name: &str) -> String {
    let l = letters(name);
    let consonants = l.iter().filter(|c| !is_vowel(c));
    let vowels = l.iter().filter(|c| is_vowel(c));
    consonants.chain(vowels).copied().chain(std::iter::repeat('X')).take(3).collect()
}

/// The three letters of a given name: with four consonants or more, the
/// first, third and fourth; otherwise as a surname.
pub fn given_name_code(name: &str) -> String {
    let l = letters(name);
    let consonants: Vec<char> = l.iter().filter(|c| !is_vowel(c)).copied().collect();
    if consonants.len() >= 4 {
        [consonants[0], consonants[2], consonants[3]].iter().collect()
    } else {
        family_name_code(name)
    }
}

/// Omocodia: where two people would share a code, digits become letters
/// (0–9 as L M N P Q R S T U V); read them back as digits.
fn without_omocodia(cf: &str) -> String {
    const DIGITS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];
    cf.chars()
        .enumerate()
        .map(|(i, c)| match (DIGITS.contains(&i), "LMNPQRSTUV".find(c)) {
            (true, Some(d)) => char::from(b'0' + d as u8),
            _ => c,
        })
        .collect()
}

/// Does the (valid, 16-character) codice fiscale `cf` fit the person: the
/// codes of their surname and given name, their year, month and day of birth
/// (the day plus 40 for women: either is accepted, sex is not asked)? The
/// omocodia variants fit as their original does.
pub fn fits(cf: &str, family_name: &str, given_name: &str, born: chrono::NaiveDate) -> Result<(), Misfit> {
    use chrono::Datelike;
    let cf = without_omocodia(cf);
    if cf.len() != 16 || cf.get(0..3) != Some(family_name_code(family_name).as_str()) {
        return Err(Misfit::FamilyName);
    }
    if cf.get(3..6) != Some(given_name_code(given_name).as_str()) {
        return Err(Misfit::GivenName);
    }
    let year = cf.get(6..8).and_then(|y| y.parse::<i32>().ok());
    let month = cf.chars().nth(8).and_then(|m| "ABCDEHLMPRST".find(m)).map(|m| m as u32 + 1);
    let day = cf.get(9..11).and_then(|d| d.parse::<u32>().ok());
    match (year, month, day) {
        (Some(y), Some(m), Some(d))
            if y == born.year() % 100 && m == born.month() && (d == born.day() || d == born.day() + 40) =>
        {
            Ok(())
        }
        _ => Err(Misfit::Birth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_fits_its_person_omocodia_included() {
        let born = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).expect("day");
        assert_eq!(fits("RSSMRA80A01H501U", "Rossi", "Mario", born), Ok(()));
        // The same person's omocodia variant (a digit as a letter; a new check letter).
        let variant = format!("RSSMRA80A01H50{}", 'M');
        let variant = format!("{variant}{}", check_letter(&variant).expect("letter"));
        assert_eq!(fits(&variant, "Rossi", "Mario", born), Ok(()));
        assert_eq!(fits("RSSMRA80A01H501U", "Bianchi", "Mario", born), Err(Misfit::FamilyName));
        assert_eq!(fits("RSSMRA80A01H501U", "Russo", "Mario", born), Ok(()), "same consonants: the code cannot tell");
        assert_eq!(fits("RSSMRA80A01H501U", "Rossi", "Maria", born), Ok(()), "same letters");
        assert_eq!(fits("RSSMRA80A01H501U", "Rossi", "Marco", born), Err(Misfit::GivenName));
        let other_day = chrono::NaiveDate::from_ymd_opt(1980, 1, 2).expect("day");
        assert_eq!(fits("RSSMRA80A01H501U", "Rossi", "Mario", other_day), Err(Misfit::Birth));
        // A woman's day is plus 40; accents and spaces do not count.
        let born = chrono::NaiveDate::from_ymd_opt(1985, 8, 1).expect("day");
        assert_eq!(fits("BNCGLI85M41F205L", "Bianchi", "Giulia", born), Ok(()));
        assert_eq!(family_name_code("De Niccolò"), "DNC");
        assert_eq!(given_name_code("Gianfranco"), "GFR", "first, third and fourth consonants");
        assert_eq!(family_name_code("Fo"), "FOX");
    }
}
