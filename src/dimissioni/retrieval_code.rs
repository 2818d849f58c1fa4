//! The worker's retrieval code itself: how it is made and read back
//! (the lookup is in [`super::retrieval`]).

/// Letters and digits nobody confuses (no 0/O, 1/I): 32 signs, 5 bits each.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Twelve signs: 60 bits, written in three groups of four.
const LENGTH: usize = 12;

/// A new retrieval code, `K7QM-2XZP-9RTA`.
pub fn new_code() -> String {
    let signs: Vec<char> = (0..LENGTH).map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())])).collect();
    signs.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The code as typed (any case, spaces or dashes anywhere) in its written
/// form, or `None` when it cannot be one.
pub fn normalise(typed: &str) -> Option<String> {
    let signs: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (signs.len() == LENGTH && signs.bytes().all(|b| ALPHABET.contains(&b))).then(|| {
        signs.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    })
}

#[cfg(test)]
mod tests {
    use super::{new_code, normalise};

    #[test]
    fn codes_are_three_groups_of_four_and_read_back_however_typed() {
        let code = new_code();
        assert_eq!(code.len(), 14);
        assert_eq!(normalise(&code).as_deref(), Some(code.as_str()));
        assert_eq!(normalise(&code.to_lowercase().replace('-', " ")).as_deref(), Some(code.as_str()));
        assert_ne!(new_code(), code, "random, not a sequence");
        assert_eq!(normalise("K7QM-2XZP-9RT0"), None, "no 0 in the alphabet");
        assert_eq!(normalise("K7QM-2XZP"), None);
    }
}
