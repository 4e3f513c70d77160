//! Masking: card numbers, CVVs and credentials never reach the console, snapshots or
//! reports. One place, used by every output path.
//!
//! [`Masker::text`] recognizes, in any text:
//! - every secret it was given (credentials, environment values) in every form it
//!   takes on the wire: raw, percent-encoded (`%20` or `+` for a space, either hex
//!   case, any mix of encoded and plain characters), JSON- and XML-escaped, and
//!   base64-encoded on its own or inside a longer base64 text (`Basic` credentials);
//! - the `user:password@` part of any URL;
//! - card numbers: Luhn-valid runs of 12 to 19 digits, also written in groups
//!   separated by spaces, dashes, `+`, `%20` or `_` (`4111 1111 1111 1111`, Amex
//!   `3782 822463 10005`), and a card number inside a longer run of digits (a card
//!   number and its CVV run together);
//! - CVVs under any of the common names (`cvv`, `cvc2`, `securityCode`,
//!   `card-security-code`, `X-CVV`, ...) in any case style, as JSON or YAML members,
//!   form or query fields, XML elements or attributes, header lines and path
//!   segments (`/cvv/123`).
//!
//! [`Masker::value`] masks a JSON tree: CVV-named members whole, strings and object
//! keys as text, numbers that are card numbers.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use base64::Engine as _;
use regex::{Captures, Regex, RegexBuilder};
use rustc_hash::FxHashSet;
use serde_json::{Map, Value};

/// Names gateways give a card security code, as words. Each is recognized in any
/// case and with or without `_`, `-` or `.` between its words (`securityCode`,
/// `security_code`, `SECURITY-CODE`), and with an `X-` header prefix.
///
/// `cid` (Amex's name) is left out on purpose: it far more often means a customer
/// or correlation id, whose masking would hide what a scenario checks.
const CVV_NAMES: &[&[&str]] = &[
    &["card", "security", "code"],
    &["card", "verification", "value"],
    &["card", "verification", "code"],
    &["card", "verification", "number"],
    &["security", "code"],
    &["card", "code"],
    &["card", "cvv", "2"],
    &["card", "cvc", "2"],
    &["card", "cvv"],
    &["card", "cvc"],
    &["card", "csc"],
    &["cvv", "code"],
    &["cvc", "code"],
    &["cvv", "number"],
    &["cvc", "number"],
    &["cvv", "2"],
    &["cvc", "2"],
    &["cvn", "2"],
    &["cvv"],
    &["cvc"],
    &["cvn"],
    &["cvd"],
    &["csc"],
];
/// What a masked CVV or secret shows.
pub const MASKED: &str = "[masked]";
/// Secrets shorter than this are masked only where they are known to sit (auth
/// headers): replacing a two-letter string everywhere would garble the output.
const MIN_SECRET_LEN: usize = 4;
/// Longest and shortest card numbers (ISO/IEC 7812), and the shortest one looked
/// for inside a longer run of digits (12-digit numbers are too rare to be worth the
/// false matches there).
const PAN_MIN: usize = 12;
const PAN_MAX: usize = 19;
const PAN_MIN_INSIDE: usize = 13;
/// Digits there must be besides a card number found inside a longer run: a CVV has
/// three. One or two more make a 16- or 17-digit id (a routing number) that holds a
/// Luhn-valid window far too often.
const PAN_AROUND: usize = 3;
/// Largest regex the secrets of one masker may compile to; a masker with more falls
/// back to plain replacement of the raw values.
const SECRETS_REGEX_LIMIT: usize = 64 << 20;

/// The structures masked whatever the secrets: URL userinfo, CVV-named values and
/// clusters of digits that may hold a card number. One pass over the text, with
/// the regex engine's linear-time guarantee; what each match becomes is decided in
/// [`Structure`]. Classes are ASCII and there is no `\b`: a Unicode word boundary
/// would keep the regex engine off its fast DFA.
static STRUCTURE: LazyLock<Regex> = LazyLock::new(|| {
    let key = cvv_key_pattern();
    let pattern = [
        // `scheme://user:password@`: the userinfo runs to the last `@` before the
        // path, so an unencoded `@` in a password is covered too.
        r#"(?P<scheme>[a-z][a-z0-9+.\-]*://)[^/?# \t\r\n"'<>]+@"#.to_string(),
        // `<cvv>…</`, `<ns:card-security-code attr="…">…</`. No `<` inside the tag:
        // an unclosed one must not keep the match open across the text (quadratic).
        format!(r"(?P<xopen><(?:[a-z_][a-z0-9_.\-]*:)?{key}(?:[ \t\r\n][^<>]*)?>)[^<]*(?P<xclose></)"),
        // `"cvv": "…"`, `cvv: …`, `card[cvv]=…`, `card%5Bcvv%5D=…`, `X-CVV: …`,
        // `\"cvv\":\"…\"` (a debug-quoted preview), `/cvv/…`. The character before the
        // name is taken so that `cvv_response_code` or `mycvv` are not CVVs.
        format!(
            r#"(?P<kv>(?:^|%5b|[^a-z0-9_])\\?["']?{key}(?:\\?["']|\]|%5d)?(?:[ \t]*[:=][ \t]*|/))(?P<val>\\?"(?:[^"\\]|\\[^"])*(?:\\?")?|'[^']*'?|[^ \t\r\n,;&{{}}\[\]<>"'/?#]+)"#
        ),
        // Card numbers.
        DIGITS_PATTERN.to_string(),
    ]
    .join("|");
    structure_regex(&pattern)
});

/// The last alternative of [`STRUCTURE`]: groups of three or more digits, separated
/// by one space, dash, `+`, `%20` or `_` (a step name's card number in its snapshot
/// key), or twelve digits in a row; shorter numbers do not match at all. Not `.`: IP
/// addresses.
const DIGITS_PATTERN: &str = r"(?P<digits>[0-9]{3,}(?:(?:[ +_\-]|%20)[0-9]{3,})+|[0-9]{12,})";

/// Where [`DIGITS_PATTERN`] matches `text` first at or after byte `from`, for a text in
/// which no other alternative of [`STRUCTURE`] can match (most texts with digits: ids,
/// dates, amounts). A scan, not a regex: compiling even this one alternative took
/// 1.3M instructions, 7 % of a test process that masks anything with digits.
///
/// A match starts where a run of digits starts (a later start in the same run is
/// shorter and matches only if the longer one does) and ends where a run ends (no
/// separator is a digit), so the scan goes run by run, as the regex's leftmost-first
/// search would.
fn digit_cluster(text: &str, mut from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let run_end = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    // The separators between groups, and how many bytes each takes.
    let separator = |i: usize| match bytes.get(i) {
        Some(b' ' | b'+' | b'_' | b'-') => 1,
        Some(b'%') if bytes.get(i + 1..i + 3) == Some(b"20") => 3,
        _ => 0,
    };
    while from < bytes.len() {
        if !bytes[from].is_ascii_digit() {
            from += 1;
            continue;
        }
        let start = from;
        let mut end = run_end(start);
        let first = end - start;
        if first >= 3 {
            // `[0-9]{3,}` then, greedily, as many `separator [0-9]{3,}` as follow.
            let mut groups = 1;
            loop {
                let width = separator(end);
                let next = end + width;
                let next_end = run_end(next);
                if width == 0 || next_end - next < 3 {
                    break;
                }
                end = next_end;
                groups += 1;
            }
            if groups > 1 || first >= PAN_MIN {
                return Some((start, end));
            }
        }
        from = end;
    }
    None
}

