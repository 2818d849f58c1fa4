//! Secrets the portal hands out (links, codes, browser marks) and the hashes
//! it keeps of them instead: one generator, one hash, so every token is as
//! strong as the others and none is kept in clear.
use sha2::{Digest, Sha256};

/// `bytes` random bytes (from the operating system's generator, through
/// `rand`'s thread-local CSPRNG), in lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect()
}

/// The SHA-256 of `value`, in lower-case hex: what is stored of a token.
pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_hashes_are_sha256() {
        let (a, b) = (random_hex(24), random_hex(24));
        assert_eq!(a.len(), 48);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()) && a != b);
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
