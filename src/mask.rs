//! Masking: card numbers, CVVs and credentials never reach the console, snapshots or
//! reports. One place, used by every output path.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// Keys whose values are card security codes, whatever the gateway calls them.
const CVV_KEYS: [&str; 7] = [
    "cvv",
    "cvv2",
    "cvc",
    "card_code",
    "security_code",
    "card_security_code",
    "cvn",
];
/// What a masked CVV or secret shows.
pub const MASKED: &str = "[masked]";
/// Secrets shorter than this are masked only where they are known to sit (auth
/// headers): replacing a two-letter string everywhere would garble the output.
const MIN_SECRET_LEN: usize = 4;

static DIGIT_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d{12,19}").unwrap_or_else(|e| unreachable!("{e}")));
static CVV_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    let keys = CVV_KEYS.join("|");
    Regex::new(&format!(
        r#"(?i)(<(?:{keys})(?:\s[^>]*)?>)[^<]*(</)|("(?:{keys})"\s*:\s*)("[^"]*"|\d+)|((?:^|[&?\[])(?:{keys})(?:%5D|\])?=)[^&]*"#
    ))
    .unwrap_or_else(|e| unreachable!("{e}"))
});

/// Masks what must not be shown.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

/// Luhn checksum, which every card number passes.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(c.wrapping_sub(b'0'));
        if d > 9 {
            return false;
        }
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Whether a member name is a card security code's (`cvv`, `card-code`, `CVC`, ...).
pub fn is_cvv_key(name: &str) -> bool {
    CVV_KEYS.contains(&name.to_ascii_lowercase().replace('-', "_").as_str())
}

/// Whether a JSONPath selects a card security code: its last member is a CVV name.
///
/// ```
/// use gatecheck::mask::is_cvv_path;
/// assert!(is_cvv_path("$.customer.credit_card.cvv"));
/// assert!(is_cvv_path("$..['card-code']"));
/// assert!(!is_cvv_path("$.customer.credit_card.number"));
/// ```
pub fn is_cvv_path(path: &str) -> bool {
    let trimmed = path.trim_end_matches([']', '\'', '"']);
    trimmed
        .rsplit(['.', '[', '\'', '"'])
        .next()
        .is_some_and(is_cvv_key)
}

/// A card number as it may be shown: first six and last four digits.
pub fn mask_pan(pan: &str) -> String {
    let n = pan.len();
    format!("{}{}{}", &pan[..6], "*".repeat(n - 10), &pan[n - 4..])
}

impl Masker {
    /// This masker plus more secret values.
    pub fn with_secrets(&self, more: impl IntoIterator<Item = String>) -> Masker {
        Masker::new(self.secrets.iter().cloned().chain(more))
    }