/// `text` with every digit cluster [`digit_cluster`] finds masked, or `None` when it
/// has none.
fn mask_digit_clusters(text: &str) -> Option<String> {
    let (mut start, mut end) = digit_cluster(text, 0)?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    loop {
        out.push_str(&text[copied..start]);
        mask_digit_cluster(&text[start..end], &mut out);
        copied = end;
        match digit_cluster(text, end) {
            Some(next) => (start, end) = next,
            None => break,
        }
    }
    out.push_str(&text[copied..]);
    Some(out)
}

fn structure_regex(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|e| unreachable!("a constant pattern compiles: {e}"))
}

/// The CVV names as one regex group, in any case style.
fn cvv_key_pattern() -> String {
    let names: Vec<String> = CVV_NAMES
        .iter()
        .map(|words| words.join("[_.\\-]?"))
        .collect();
    format!("(?:x[_\\-])?(?:{})", names.join("|"))
}

/// Masks what must not be shown.
#[derive(Clone, Default)]
pub struct Masker {
    /// The secret values, longest first.
    secrets: Vec<String>,
    /// Every encoding of every secret, as one regex (none when there are no secrets,
    /// or when they are too many to compile, in which case `secrets` are replaced as
    /// they are). Compiled on the first text that may hold a secret: compiling costs
    /// millions of instructions, and most runs never meet their secrets in what they
    /// show (a process per test, under nextest, pays it for nothing otherwise).
    pattern: Arc<OnceLock<Option<Regex>>>,
    /// Literal pieces every match of `pattern` contains one of (the longest run of
    /// letters and digits of each form, which every encoding writes as it is): a text
    /// with none of them holds no secret. `None` when a form has no such run.
    anchors: Option<Anchors>,
    /// Short texts met before that masking leaves as they are: member names and the
    /// usual values repeat from answer to answer, and a look-up costs a fraction of
    /// the scans and searches. Its own to each masker: what is clean depends on the
    /// secrets.
    clean: Arc<Mutex<Clean>>,
    /// Whether a secret could be written inside a JSON number (it is made only of
    /// what numbers are written with): when none can, a number too short to be a card
    /// number is left as it is without being written out to be looked at.
    secret_in_numbers: bool,
}

/// What a [`Masker`] remembers as clean, each set bounded: [`CLEAN_MAX`] texts of
/// [`CLEAN_MAX_LEN`] bytes at most.
#[derive(Default)]
struct Clean {
    /// Texts masking leaves as they are.
    texts: FxHashSet<Box<str>>,
    /// Member names masking leaves as they are and that are no CVV's.
    keys: FxHashSet<Box<str>>,
}

/// What a member name is to [`Masker::value`].
#[derive(Default, PartialEq, Clone, Copy, Debug)]
pub(crate) struct Key {
    /// A CVV's name: its value is masked whole.
    pub(crate) cvv: bool,
    /// Masking changes the name itself (it holds a card number or a secret).
    pub(crate) masked: bool,
}

/// Whether `n` is an integer written with fewer digits than the shortest card number
/// (and nothing else but a sign): masking can find no card number in it.
fn short_integer(n: &serde_json::Number) -> bool {
    const BELOW: u64 = 10u64.pow(PAN_MIN as u32 - 1);
    n.as_u64()
        .or_else(|| n.as_i64().map(i64::unsigned_abs))
        .is_some_and(|n| n < BELOW)
}

/// Whether a text is one [`Clean`] remembers (shorter ones cost less to scan than to
/// look up).
fn rememberable(text: &str) -> bool {
    (STRUCTURE_MIN_LEN..=CLEAN_MAX_LEN).contains(&text.len())
}

/// Whether `text` is in `set` of `clean`.
fn is_remembered(
    clean: &Mutex<Clean>,
    text: &str,
    set: fn(&Clean) -> &FxHashSet<Box<str>>,
) -> bool {
    rememberable(text) && clean.lock().is_ok_and(|clean| set(&clean).contains(text))
}

/// Remembers `text` in `set` of `clean`, when it is one to remember and there is room.
fn remember(clean: &Mutex<Clean>, text: &str, set: fn(&mut Clean) -> &mut FxHashSet<Box<str>>) {
    if !rememberable(text) {
        return;
    }
    if let Ok(mut clean) = clean.lock() {
        let set = set(&mut clean);
        if set.len() < CLEAN_MAX {
            set.insert(text.into());
        }
    }
}

/// Most texts a masker remembers as clean, and the longest it remembers.
const CLEAN_MAX: usize = 4096;
const CLEAN_MAX_LEN: usize = 128;

impl fmt::Debug for Masker {
    // The pattern spells the secrets out: a debug print must not.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Masker")
            .field("secrets", &self.secrets.len())
            .finish_non_exhaustive()
    }
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

/// Whether a member, element, field or header name is a card security code's (`cvv`,
/// `card-code`, `CVC2`, `securityCode`, `card_security_code`, `X-CVV`, `ns:cvv`, ...).
///
/// ```
/// use gatecheck::mask::is_cvv_key;
/// assert!(is_cvv_key("securityCode") && is_cvv_key("X-CVV") && is_cvv_key("card-code"));
/// assert!(!is_cvv_key("cvv_response_code") && !is_cvv_key("code"));
/// ```
pub fn is_cvv_key(name: &str) -> bool {
    // A byte loop, not `rsplit`: names are short, and its search costs more to set up.
    let local = match name.bytes().rposition(|b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    };
    let bare = match local.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("x-") || p.eq_ignore_ascii_case("x_") => &local[2..],
        _ => local,
    };
    // Folded into a small buffer rather than a new string: this is asked of every
    // member of every answer that is masked or snapshotted. Every name starts with
    // `ca`, `cv`, `cs` or `se` (`card…`, `cvv`, `csc`, `security…`): most member names
    // are out at the first or second letter, before folding the rest.
    let mut buf = [0u8; CVV_NAME_MAX];
    let mut len = 0;
    for b in bare.bytes().filter(|b| !matches!(b, b'_' | b'-' | b'.')) {
        if len == CVV_NAME_MAX {
            return false;
        }
        let b = b.to_ascii_lowercase();
        let starts_a_name = match len {
            0 => matches!(b, b'c' | b's'),
            1 => matches!((buf[0], b), (b'c', b'a' | b'v' | b's') | (b's', b'e')),
            _ => true,
        };
        if !starts_a_name {
            return false;
        }
        buf[len] = b;
        len += 1;
    }
    let folded = &buf[..len];
    CVV_FOLDED.iter().any(|name| name.as_bytes() == folded)
}

