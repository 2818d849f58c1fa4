//! The Italian codice fiscale: 16 characters with a check letter (or the
//! 11-digit provisional number).

const ODD: [u32; 36] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, // 0-9
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23, // A-Z
];

fn index(c: char) -> Option<usize> {
    match c {
        '0'..='9' => Some(c as usize - '0' as usize),
        'A'..='Z' => Some(c as usize - 'A' as usize + 10),
        _ => None,
    }
}

/// The check letter of the first 15 characters.
pub fn check_letter(first15: &str) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in first15.chars().enumerate() {
        let idx = index(c)?;
        sum += if i % 2 == 0 {
            ODD[idx]
        } else if idx < 10 {
            idx as u32
        } else {
            (idx - 10) as u32
        };
    }
    char::from_u32('A' as u32 + sum % 26)
}

/// Normalises (upper case, no spaces) and validates; `None` when invalid.
pub fn normalize(input: &str) -> Option<String> {
    let cf: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if cf.len() == 11 && cf.chars().all(|c| c.is_ascii_digit()) {
        return Some(cf);
    }
    if cf.len() != 16 || !cf.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    (check_letter(&cf[..15])? == cf.chars().nth(15)?).then_some(cf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_validate() {
        assert_eq!(normalize("rssmra80a01h501u").as_deref(), Some("RSSMRA80A01H501U"));
        assert!(normalize("RSSMRA80A01H501A").is_none());
        assert!(normalize("RSSMRA80A01").is_none());
        assert_eq!(normalize("12345678901").as_deref(), Some("12345678901"));
    }
}