    /// A masker for these secret values (longest first, so overlapping ones mask fully).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Masker {
        let mut secrets: Vec<String> = secrets
            .into_iter()
            .filter(|s| s.len() >= MIN_SECRET_LEN)
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Masker { secrets }
    }

    /// Masks free text: secrets, card numbers (Luhn-valid runs of 12 to 19 digits) and
    /// CVVs written as XML elements, JSON members or form fields.
    ///
    /// ```
    /// let m = gatecheck::mask::Masker::new(["s3cr3t-key".to_string()]);
    /// assert_eq!(
    ///     m.text("key=s3cr3t-key <number>4111111111111111</number><cvv>123</cvv>"),
    ///     "key=[masked] <number>411111******1111</number><cvv>[masked]</cvv>"
    /// );
    /// ```
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASKED);
            }
        }
        let out = DIGIT_RUN.replace_all(&out, |caps: &regex::Captures| {
            let run = &caps[0];
            if luhn(run) {
                mask_pan(run)
            } else {
                run.to_string()
            }
        });
        CVV_TEXT
            .replace_all(&out, |caps: &regex::Captures| {
                if let (Some(open), Some(close)) = (caps.get(1), caps.get(2)) {
                    format!("{}{MASKED}{}", open.as_str(), close.as_str())
                } else if let Some(key) = caps.get(3) {
                    format!("{}\"{MASKED}\"", key.as_str())
                } else {
                    format!("{}{MASKED}", caps.get(5).map_or("", |m| m.as_str()))
                }
            })
            .into_owned()
    }

    /// Masks a JSON tree in place: CVV-named members, card numbers and secrets in strings.
    pub fn value(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                let masked = self.text(s);
                if masked != *s {
                    *s = masked;
                }
            }
            Value::Number(n) => {
                let digits = n.to_string();
                if DIGIT_RUN.is_match(&digits) && luhn(&digits) && digits.len() <= 19 {
                    *value = Value::String(mask_pan(&digits));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if is_cvv_key(key) && !v.is_null() {
                        *v = Value::String(MASKED.into());
                    } else {
                        self.value(v);
                    }
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// A header value as it may be shown: credentials fully masked.
    pub fn header(&self, name: &str, value: &str) -> String {
        let lower = name.to_ascii_lowercase();
        if lower == "authorization"
            || lower.contains("api-key")
            || lower.contains("token")
            || lower.contains("signature")
            || lower == "access_key"
            || lower == "cookie"
        {
            MASKED.to_string()
        } else {
            self.text(value)
        }
    }
}

/// Something that has been through a [`Masker`]: the only form in which requests,
/// answers, webhooks and failures reach an output (console, JUnit, JSON, snapshots).
///
/// Only [`Masker::mask`] builds one, so an output that forgets to mask does not
/// compile: it has nothing unmasked to print.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Masked<T>(T);

impl<T> std::ops::Deref for Masked<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: std::fmt::Display> std::fmt::Display for Masked<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Data a [`Masker`] knows how to mask in place.
pub trait Maskable {
    /// Replaces what must not be shown.
    fn mask_with(&mut self, masker: &Masker);
}

impl Maskable for String {
    fn mask_with(&mut self, masker: &Masker) {
        *self = masker.text(self);
    }
}

impl Maskable for Value {
    fn mask_with(&mut self, masker: &Masker) {
        masker.value(self);
    }
}

impl<T: Maskable> Maskable for Option<T> {
    fn mask_with(&mut self, masker: &Masker) {
        if let Some(inner) = self {
            inner.mask_with(masker);
        }
    }
}

impl<T: Maskable> Maskable for Vec<T> {
    fn mask_with(&mut self, masker: &Masker) {
        for item in self {
            item.mask_with(masker);
        }
    }
}

/// A list of HTTP headers: credentials are masked whole, by name.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct HeaderList(pub Vec<(String, String)>);

impl Maskable for HeaderList {
    fn mask_with(&mut self, masker: &Masker) {
        for (name, value) in &mut self.0 {
            *value = masker.header(name, value);
        }
    }
}

impl Masker {
    /// `data` with what must not be shown replaced: the one way to make a [`Masked`].
    pub fn mask<T: Maskable>(&self, mut data: T) -> Masked<T> {
        data.mask_with(self);
        Masked(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn luhn_and_pan() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("5105105105105100"));
        assert!(!luhn("4111111111111112"));
        assert_eq!(mask_pan("378282246310005"), "378282*****0005");
    }

    #[test]
    fn masks_text_in_every_format() {
        let m = Masker::default();
        assert_eq!(
            m.text(r#"{"number":"5105105105105100","cvv":"123","id":"123456789012"}"#),
            r#"{"number":"510510******5100","cvv":"[masked]","id":"123456789012"}"#
        );
        assert_eq!(
            m.text("card[number]=4111111111111111&card[cvv]=999&x=1"),
            "card[number]=411111******1111&card[cvv]=[masked]&x=1"
        );
        assert_eq!(
            m.text("<CVV type=\"x\">12</CVV>"),
            "<CVV type=\"x\">[masked]</CVV>"
        );
    }

    #[test]
    fn masks_trees() {
        let m = Masker::new(["private-key-1".to_string(), "ab".to_string()]);
        let mut v = json!({
            "credit_card": {"number": "4111111111111111", "cvv": "123", "card-code": 99, "last_4": "1111"},
            "note": "token private-key-1 ab",
            "n": 4111111111111111u64,
            "cvc": null
        });
        m.value(&mut v);
        assert_eq!(
            v,
            json!({
                "credit_card": {"number": "411111******1111", "cvv": "[masked]", "card-code": "[masked]", "last_4": "1111"},
                "note": "token [masked] ab",
                "n": "411111******1111",
                "cvc": null
            })
        );
    }

    #[test]
    fn masks_credentials_in_headers() {
        let m = Masker::default();
        assert_eq!(m.header("Authorization", "Basic abc"), MASKED);
        assert_eq!(
            m.header("Content-Type", "application/xml"),
            "application/xml"
        );
    }
}
