//! The 11-digit number of Italian companies: partita IVA, which is also the
//! codice fiscale of most companies. The last digit checks the first ten.

/// The check digit of the first ten digits.
fn check_digit(first10: &[u32]) -> u32 {
    let sum: u32 = first10
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                *d
            } else {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Normalises (no spaces, no `IT` prefix) and validates; `None` when invalid.
pub fn normalize(input: &str) -> Option<String> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let s = s.strip_prefix("IT").or_else(|| s.strip_prefix("it")).unwrap_or(&s).to_string();
    let digits: Vec<u32> = s.chars().map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    (digits.len() == 11 && check_digit(&digits[..10]) == digits[10]).then_some(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_digits_are_checked() {
        // The Agenzia delle Entrate's own partita IVA, and a typo of it.
        assert_eq!(super::normalize("IT 06363391001").as_deref(), Some("06363391001"));
        assert!(super::normalize("06363391002").is_none());
        assert!(super::normalize("0636339100").is_none());
        assert!(super::normalize("0636339100A").is_none());
    }
}
