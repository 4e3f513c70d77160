//! Random ids in the shapes the gateways use.

use rand::Rng;
use rand::distr::Alphanumeric;

/// `len` letters (either case) and digits: Chargebee's ids and references.
pub fn alphanumeric(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// `len` lowercase letters and digits: Braintree's tokens and ids.
pub fn lower_alphanumeric(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// `len` decimal digits.
pub fn digits(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// `prefix` and 32 lowercase hex digits: Rapyd's ids (`cus_…`, `card_…`).
pub fn prefixed_hex(prefix: &str) -> String {
    let bits: u128 = rand::rng().random();
    format!("{prefix}{bits:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let a = alphanumeric(16);
        assert!(a.len() == 16 && a.bytes().all(|b| b.is_ascii_alphanumeric()));
        let l = lower_alphanumeric(8);
        assert!(
            l.len() == 8
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        );
        let d = digits(10);
        assert!(d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()));
        let h = prefixed_hex("cus_");
        assert!(h.len() == 36 && h[4..].bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