/// The CVV names folded as [`is_cvv_key`] folds a name: lower case, words run together.
static CVV_FOLDED: LazyLock<Vec<String>> =
    LazyLock::new(|| CVV_NAMES.iter().map(|words| words.concat()).collect());

/// Longest CVV name, folded (`cardverificationnumber`, with room to spare).
const CVV_NAME_MAX: usize = 32;

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

/// Whether a card number of `len` digits may start with `first`, `second`: the
/// networks in use and their lengths (Visa 4: 13, 16, 19; Amex 34/37: 15;
/// Mastercard 51–55 and 22–27: 16; Diners 30/36/38/39: 14–19; JCB 35, Discover,
/// UnionPay 6x: 16–19; Maestro 50/56–59: 12–19). Only asked of a number found inside
/// a longer run of digits, where a Luhn check alone would match one window in ten.
fn plausible_card(first: u8, second: u8, len: usize) -> bool {
    match (first, second) {
        (4, _) => matches!(len, 13 | 16 | 19),
        (3, 4 | 7) => len == 15,
        (5, 1..=5) | (2, 2..=7) => len == 16,
        (3, 0 | 6 | 8 | 9) => (14..=19).contains(&len),
        (3, 5) | (6, _) => (16..=19).contains(&len),
        (5, _) => (12..=19).contains(&len),
        _ => false,
    }
}

/// Where, in `digits` (values 0–9), a card number sits: the whole run when it is
/// one, else the first Luhn-valid window of 13 to 19 digits that a network issues,
/// with at least [`PAN_AROUND`] more digits around it (a card number and its CVV or
/// expiry date run together). Linear: each window's checksum comes from two prefix
/// sums.
fn find_pan(digits: &[u8]) -> Option<(usize, usize)> {
    let n = digits.len();
    if n < PAN_MIN {
        return None;
    }
    // sums[q][p]: the sum of digits[..p], doubling those at positions of parity q.
    // A window ending before `end` doubles the positions of parity `end % 2`.
    let mut sums = [vec![0u32; n + 1], vec![0u32; n + 1]];
    for (p, &d) in digits.iter().enumerate() {
        for (q, s) in sums.iter_mut().enumerate() {
            s[p + 1] = s[p] + u32::from(if p % 2 == q { doubled(d) } else { d });
        }
    }
    let luhn = |start: usize, end: usize| {
        let s = &sums[end % 2];
        (s[end] - s[start]).is_multiple_of(10)
    };
    if n <= PAN_MAX && luhn(0, n) {
        return Some((0, n));
    }
    if n < PAN_MIN_INSIDE + PAN_AROUND {
        return None;
    }
    for start in 0..=n - PAN_MIN_INSIDE - PAN_AROUND {
        let longest = PAN_MAX.min(n - start).min(n - PAN_AROUND);
        for len in (PAN_MIN_INSIDE..=longest).rev() {
            if luhn(start, start + len) && plausible_card(digits[start], digits[start + 1], len) {
                return Some((start, len));
            }
        }
    }
    None
}

/// A digit as Luhn counts it at a doubled position.
fn doubled(d: u8) -> u8 {
    if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
}

/// Writes `cluster` (digit groups with single separators between them) to `out` with
/// every card number in it masked: all its digits but the card number's first six and
/// last four become `*`, separators stay. Groups of three to six digits are read
/// together (a card written in groups); a longer group is read on its own.
fn mask_digit_cluster(cluster: &str, out: &mut String) {
    let bytes = cluster.as_bytes();
    // Byte ranges of the digit groups.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            // `%20`, a separator: its digits are not the card's.
            i += 3;
        } else if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut hidden = vec![false; bytes.len()];
    let mut any = false;
    let mut g = 0;
    while g < groups.len() {
        let formatted = |(s, e): (usize, usize)| e - s <= 6;
        let mut last = g + 1;
        if formatted(groups[g]) {
            while last < groups.len() && formatted(groups[last]) {
                last += 1;
            }
        }
        let positions: Vec<usize> = groups[g..last].iter().flat_map(|&(s, e)| s..e).collect();
        if positions.len() >= PAN_MIN {
            let digits: Vec<u8> = positions.iter().map(|&p| bytes[p] - b'0').collect();
            if let Some((start, len)) = find_pan(&digits) {
                for (k, &p) in positions.iter().enumerate() {
                    hidden[p] = !(start..start + 6).contains(&k)
                        && !(start + len - 4..start + len).contains(&k);
                }
                any = true;
            }
        }
        g = last;
    }
    if !any {
        out.push_str(cluster);
        return;
    }
    for (p, c) in cluster.char_indices() {
        out.push(if hidden[p] { '*' } else { c });
    }
}

/// Every way one character of a secret can be written on the wire, as a regex.
fn char_forms(c: char) -> String {
    if c.is_ascii_alphanumeric() {
        return c.to_string();
    }
    let mut forms = vec![regex::escape(c.encode_utf8(&mut [0; 4]))];
    // Percent-encoding, either hex case: `%2F`, `%2f`, `%C3%A9`.
    let mut utf8 = [0; 4];
    forms.push(
        c.encode_utf8(&mut utf8)
            .bytes()
            .map(|b| format!("%{}{}", hex_ci(b >> 4), hex_ci(b & 15)))
            .collect(),
    );
    // JSON escapes, the short ones and `\uXXXX` (surrogate pairs beyond the BMP).
    let short = match c {
        ' ' => Some("+"), // form encoding
        '"' => Some("\\\""),
        '\\' => Some("\\\\"),
        '/' => Some("\\/"),
        '\n' => Some("\\n"),
        '\r' => Some("\\r"),
        '\t' => Some("\\t"),
        '\u{8}' => Some("\\b"),
        '\u{c}' => Some("\\f"),
        _ => None,
    };
    forms.extend(short.map(regex::escape));
    let mut units = [0; 2];
    forms.push(
        c.encode_utf16(&mut units)
            .iter()
            .map(|u| {
                let hex: String = format!("{u:04x}").bytes().map(hex_digit_ci).collect();
                format!(r"\\u{hex}")
            })
            .collect(),
    );
    // XML and HTML escapes: named and numeric.
    let named = match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        _ => None,
    };
    forms.extend(named.map(regex::escape));
    let code = u32::from(c);
    let hex: String = format!("{code:x}").bytes().map(hex_digit_ci).collect();
    forms.push(format!("&#0*{code};"));
    forms.push(format!("&#[xX]0*{hex};"));
    format!("(?:{})", forms.join("|"))
}

/// A hex digit (0–15) as a regex matching it in either case.
fn hex_ci(nibble: u8) -> String {
    hex_digit_ci(b"0123456789abcdef"[usize::from(nibble & 15)])
}

/// An ASCII hex digit as a regex matching it in either case.
fn hex_digit_ci(digit: u8) -> String {
    if digit.is_ascii_digit() {
        char::from(digit).to_string()
    } else {
        let (lo, up) = (digit.to_ascii_lowercase(), digit.to_ascii_uppercase());
        format!("[{}{}]", char::from(lo), char::from(up))
    }
}

/// The stretches of base64 text that `secret` becomes wherever it sits in what is
/// encoded: base64 turns each three bytes into four characters, so a secret inside a
/// longer value (`user:secret` in a `Basic` header) shows as one of three
/// alignments. Each stretch is the characters that depend on the secret alone, in
/// the standard and the URL-safe alphabets.
fn base64_forms(secret: &str) -> Vec<String> {
    let mut forms = Vec::new();
    for offset in 0..3 {
        let mut bytes = vec![0u8; offset];
        bytes.extend_from_slice(secret.as_bytes());
        let encoded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&bytes);
        // Characters whose six bits lie wholly inside the secret's bytes.
        let first = (8 * offset).div_ceil(6);
        let end = (8 * bytes.len() / 6).min(encoded.len());
        if end >= first + MIN_SECRET_LEN {
            let core = &encoded[first..end];
            forms.push(core.to_string());
            let url_safe = core.replace('+', "-").replace('/', "_");
            if url_safe != core {
                forms.push(url_safe);
            }
        }
    }
    forms
}

/// The forms of `secret` [`secrets_regex`] looks for: the secret itself and its
/// base64 encodings.
fn secret_forms(secret: &str) -> impl Iterator<Item = String> {
    std::iter::once(secret.to_string()).chain(base64_forms(secret))
}

/// The prefilter of [`Masker::mask_secrets`], from the runs of ASCII letters and
/// digits of every form of every secret. [`char_forms`] writes those characters as
/// they are, so a text holding a form holds each of its runs, as they are.
#[derive(Clone)]
struct Anchors {
    /// The longest run of each form (one entry for forms that share it), searched for
    /// in a text that passes the test of `pairs`.
    search: AhoCorasick,
    /// For each of `search`'s runs, the other runs of each form it is the longest of:
    /// a text holding the longest run but not the others of any such form (the
    /// embedded gateway's `sandbox_public` and a URL's `environment=sandbox`) holds
    /// no secret, and is spared the secrets' regex (millions of instructions to
    /// compile, in every test process of a suite).
    rest: Vec<Vec<Vec<Box<str>>>>,
    /// `pairs[a][b]`: whether the bytes `a`, `b` follow each other in a longest run. A
    /// text holding a run holds its pairs one after another, as many as the run is
    /// long: a text without such a chain at least `shortest` long (nearly every string
    /// of a JSON tree) holds none, and is not searched. A table of bytes rather than
    /// of bits: this runs on every byte of every string masked.
    pairs: Arc<[[bool; 128]; 128]>,
    /// The shortest of the longest runs' lengths.
    shortest: usize,
}

impl Anchors {
    /// Whether `text` may hold a form of a secret: it holds every run of one.
    fn may_match(&self, text: &str) -> bool {
        if text.len() < self.shortest {
            return false;
        }
        let mut chain = 0;
        let mut prev = 0u8;
        for &b in text.as_bytes() {
            if !b.is_ascii_alphanumeric() {
                chain = 0;
                continue;
            }
            // Both are ASCII: the masks only spare the bounds checks.
            let follows = chain > 0 && self.pairs[usize::from(prev & 127)][usize::from(b & 127)];
            chain = if follows { chain + 1 } else { 1 };
            if chain >= self.shortest {
                return self.holds_a_form(text);
            }
            prev = b;
        }
        false
    }

    /// Whether `text` holds the longest run of a form and all its others. The search
    /// overlaps (one run may sit inside another), and each run found is followed up
    /// once: a text repeating one (and none of its others) is searched for the others
    /// once, not once a repetition, and the search stops when every run was.
    fn holds_a_form(&self, text: &str) -> bool {
        let mut asked = vec![false; self.rest.len()];
        let mut left = asked.len();
        for found in self.search.find_overlapping_iter(text) {
            let i = found.pattern().as_usize();
            if std::mem::replace(&mut asked[i], true) {
                continue;
            }
            let holds = |others: &Vec<Box<str>>| others.iter().all(|run| text.contains(&**run));
            if self.rest[i].iter().any(holds) {
                return true;
            }
            left -= 1;
            if left == 0 {
                break;
            }
        }
        false
    }
}

/// The [`Anchors`] of `secrets`; `None` (always search) when a form has no letter or
/// digit.
fn secret_anchors(secrets: &[String]) -> Option<Anchors> {
    let mut anchors: Vec<String> = Vec::new();
    let mut rest: Vec<Vec<Vec<Box<str>>>> = Vec::new();
    let mut pairs = [[false; 128]; 128];
    for form in secrets.iter().flat_map(|s| secret_forms(s)) {
        let mut runs: Vec<&str> = form
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|run| !run.is_empty())
            .collect();
        // A form without a letter or digit leaves nothing to look for first.
        let at = (0..runs.len()).max_by_key(|&i| runs[i].len())?;
        let longest = runs.remove(at);
        for pair in longest.as_bytes().windows(2) {
            pairs[usize::from(pair[0])][usize::from(pair[1])] = true;
        }
        let others = runs.into_iter().map(Box::from).collect();
        match anchors.iter().position(|a| a == longest) {
            Some(i) => rest[i].push(others),
            None => {
                anchors.push(longest.to_string());
                rest.push(vec![others]);
            }
        }
    }
    let shortest = anchors.iter().map(String::len).min().unwrap_or(0);
    // A contiguous NFA builds in a fraction of a DFA's time, and searches these few
    // short literals about as fast.
    AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(anchors)
        .ok()
        .map(|search| Anchors {
            search,
            rest,
            pairs: Arc::new(pairs),
            shortest,
        })
}

/// One regex for every form of every secret, longest secret first (the leftmost of
/// overlapping matches wins, so a longer secret masks whole).
fn secrets_regex(secrets: &[String]) -> Option<Regex> {
    if secrets.is_empty() {
        return None;
    }
    let mut forms = Vec::new();
    for secret in secrets {
        for form in secret_forms(secret) {
            forms.push(form.chars().map(char_forms).collect::<String>());
        }
    }
    RegexBuilder::new(&forms.join("|"))
        .size_limit(SECRETS_REGEX_LIMIT)
        .build()
        .ok()
}

/// `map` with its keys replaced by `masked` (in the same order). Two keys that mask
/// alike (two cards with the same first six and last four digits) both stay, the later
/// one numbered.
fn mask_keys(map: Map<String, Value>, masked: Vec<String>) -> Map<String, Value> {
    let mut out = Map::with_capacity(map.len());
    for ((_, v), masked) in map.into_iter().zip(masked) {
        let mut unique = masked.clone();
        let mut n = 1;
        while out.contains_key(&unique) {
            n += 1;
            unique = format!("{masked} #{n}");
        }
        out.insert(unique, v);
    }
    out
}

/// Fewest bytes a match of [`STRUCTURE`] takes: `cvv:1` (a URL's userinfo takes
/// `a://b@`, an element `<cvv></`, a card number `123 456`).
const STRUCTURE_MIN_LEN: usize = 5;

/// Which of [`STRUCTURE`]'s alternatives can match a text.
#[derive(Debug, PartialEq)]
enum Needs {
    Nothing,
    /// Only [`DIGITS_PATTERN`]'s (see [`digit_cluster`]).
    Digits,
    All,
}

/// Which alternatives of [`STRUCTURE`] can match `text`, by what each needs:
/// URL userinfo a `://` and an `@`; a CVV member, field or element its name, which
/// holds `cv`, `csc`, `security`, `verification`, or `card` and `code`, in any case,
/// and a `:`, `=` or `/` after it or a `<` before it (a name in prose, "cvv too
/// short", is not a field: a scenario's name is masked in every process, and such a
/// name alone cost a process the regex's compilation); a card number two groups of
/// three digits or more, or twelve digits in a row. Most strings of a JSON tree
/// (names, ids, dates, short values) have none, and this byte scan spares them a
/// regex search, which costs far more on a short string (and the regex's
/// compilation, millions of instructions, to a process that meets none).
/// Text outside ASCII is always searched: the regex's case folding matches `ſ` as `s`.
fn structure_needs(text: &str) -> Needs {
    if text.len() < STRUCTURE_MIN_LEN {
        return Needs::Nothing;
    }
    if !text.is_ascii() {
        return Needs::All;
    }
    let bytes = text.as_bytes();
    let starts = |i: usize, word: &[u8]| {
        bytes
            .get(i..i + word.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    let (mut run, mut groups, mut digits) = (0, 0, false);
    let (mut card, mut code, mut scheme, mut at) = (false, false, false, false);
    // A CVV name seen, and a byte a CVV field or element needs somewhere in the text.
    let (mut key, mut field) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            run += 1;
            if run == 3 {
                groups += 1;
            }
            digits |= groups == 2 || run == PAN_MIN;
            continue;
        }
        run = 0;
        // Most bytes start no word looked for: one test for them.
        if !matches!(
            b,
            b'c' | b'C' | b's' | b'S' | b'v' | b'V' | b':' | b'@' | b'=' | b'/' | b'<'
        ) {
            continue;
        }
        // Each word is told by its second letter before it is compared whole: this
        // runs on every byte of every string masked.
        let next = bytes.get(i + 1).map_or(0, u8::to_ascii_lowercase);
        match b.to_ascii_lowercase() {
            b'c' => match next {
                b'v' => key = true,
                b's' => key |= starts(i, b"csc"),
                b'a' => card |= starts(i, b"card"),
                b'o' => code |= starts(i, b"code"),
                _ => {}
            },
            b's' if next == b'e' => key |= starts(i, b"security"),
            b'v' if next == b'e' => key |= starts(i, b"verification"),
            b':' => {
                field = true;
                scheme |= starts(i, b"://");
            }
            b'@' => at = true,
            b'=' | b'/' | b'<' => field = true,
            _ => {}
        }
    }
    if ((key || (card && code)) && field) || (scheme && at) {
        Needs::All
    } else if digits {
        Needs::Digits
    } else {
        Needs::Nothing
    }
}

/// What each match of [`STRUCTURE`] becomes, written straight into the output.
struct Structure;

impl regex::Replacer for Structure {
    fn replace_append(&mut self, caps: &Captures<'_>, dst: &mut String) {
        if let Some(scheme) = caps.name("scheme") {
            dst.push_str(scheme.as_str());
            dst.push_str(MASKED);
            dst.push('@');
        } else if let (Some(open), Some(close)) = (caps.name("xopen"), caps.name("xclose")) {
            dst.push_str(open.as_str());
            dst.push_str(MASKED);
            dst.push_str(close.as_str());
        } else if let (Some(key), Some(val)) = (caps.name("kv"), caps.name("val")) {
            let key = key.as_str();
            dst.push_str(key);
            let val = val.as_str();
            // Keep the value's quoting, so JSON stays JSON; a bare number in a JSON
            // member becomes a string, as `Masker::value` makes it.
            let quote = if val.starts_with("\\\"") {
                "\\\""
            } else if val.starts_with('"') || (key.contains('"') && key.trim_end().ends_with(':')) {
                "\""
            } else if val.starts_with('\'') {
                "'"
            } else {
                ""
            };
            dst.push_str(quote);
            dst.push_str(MASKED);
            dst.push_str(quote);
        } else if let Some(digits) = caps.name("digits") {
            mask_digit_cluster(digits.as_str(), dst);
        } else {
            dst.push_str(&caps[0]);
        }
    }
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
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        let anchors = secret_anchors(&secrets);
        let secret_in_numbers = secrets.iter().any(|s| {
            s.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        });
        Masker {
            secrets,
            pattern: Arc::default(),
            anchors,
            clean: Arc::default(),
            secret_in_numbers,
        }
    }

    /// Masks free text: secrets in every encoding, URL userinfo, card numbers and
    /// CVVs (see the module documentation).
    ///
    /// ```
    /// let m = gatecheck::mask::Masker::new(["s3cr3t/key".to_string()]);
    /// assert_eq!(
    ///     m.text("key=s3cr3t%2Fkey <number>4111 1111 1111 1111</number><cvv>123</cvv>"),
    ///     "key=[masked] <number>4111 11** **** 1111</number><cvv>[masked]</cvv>"
    /// );
    /// ```
    pub fn text(&self, text: &str) -> String {
        self.masked(text).into_owned()
    }

    /// `text` masked, borrowed when nothing in it had to be (most strings of a JSON
    /// tree: no copy for them).
    pub(crate) fn masked<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if is_remembered(&self.clean, text, |clean| &clean.texts) {
            return Cow::Borrowed(text);
        }
        let masked = self.masked_anew(text);
        if matches!(masked, Cow::Borrowed(_)) {
            remember(&self.clean, text, |clean| &mut clean.texts);
        }
        masked
    }

    /// [`Masker::masked`], without asking what is remembered.
    fn masked_anew<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let text = self.mask_secrets(text);
        // `is_match` runs the fast DFA alone; the captures `replace_all` needs are
        // worked out by a slower engine, so only for text that has a match.
        match structure_needs(&text) {
            Needs::Nothing => text,
            Needs::Digits => mask_digit_clusters(&text).map_or(text, Cow::Owned),
            Needs::All if !STRUCTURE.is_match(&text) => text,
            Needs::All => Cow::Owned(STRUCTURE.replace_all(&text, Structure).into_owned()),
        }
    }

    /// Whether masking changes `text`.
    fn changes(&self, text: &str) -> bool {
        matches!(self.masked(text), Cow::Owned(m) if m != text)
    }

    /// `text` with every form of every secret replaced.
    fn mask_secrets<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.secrets.is_empty()
            || self
                .anchors
                .as_ref()
                .is_some_and(|anchors| !anchors.may_match(text))
        {
            return Cow::Borrowed(text);
        }
        match self.pattern.get_or_init(|| secrets_regex(&self.secrets)) {
            Some(re) => re.replace_all(text, regex::NoExpand(MASKED)),
            None => {
                let mut out = Cow::Borrowed(text);
                for secret in &self.secrets {
                    if out.contains(secret.as_str()) {
                        out = Cow::Owned(out.replace(secret.as_str(), MASKED));
                    }
                }
                out
            }
        }
    }

    /// Masks a JSON tree in place: CVV-named members whole, strings and object keys as
    /// text (a card number can be a key), numbers that are card numbers.
    pub fn value(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                if let Cow::Owned(masked) = self.masked(s)
                    && masked != *s
                {
                    *s = masked;
                }
            }
            Value::Number(n) if self.keeps_number(n) => {}
            Value::Number(n) => {
                let digits = n.to_string();
                if self.changes(&digits) {
                    *value = Value::String(self.text(&digits));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                let mut renamed = false;
                for (key, v) in map.iter_mut() {
                    let key = self.key(key);
                    self.member(key, v);
                    renamed |= key.masked;
                }
                // Keys are rarely masked: look first, rebuild the map only then.
                if renamed {
                    let keys: Vec<String> = map.keys().map(|k| self.text(k)).collect();
                    *map = mask_keys(std::mem::take(map), keys);
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// Whether `other` is this masker or a copy of it (same secrets, same memory of
    /// clean texts).
    pub(crate) fn is_same(&self, other: &Masker) -> bool {
        Arc::ptr_eq(&self.clean, &other.clean)
    }

    /// Masks the value of a member whose name is `key` (as [`Masker::key`] tells it).
    pub(crate) fn member(&self, key: Key, value: &mut Value) {
        if key.cvv && !value.is_null() {
            *value = Value::String(MASKED.into());
        } else {
            self.value(value);
        }
    }

    /// Whether masking leaves the number `n` as it is without looking at its digits:
    /// an integer of fewer digits than a card number has, where no secret can be
    /// written (most numbers: statuses, counts, amounts, years).
    pub(crate) fn keeps_number(&self, n: &serde_json::Number) -> bool {
        !self.secret_in_numbers && short_integer(n)
    }

    /// What the member name `key` is to masking: most are neither a CVV's name nor
    /// changed by it, and are remembered as such.
    pub(crate) fn key(&self, key: &str) -> Key {
        if is_remembered(&self.clean, key, |clean| &clean.keys) {
            return Key::default();
        }
        let found = Key {
            cvv: is_cvv_key(key),
            masked: self.changes(key),
        };
        if found == Key::default() {
            remember(&self.clean, key, |clean| &mut clean.keys);
        }
        found
    }

    /// A header value as it may be shown: credentials and CVVs fully masked.
    pub fn header(&self, name: &str, value: &str) -> String {
        let lower = name.to_ascii_lowercase();
        if lower == "authorization"
            || lower.contains("api-key")
            || lower.contains("token")
            || lower.contains("signature")
            || lower == "access_key"
            || lower == "cookie"
            || is_cvv_key(name)
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
    fn the_secrets_regex_is_compiled_only_for_a_text_that_may_hold_a_secret() {
        let m = Masker::new(["sandbox_private".to_string(), "k3y/w1th+signs".to_string()]);
        assert_eq!(m.text("nothing to hide here"), "nothing to hide here");
        assert!(m.pattern.get().is_none());
        // Every encoding still contains the anchor, so the regex is built and masks.
        assert_eq!(m.text("p=sandbox%5Fprivate"), "p=[masked]");
        assert_eq!(m.text("k=k3y%2Fw1th%2Bsigns"), "k=[masked]");
        assert!(m.pattern.get().is_some());
        // Base64 forms have anchors of their own.
        let encoded = base64::engine::general_purpose::STANDARD.encode("u:sandbox_private");
        assert!(!m.text(&format!("Basic {encoded}")).contains(&encoded));
    }

    #[test]
    fn a_text_with_only_some_runs_of_a_secret_needs_no_regex() {
        // `sandbox` is the longest run: the URL holds it, and not `public`.
        let m = Masker::new(["sandbox_public".to_string()]);
        let url = "https://assets.example/visa.png?environment=sandbox";
        assert!(m.anchors.as_ref().is_some_and(|a| a.search.is_match(url)));
        assert_eq!(m.text(url), url);
        assert!(m.pattern.get().is_none());
        // Both runs, in any order, may be a form: the regex decides.
        assert_eq!(m.text("public sandbox"), "public sandbox");
        assert!(m.pattern.get().is_some());
        assert_eq!(m.text("sandbox&#95;public"), "[masked]");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        /// The prefilter never skips a text the secrets' regex matches: a secret in one
        /// of its encodings among pieces of the secrets' runs and encodings.
        #[test]
        fn the_anchors_miss_no_secret(
            before in proptest::collection::vec(proptest::sample::select(ANCHOR_NOISE), 0..4),
            secret in 0..ANCHOR_SECRETS.len(),
            encoding in 0..13usize,
            after in proptest::collection::vec(proptest::sample::select(ANCHOR_NOISE), 0..4),
        ) {
            // One masker and one regex for every case: what `mask_secrets` answers does
            // not depend on what it was asked before.
            static MASKER: LazyLock<(Masker, Regex)> = LazyLock::new(|| {
                let m = Masker::new(ANCHOR_SECRETS.map(String::from));
                let regex = secrets_regex(&m.secrets).expect("the secrets' regex");
                (m, regex)
            });
            let (m, regex) = &*MASKER;
            let forms = encodings(ANCHOR_SECRETS[secret]);
            let text = format!("{}{}{}", before.concat(), forms[encoding % forms.len()], after.concat());
            proptest::prop_assert_eq!(
                m.mask_secrets(&text),
                regex.replace_all(&text, regex::NoExpand(MASKED)),
                "{}", text
            );
        }
    }

    /// The secrets of `the_anchors_miss_no_secret`: two share their longest run
    /// (`sandbox`) but not their others, one has three runs, and one's longest run
    /// (`b0x`) sits inside another's (`sandb0xes`).
    const ANCHOR_SECRETS: [&str; 5] = [
        "sandbox_public",
        "sandbox_api_key",
        "k3y/w1th+signs",
        "sandb0xes_k1",
        "b0x_q",
    ];
    /// Pieces of [`ANCHOR_SECRETS`]'s runs and encodings.
    const ANCHOR_NOISE: &[&str] = &[
        "sandbox",
        "public",
        "api",
        "key",
        "sandb0xes",
        "b0x",
        "k1",
        "q",
        "_",
        "%5F",
        "%5f",
        "\\u005F",
        "&#95;",
        "&#x5f;",
        "k3y",
        "w1th",
        "signs",
        "/",
        "+",
        "%2B",
        "\\/",
        "a2V5",
        "c2FuZGJveF9wdWJsaWM",
        "c2FuZGJveF9hcGlfa2V5",
        "x",
        " ",
        "=",
    ];

    #[test]
    fn a_secret_without_letters_or_digits_is_always_searched_for() {
        let m = Masker::new(["!@#$%^&*".to_string()]);
        assert!(m.anchors.is_none());
        assert_eq!(m.text("x=%21%40%23%24%25%5E%26%2A"), "x=[masked]");
    }

    proptest::proptest! {
        /// The prefilter never skips a text the structure regex matches.
        #[test]
        fn structure_needs_misses_no_match(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "cvv", "CVC2", "Cvn", "cvd", "cSc", "security_code", "SECURITY", "card", "Card-", "code",
                "CODE", "verification", "value", "x-", ":", "=", "/", "<", ">", "</", "\"", "'",
                "\\", "[", "]", "%5b", "%5D", " ", "\t", "-", "_", "+", "%20", "://", "http", "@",
                "u", "12", "123", "4111", "1111111111111", "0", "a", "\u{17f}", "\u{212a}", "é",
            ]),
            0..12,
        )) {
            let text: String = pieces.concat();
            match structure_needs(&text) {
                Needs::Nothing => proptest::prop_assert!(!STRUCTURE.is_match(&text), "{}", text),
                Needs::Digits => proptest::prop_assert_eq!(
                    mask_digit_clusters(&text).unwrap_or_else(|| text.clone()),
                    STRUCTURE.replace_all(&text, Structure),
                ),
                Needs::All => {}
            }
        }
    }

    #[test]
    fn a_cvv_name_in_prose_needs_no_regex_and_one_in_a_field_does() {
        for prose in [
            "cvv too short",
            "Card security code is wrong",
            "verification fails",
        ] {
            assert_eq!(structure_needs(prose), Needs::Nothing, "{prose}");
        }
        assert_eq!(structure_needs("cvv of 4111 1111 1111 1111"), Needs::Digits);
        for field in [
            "cvv: 123",
            "<cvv>1</cvv>",
            "card[cvv]=123",
            "/cvv/123",
            "card_code=9",
        ] {
            assert_eq!(structure_needs(field), Needs::All, "{field}");
        }
        // Masking the prose still masks what it holds, without the regex.
        let m = Masker::default();
        assert_eq!(
            m.text("cvv of 4111 1111 1111 1111"),
            "cvv of 4111 11** **** 1111"
        );
    }

    proptest::proptest! {
        /// The scan finds the clusters the regex alternative it stands for finds.
        #[test]
        fn digit_clusters_are_what_the_pattern_matches(text in "[0-9 +_%2a\\-]{0,48}") {
            static PATTERN: LazyLock<Regex> = LazyLock::new(|| structure_regex(DIGITS_PATTERN));
            let mut ours = Vec::new();
            let mut from = 0;
            while let Some((start, end)) = digit_cluster(&text, from) {
                ours.push((start, end));
                from = end;
            }
            let theirs: Vec<(usize, usize)> =
                PATTERN.find_iter(&text).map(|m| (m.start(), m.end())).collect();
            proptest::prop_assert_eq!(ours, theirs, "{}", text);
        }
    }

    #[test]
    fn numbers_are_masked_when_they_can_hold_a_card_number_or_a_secret() {
        let mut v = json!({"status": 200, "year": 2030, "pan": 4111111111111111_u64, "n": -7});
        Masker::default().value(&mut v);
        assert_eq!(
            v,
            json!({"status": 200, "year": 2030, "pan": "411111******1111", "n": -7})
        );
        // A secret written only with what numbers are written with is looked for in
        // every number, short ones included.
        let mut v = json!({"a": 1982030, "b": 12});
        Masker::new(["2030".to_string()]).value(&mut v);
        assert_eq!(v, json!({"a": "198[masked]", "b": 12}));
    }

    #[test]
    fn what_is_remembered_as_clean_is_the_masker_s_own() {
        let m = Masker::default();
        for _ in 0..2 {
            assert_eq!(m.text("sandbox_private"), "sandbox_private");
            assert_eq!(m.text("4111111111111111"), "411111******1111");
            let mut v = json!({"card_code": "123", "first_name": "x", "4111111111111111": 1});
            m.value(&mut v);
            assert_eq!(
                v,
                json!({"card_code": MASKED, "first_name": "x", "411111******1111": 1})
            );
        }
        assert!(m.clean.lock().unwrap().texts.contains("sandbox_private"));
        assert!(m.clean.lock().unwrap().keys.contains("first_name"));
        assert!(!m.clean.lock().unwrap().keys.contains("card_code"));
        // A masker with a secret does not take the other's word for it.
        let with = m.with_secrets(["sandbox_private".to_string()]);
        assert_eq!(with.text("sandbox_private"), MASKED);
        let mut v = json!({"sandbox_private": 1});
        with.value(&mut v);
        assert_eq!(v, json!({MASKED: 1}));
    }

    #[test]
    fn every_cvv_name_is_one_in_any_case_style() {
        for words in CVV_NAMES {
            for name in [
                words.concat(),
                words.join("_"),
                words.join("-").to_uppercase(),
            ] {
                assert!(is_cvv_key(&name), "{name}");
                assert!(is_cvv_key(&format!("X-{name}")), "{name}");
            }
        }
    }

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

    /// Every way a gateway or a report may write `secret`, from the encoders there are.
    fn encodings(secret: &str) -> Vec<String> {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        let pct_upper: String = secret
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let json = serde_json::to_string(secret).unwrap();
        vec![
            secret.to_string(),
            pct_upper.clone(),
            pct_upper.to_lowercase(),
            form.clone(),
            form.to_lowercase(),
            json[1..json.len() - 1].to_string(),
            json[1..json.len() - 1].replace('/', "\\/"),
            secret.replace('&', "&amp;").replace('<', "&lt;"),
            STANDARD.encode(secret),
            URL_SAFE.encode(secret),
            STANDARD.encode(format!("user:{secret}")),
            STANDARD.encode(format!("u:{secret}")),
            STANDARD.encode(format!("{secret}:")),
        ]
    }

    #[test]
    fn masks_secrets_in_every_encoding() {
        let secret = "p@ss w/rd+&<é>?~";
        let m = Masker::new([secret.to_string()]);
        for form in encodings(secret) {
            let shown = m.text(&format!("a={form}&b=1"));
            assert!(!shown.contains(&form), "{form} in {shown}");
            assert!(shown.contains(MASKED), "{form} not masked: {shown}");
        }
        // Mixed forms, as `url` writes a path: some characters encoded, some not.
        assert_eq!(
            m.text("/k/p@ss%20w/rd+&%3C%C3%A9%3E%3F~/x"),
            "/k/[masked]/x"
        );
        // Other text is left alone.
        assert_eq!(m.text("password p@ss w"), "password p@ss w");
    }

    #[test]
    fn masks_userinfo_in_urls() {
        let m = Masker::default();
        assert_eq!(
            m.text("cannot connect: https://user:p%40ss@pay.example:8443/v1?x=1"),
            "cannot connect: https://[masked]@pay.example:8443/v1?x=1"
        );
        assert_eq!(
            m.text("bad URL \"http://u:p@ss@h/\""),
            "bad URL \"http://[masked]@h/\""
        );
        assert_eq!(m.text("http://127.0.0.1:9/a@b"), "http://127.0.0.1:9/a@b");
    }

    #[test]
    fn masks_card_numbers_in_groups_and_longer_runs() {
        let m = Masker::default();
        for (text, shown) in [
            ("4111 1111 1111 1111", "4111 11** **** 1111"),
            ("5555-5555-5555-4444", "5555-55**-****-4444"),
            ("3782 822463 10005", "3782 82**** *0005"),
            ("4111+1111+1111+1111", "4111+11**+****+1111"),
            ("4111%201111%201111%201111", "4111%2011**%20****%201111"),
            ("01_pay_4111_1111_1111_1111", "01_pay_4111_11**_****_1111"),
            // A card number and its CVV run together, or after other digits.
            ("4111111111111111123", "411111******1111***"),
            ("n=9994111111111111111", "n=***411111******1111"),
            ("4111 1111 1111 1111 123", "4111 11** **** 1111 ***"),
        ] {
            assert_eq!(m.text(text), shown, "{text}");
        }
        // Not card numbers: too short, Luhn-invalid, a date, an id with long groups.
        for text in [
            "123456789012",
            "4111111111111112",
            "2026-11-23 10:00",
            "C01-1234567-1234567",
            "+1 415 555 9983",
            "from 192.168.100.200",
        ] {
            assert_eq!(m.text(text), text);
        }
    }

    #[test]
    fn masks_card_numbers_as_json_keys_and_numbers() {
        let m = Masker::default();
        let mut v = json!({
            "4111111111111111": {"last_4": "1111"},
            "4111 1111 1111 1111": 1,
            "378282246310005": 2,
            "n": 4111111111111111123u64,
        });
        m.value(&mut v);
        assert_eq!(
            v,
            json!({
                "411111******1111": {"last_4": "1111"},
                "4111 11** **** 1111": 1,
                "378282*****0005": 2,
                "n": "411111******1111***",
            })
        );
        // Two cards that mask alike both stay.
        let mut v = json!({"4111111111111111": 1, "4111110000091111": 2});
        m.value(&mut v);
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["411111******1111", "411111******1111 #2"]);
    }

    #[test]
    fn recognizes_cvv_names_in_every_style() {
        for name in [
            "cvv",
            "CVV2",
            "cvc2",
            "csc",
            "securityCode",
            "security_code",
            "SecurityCode",
            "cardCode",
            "card-code",
            "card_security_code",
            "CardSecurityCode",
            "X-CVV",
            "x_cvc",
            "ns:cvv",
            "cardVerificationValue",
            "card.cvv",
        ] {
            assert!(is_cvv_key(name), "{name}");
        }
        for name in [
            "cvv_response_code",
            "code",
            "cid",
            "x-request-id",
            "cvvs",
            "card",
        ] {
            assert!(!is_cvv_key(name), "{name}");
        }
    }

    #[test]
    fn masks_cvvs_wherever_they_are_written() {
        let m = Masker::default();
        for (text, shown) in [
            (
                r#"{"securityCode": "987"}"#,
                r#"{"securityCode": "[masked]"}"#,
            ),
            (r#"{"cardCode":987}"#, r#"{"cardCode":"[masked]"}"#),
            (
                "card[card_security_code]=987&x=1",
                "card[card_security_code]=[masked]&x=1",
            ),
            ("card%5Bcvc2%5D=987&x=1", "card%5Bcvc2%5D=[masked]&x=1"),
            ("?csc=987", "?csc=[masked]"),
            (
                "<card-security-code>987</card-security-code>",
                "<card-security-code>[masked]</card-security-code>",
            ),
            (
                "<pay:CVV2 a=\"1\">987</pay:CVV2>",
                "<pay:CVV2 a=\"1\">[masked]</pay:CVV2>",
            ),
            ("<card cvv=\"987\"/>", "<card cvv=\"[masked]\"/>"),
            ("X-CVV: 987", "X-CVV: [masked]"),
            ("  cvv: '987'", "  cvv: '[masked]'"),
            ("/cards/c1/cvv/987/check", "/cards/c1/cvv/[masked]/check"),
            (
                r#""{\"cvv\":\"987\",\"n\":1}""#,
                r#""{\"cvv\":\"[masked]\",\"n\":1}""#,
            ),
            (
                r#"{"cvv_response_code":"M"}"#,
                r#"{"cvv_response_code":"M"}"#,
            ),
        ] {
            assert_eq!(m.text(text), shown, "{text}");
        }
        let mut v =
            json!({"card": {"securityCode": 987, "X-CVV": "987", "cvv_response_code": "M"}});
        m.value(&mut v);
        assert_eq!(
            v,
            json!({"card": {"securityCode": "[masked]", "X-CVV": "[masked]", "cvv_response_code": "M"}})
        );
        assert_eq!(m.header("X-CVV", "987"), MASKED);
    }

    /// Masking runs on every answer: adversarial text (unclosed tags, quotes, URLs,
    /// endless digits) must take linear time. Quadratic masking of these 256 KiB took
    /// minutes; linear takes well under a second even unoptimized.
    #[test]
    fn masking_is_linear_on_adversarial_text() {
        let m = Masker::new((0..20).map(|i| format!("s3cr3t/+ &key-{i}-Zq7wx")));
        let n = 1 << 15;
        let cases = [
            "7".repeat(8 * n),
            "1234 ".repeat(2 * n),
            "4111111111111111 ".repeat(n / 2),
            "<cvv 1234 ".repeat(n),
            "<cvv>1234 ".repeat(n),
            "<a:".repeat(3 * n),
            format!("http://{}", "1234a".repeat(2 * n)),
            "cvv=\"1234 ".repeat(n),
            "cvv cvv=cvv:".repeat(n),
            "%2F%2B%20&#0".repeat(n),
            // A secret's longest run, over and over, without its other runs.
            "s3cr3t ".repeat(4 * n),
        ];
        let started = std::time::Instant::now();
        for text in &cases {
            m.text(text);
        }
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    }

    #[test]
    fn debug_does_not_spell_out_secrets() {
        let m = Masker::new(["top-secret-value".to_string()]);
        assert!(!format!("{m:?}").contains("top-secret"));
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
