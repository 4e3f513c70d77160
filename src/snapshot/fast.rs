//! A scenario's snapshot text made straight from its answers' JSON, for the usual
//! run in which nothing changed.
//!
//! The general path reads each answer into a tree, normalizes it, masks the document
//! and renders it ([`super::store::render`]); building the tree's maps (a hash of
//! every member name) was the largest part of a snapshot step. This writes the same
//! text in one pass over each answer's text, normalizing and masking each scalar with
//! the same functions on the way.
//!
//! The text is only ever compared with the stored file: when they differ, or when this
//! path declines, the general path builds the document, so whatever is written or
//! shown comes from the tree. It declines what it cannot write as the general path
//! would without the tree: a member name that masking changes, a repeated member
//! name (the tree keeps one), a redaction that is not `$..name`, anything the YAML
//! library would write ([`super::render`] falls back to it for the whole document),
//! more than [`MAX_MEMBERS`] members in one object.
//!
//! The text was read whole once already (the step's own reading fails where it is not
//! JSON), so it is read here by a small reader of its own with an explicit stack, and
//! what a run's answers repeat (member names, many values) is written from a [`Memo`].
//! Property tests hold this path to the general one.

use std::borrow::Cow;
use std::hash::Hasher as _;
use std::path::Path;
use std::sync::Mutex;

use rustc_hash::{FxHashMap, FxHasher};
use serde_json::Value;

use super::entry::{Entry, KeptBody, Snapshot};
use super::normalize::{descendant_names, normalize_member, substituted};
use super::render::{MAX_SIMPLE_KEY, indent, node, string};
use crate::mask::{Key, Masker};
use crate::yaml::find_either;

/// Most members of one object read here: repeated names are found by comparing each
/// with those before it.
const MAX_MEMBERS: usize = 256;

/// Whether `stored` is, byte for byte, the text [`super::store::render`] writes for
/// [`super::entry::document`] of `snapshot` (of the scenario file `source_file`)
/// masked by `masker`; `false` also when this path declines (see the module's
/// documentation). It stops at the first few kilobytes that differ, so a changed
/// answer costs the general path little more than it did alone.
pub(super) fn matches(
    source_file: &Path,
    snapshot: &Snapshot<'_>,
    masker: &Masker,
    memo: &Memo,
    stored: &[u8],
) -> bool {
    write(source_file, snapshot, masker, memo, Some(stored)).is_some()
}

/// The text [`matches`] compares, following `stored` when given: `None` as soon as
/// what is written leaves it, and unless it is the whole of it; `None` when declined.
fn write(
    source_file: &Path,
    snapshot: &Snapshot<'_>,
    masker: &Masker,
    memo: &Memo,
    stored: Option<&[u8]>,
) -> Option<String> {
    let Snapshot {
        scenario,
        entries,
        redact,
    } = snapshot;
    let names = descendant_names(redact)?;
    // Only JSON texts are written here: any other entry leaves the whole document to
    // the general path, before anything is written.
    let json = |entry: &Entry| match entry {
        Entry::Answer(answer) => matches!(answer.body, KeptBody::Json(_)),
        Entry::Normalized { .. } => false,
    };
    // The general path's `steps` is a map: no entry at all is written `{}`, and a key
    // met twice once, with its last entry. Neither comes from a run; both are left to
    // it.
    fn key(entry: &Entry) -> &str {
        match entry {
            Entry::Answer(answer) => &answer.key,
            Entry::Normalized { key, .. } => key,
        }
    }
    let repeated = entries
        .iter()
        .enumerate()
        .any(|(i, entry)| entries[..i].iter().any(|before| key(before) == key(entry)));
    if entries.is_empty() || repeated || !entries.iter().all(json) {
        return None;
    }
    // Held for the whole document rather than taken for each text. A scenario on
    // another thread that holds it is not waited for: this document goes without.
    let mut shared = memo.0.try_lock();
    let mut own = Written::default();
    let memo = match &mut shared {
        Ok(memo) => memo.for_masker(masker),
        Err(_) => own.for_masker(masker),
    };
    let mut w = Writer {
        out: super::store::header(source_file),
        masker,
        memo,
        names: &names,
        vars: &[],
        keys: Vec::new(),
        stored,
        checked: 0,
    };
    w.member(0, "scenario")?;
    w.text(scenario)?;
    w.member(0, "steps")?;
    w.out.push('\n');
    for entry in entries {
        let Entry::Answer(answer) = entry else {
            return None;
        };
        w.member(2, &answer.key)?;
        w.out.push('\n');
        w.member(4, "request")?;
        w.out.push('\n');
        w.member(6, "method")?;
        w.text(&answer.method)?;
        w.member(6, "path")?;
        w.text(&answer.path)?;
        w.member(4, "response")?;
        w.out.push('\n');
        w.member(6, "status")?;
        w.tree(Value::from(answer.status), 6, true)?;
        w.member(6, "body")?;
        w.vars = &answer.vars;
        let KeptBody::Json(bytes) = &answer.body else {
            return None;
        };
        w.body(std::str::from_utf8(bytes).ok()?, 6)?;
    }
    w.follows()?;
    match stored {
        Some(stored) if stored.len() != w.out.len() => None,
        _ => Some(w.out),
    }
}

/// Most texts a [`Memo`] keeps of each kind, and the longest it keeps.
const MEMO_MAX: usize = 4096;
const MEMO_MAX_LEN: usize = 128;

/// What the pass wrote before for member names and strings, for one masker: a run's
/// answers repeat their names and many of their values, and a look-up here costs a
/// fraction of masking and styling them again. Shared by the scenarios of a run (a
/// scenario that masks more secrets has a masker of its own: the memo then starts
/// again for it).
#[derive(Default)]
pub struct Memo(Mutex<Written>);

impl std::fmt::Debug for Memo {
    // The texts are answers' own, before masking: a debug print must not show them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sizes = self
            .0
            .try_lock()
            .map(|memo| (memo.keys.len(), memo.texts.len()));
        match sizes {
            Ok((keys, texts)) => f
                .debug_struct("Memo")
                .field("keys", &keys)
                .field("texts", &texts)
                .finish(),
            Err(_) => f.write_str("Memo { .. }"),
        }
    }
}

#[derive(Default)]
struct Written {
    /// The masker it was written with.
    masker: Option<Masker>,
    /// Member names that are no CVV's and that masking leaves as they are, as written.
    keys: FxHashMap<Box<str>, Box<str>>,
    /// Strings (that name no variable) as written once masked.
    texts: FxHashMap<Box<str>, Box<str>>,
}

impl Written {
    /// This memo for `masker`: emptied when it was written with another one.
    fn for_masker(&mut self, masker: &Masker) -> &mut Written {
        if !self.masker.as_ref().is_some_and(|m| m.is_same(masker)) {
            *self = Written {
                masker: Some(masker.clone()),
                ..Written::default()
            };
        }
        self
    }
}

/// Remembers that `text` is written `written`, when it is short and there is room.
fn remember(set: &mut FxHashMap<Box<str>, Box<str>>, text: &str, written: &str) {
    if text.len() <= MEMO_MAX_LEN && set.len() < MEMO_MAX {
        set.insert(text.into(), written.into());
    }
}

/// What one pass writes with.
struct Writer<'a> {
    out: String,
    masker: &'a Masker,
    memo: &'a mut Written,
    /// The redactions, as member names and placeholders.
    names: &'a [(&'a str, &'a str)],
    /// The variables named in the body being read.
    vars: &'a [(String, String)],
    /// A hash of each member name of the objects being read, innermost last.
    keys: Vec<u64>,
    /// The text the written one must be, when it is known.
    stored: Option<&'a [u8]>,
    /// How much of what is written was found in `stored`.
    checked: usize,
}

/// Bytes written between two looks at whether they follow the stored text.
const CHECK_EVERY: usize = 4096;

impl Writer<'_> {
    /// Whether what was written since the last look is what `stored` holds there.
    fn follows(&mut self) -> Option<()> {
        if let Some(stored) = self.stored {
            let end = self.out.len();
            if stored.get(self.checked..end) != self.out.as_bytes().get(self.checked..end) {
                return None;
            }
            self.checked = end;
        }
        Some(())
    }

    /// Writes `key:` at `width`, a member of the document around the bodies. Its
    /// value is not to be masked whole: it would not be a CVV's.
    fn member(&mut self, width: usize, key: &str) -> Option<()> {
        indent(&mut self.out, width);
        if self.key(key)?.cvv {
            return None;
        }
        self.out.push(':');
        Some(())
    }

    /// Writes the member name `key` and says what it is to masking. `None`: one
    /// masking changes, or too long to be written as a simple key.
    fn key(&mut self, key: &str) -> Option<Key> {
        if let Some(written) = self.memo.keys.get(key) {
            self.out.push_str(written);
            return Some(Key::default());
        }
        let facts = self.masker.key(key);
        if facts.masked || key.len() > MAX_SIMPLE_KEY {
            return None;
        }
        let start = self.out.len();
        string(&mut self.out, key).ok()?;
        if facts == Key::default() {
            remember(&mut self.memo.keys, key, &self.out[start..]);
        }
        Some(facts)
    }

    /// Writes the string `s` after its key or `-`, masked.
    fn text(&mut self, s: &str) -> Option<()> {
        self.line(s, true)
    }

    /// [`Writer::text`], remembering how `s` is written when `remembered` (else it is
    /// not looked up either).
    fn line(&mut self, s: &str, remembered: bool) -> Option<()> {
        self.out.push(' ');
        match self.memo.texts.get(s).filter(|_| remembered) {
            Some(written) => self.out.push_str(written),
            None => {
                let start = self.out.len();
                string(&mut self.out, &self.masker.masked(s)).ok()?;
                if remembered {
                    remember(&mut self.memo.texts, s, &self.out[start..]);
                }
            }
        }
        self.out.push('\n');
        Some(())
    }

    /// Writes a value after a `key:` (`in_map`) or a `-` at `width` as the general path
    /// writes it: masked, then rendered.
    fn tree(&mut self, mut value: Value, width: usize, in_map: bool) -> Option<()> {
        self.masker.value(&mut value);
        node(&mut self.out, &value, width, in_map).ok()
    }

    /// Writes a string of a body after its key or `-`: its variables named, masked.
    fn body_text(&mut self, s: &str) -> Option<()> {
        match substituted(self.vars, s) {
            Cow::Borrowed(s) => self.text(s),
            // Named for this step only: not remembered.
            Cow::Owned(named) => self.line(&named, false),
        }
    }

    /// Reads the JSON text `text` and writes it after a `key:` at `width`, as [`node`]
    /// writes the tree the general path reads of it, normalized and masked. The text
    /// was read whole before (the step's own reading would have failed otherwise), so
    /// anything unexpected declines rather than explains. A stack of the lists and
    /// objects being read, rather than recursion: the depth is the answer's.
    fn body(&mut self, text: &str, width: usize) -> Option<()> {
        let mut r = Reader { text, at: 0 };
        let mut open: Vec<Open> = Vec::new();
        // Where the next value goes: its width and whether it follows a key.
        let (mut width, mut in_map) = (width, true);
        loop {
            // One value, or the opening of a list or an object.
            r.skip_space();
            match r.peek()? {
                b'{' => {
                    r.at += 1;
                    open.push(Open {
                        list: false,
                        width: width + 2,
                        in_map,
                        first: true,
                        keys: self.keys.len(),
                    });
                }
                b'[' => {
                    r.at += 1;
                    // A list under a key is not indented; one in a list is.
                    let items = if in_map { width } else { width + 2 };
                    open.push(Open {
                        list: true,
                        width: items,
                        in_map,
                        first: true,
                        keys: self.keys.len(),
                    });
                }
                b'"' => {
                    let s = r.string()?;
                    self.body_text(&s)?;
                }
                b't' => {
                    r.literal("true")?;
                    self.out.push_str(" true\n");
                }
                b'f' => {
                    r.literal("false")?;
                    self.out.push_str(" false\n");
                }
                b'n' => {
                    r.literal("null")?;
                    self.out.push_str(" null\n");
                }
                _ => {
                    let number = r.number()?;
                    match number.parse::<u64>() {
                        // Digits alone, without a leading zero, are written as they
                        // are (as the number's own writing writes them).
                        Ok(n)
                            if self.masker.keeps_number(&n.into())
                                && number.bytes().all(|b| b.is_ascii_digit())
                                && (number == "0" || !number.starts_with('0')) =>
                        {
                            self.out.push(' ');
                            self.out.push_str(number);
                            self.out.push('\n');
                        }
                        // Negative, fractional, too large, or to be masked: read and
                        // written as the general path does.
                        _ => self.tree(serde_json::from_str(number).ok()?, width, in_map)?,
                    }
                }
            }
            if open.len() > MAX_DEPTH {
                return None;
            }
            if self.out.len() - self.checked >= CHECK_EVERY {
                self.follows()?;
            }
            // Then what follows it: the next member or item, or the ends of the lists
            // and objects it completes.
            loop {
                let Some(top) = open.last_mut() else {
                    r.skip_space();
                    return (r.at == text.len()).then_some(());
                };
                r.skip_space();
                let next = r.peek()?;
                if next == b']' || next == b'}' {
                    if (next == b']') != top.list {
                        return None;
                    }
                    r.at += 1;
                    if top.first {
                        self.out.push_str(if top.list { " []\n" } else { " {}\n" });
                    }
                    self.keys.truncate(top.keys);
                    open.pop();
                    continue;
                }
                if !top.first {
                    if next != b',' {
                        return None;
                    }
                    r.at += 1;
                    r.skip_space();
                }
                let (first, nested) = (top.first, top.in_map);
                top.first = false;
                width = top.width;
                match (first, nested) {
                    (true, false) => self.out.push(' '),
                    (true, true) => {
                        self.out.push('\n');
                        indent(&mut self.out, width);
                    }
                    (false, _) => indent(&mut self.out, width),
                }
                if top.list {
                    self.out.push('-');
                    in_map = false;
                    break;
                }
                let start = top.keys;
                if r.peek()? != b'"' {
                    return None;
                }
                let key = r.string()?;
                r.skip_space();
                if r.peek()? != b':' {
                    return None;
                }
                r.at += 1;
                let Some(facts) = self.member_name(&key, start)? else {
                    in_map = true;
                    break;
                };
                // Replaced whole (unless null, or named): put through the general
                // path's own steps, in its order. Those steps look only at whether the
                // value is null and at a string's text: anything else becomes the
                // placeholder or the mask whatever it holds, so it is skipped and
                // stands as `true`.
                r.skip_space();
                let mut value = match r.peek()? {
                    b'"' => Value::String(r.string()?.into_owned()),
                    b'n' => {
                        r.literal("null")?;
                        Value::Null
                    }
                    _ => {
                        r.skip_value()?;
                        Value::Bool(true)
                    }
                };
                normalize_member(self.vars, self.names, &key, &mut value);
                match value {
                    // Masked as any string is (and maybe remembered: a placeholder).
                    Value::String(s) if !facts.cvv => self.text(&s)?,
                    mut value => {
                        self.masker.member(facts, &mut value);
                        node(&mut self.out, &value, width, true).ok()?;
                    }
                }
            }
        }
    }

    /// Writes the member name `key` of the object whose names start at `start` in
    /// `keys`. Its value is read as it comes (`Some(None)`), or replaced whole (a
    /// redaction's or a CVV's: `Some(Some(what the name is to masking))`). `None`:
    /// declined.
    fn member_name(&mut self, key: &str, start: usize) -> Option<Option<Key>> {
        let hash = {
            let mut h = FxHasher::default();
            h.write(key.as_bytes());
            h.finish()
        };
        if self.keys.len() - start >= MAX_MEMBERS || self.keys[start..].contains(&hash) {
            return None;
        }
        self.keys.push(hash);
        let facts = self.key(key)?;
        self.out.push(':');
        let whole = facts.cvv || self.names.iter().any(|(name, _)| *name == key);
        Some(whole.then_some(facts))
    }
}

/// Deepest nesting read: as deep as the reader of whole answers reads.
const MAX_DEPTH: usize = 128;

/// A list or an object being read.
struct Open {
    list: bool,
    /// Where its items or members are written.
    width: usize,
    /// Whether it follows a key (else a `-`).
    in_map: bool,
    /// Whether nothing of it was read yet.
    first: bool,
    /// Where its member names start in [`Writer::keys`].
    keys: usize,
}

/// A position in a JSON text known to be well formed.
struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        self.text[self.at..].starts_with(word).then(|| {
            self.at += word.len();
        })
    }

    /// The string at the cursor (on its `"`), borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let end = start + find_either(bytes.get(start..)?, b'"', b'\\')?;
        if bytes[end] == b'"' {
            self.at = end + 1;
            return Some(Cow::Borrowed(&self.text[start..end]));
        }
        // Escapes: found to the end, then decoded by the JSON library.
        let mut i = end;
        loop {
            match *bytes.get(i)? {
                b'\\' => i += 2,
                b'"' => break,
                _ => i += 1,
            }
        }
        let quoted = &self.text[self.at..=i];
        self.at = i + 1;
        serde_json::from_str(quoted).ok().map(Cow::Owned)
    }

    /// The number at the cursor, as written.
    fn number(&mut self) -> Option<&'t str> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        while bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        {
            self.at += 1;
        }
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// Moves past the value at the cursor, whatever it holds.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            self.skip_space();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' | b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' => self.at += 1,
                _ => {
                    let before = self.at;
                    while self.peek().is_some_and(|b| {
                        !matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                    }) {
                        self.at += 1;
                    }
                    if self.at == before {
                        return None;
                    }
                }
            }
            // A scalar read, or a list or an object closed.
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::entry::{KeptAnswer, document};
    use crate::snapshot::store;
    use crate::spec::jsonpath::JsonPathExpr;
    use proptest::prelude::*;

    fn snapshot<'a>(
        scenario: &'a str,
        entries: &[Entry],
        redact: &[(&'a JsonPathExpr, &'a str)],
    ) -> Snapshot<'a> {
        Snapshot {
            scenario,
            entries: entries.to_vec(),
            redact: redact.to_vec(),
        }
    }

    /// The text the general path writes for the same entries.
    fn general(
        scenario: &str,
        entries: &[Entry],
        redact: &[(&JsonPathExpr, &str)],
        masker: &Masker,
    ) -> String {
        let doc = document(snapshot(scenario, entries, redact)).expect("a JSON body");
        store::render(Path::new("specs/a.yaml"), &masker.mask(doc)).expect("rendered")
    }

    /// The text this path writes for the entries, `None` when it declines.
    fn render(
        source_file: &Path,
        scenario: &str,
        entries: &[Entry],
        redact: &[(&JsonPathExpr, &str)],
        masker: &Masker,
        memo: &Memo,
    ) -> Option<String> {
        write(
            source_file,
            &snapshot(scenario, entries, redact),
            masker,
            memo,
            None,
        )
    }

    fn answer(key: &str, body: &str, vars: &[(&str, &str)]) -> Entry {
        Entry::Answer(KeptAnswer {
            key: key.into(),
            method: "POST".into(),
            path: "/api/v2/customers/${customer_id}".into(),
            status: 200,
            body: KeptBody::Json(body.as_bytes().to_vec()),
            vars: vars
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        })
    }

    fn paths(names: &[&str]) -> Vec<JsonPathExpr> {
        names
            .iter()
            .map(|p| JsonPathExpr::parse(p).expect("a path"))
            .collect()
    }

    /// A usual answer is written here, and as the general path writes it.
    #[test]
    fn a_usual_answer_is_written_as_the_general_path_writes_it() {
        let body = r#"{"customer": {"id": "cb-42x7k9q2m1", "first_name": "Ada",
            "email": "ada@example.com", "created_at": 1764000000, "deleted": false,
            "net_term_days": 0, "card_status": "valid", "balances": [], "meta": {},
            "payment_method": {"type": "card", "reference_id": "cus_6/card_7",
            "gateway": "stripe"}, "note": "ref cb-42x7k9q2m1 ok", "cvv": "123",
            "tags": ["a", {"b": null}, [1, 2], []]},
            "card": {"iin": "411111", "last4": "1111", "masked_number": "************1111",
            "number": "4111111111111111", "expiry_year": 2030, "rate": 1.5}}"#;
        let paths = paths(&["$..created_at", "$..id"]);
        let redact: Vec<_> = paths.iter().zip(["[timestamp]", "[id]"]).collect();
        let masker = Masker::new(["s3cr3t_key".to_string()]);
        let entries = [
            answer("01_create", body, &[("customer_id", "cb-42x7k9q2m1")]),
            answer("02_list", "[1, \"two\", {\"three\": []}]", &[]),
        ];
        let fast = render(
            Path::new("specs/a.yaml"),
            "create",
            &entries,
            &redact,
            &masker,
            &Memo::default(),
        );
        let general = general("create", &entries, &redact, &masker);
        assert_eq!(fast.as_deref(), Some(general.as_str()));
        assert!(general.contains("id: ${customer_id}"), "{general}");
        assert!(!general.contains("4111111111111111"), "{general}");
    }

    /// A long text is followed as it is written: matched whole, left at a difference
    /// near its start or its end.
    #[test]
    fn a_long_text_is_matched_only_whole() {
        let items: Vec<String> = (0..400)
            .map(|i| format!(r#"{{"id": "c-{i}", "n": {i}, "ok": true}}"#))
            .collect();
        let body = format!(r#"{{"list": [{}]}}"#, items.join(","));
        let entries = [answer("01_list", &body, &[])];
        let masker = Masker::default();
        let general = general("a", &entries, &[], &masker);
        assert!(general.len() > 4 * CHECK_EVERY);
        let matches = |stored: &str| {
            super::matches(
                Path::new("specs/a.yaml"),
                &snapshot("a", &entries, &[]),
                &masker,
                &Memo::default(),
                stored.as_bytes(),
            )
        };
        assert!(matches(&general));
        assert!(!matches(&general.replacen("c-3", "c-x", 1)));
        assert!(!matches(&general.replacen("n: 399", "n: 398", 1)));
        assert!(!matches(&general[..general.len() / 2]));
    }

    /// What the memo remembers is written again the same, and forgotten for a masker
    /// that masks more.
    #[test]
    fn what_a_run_remembers_is_written_the_same_and_is_its_maskers() {
        let body = r#"{"name": "Adaline", "card": {"last4": "1111", "brand": "visa"}, "ok": true}"#;
        let entries = [answer("01_a", body, &[])];
        let (memo, plain) = (Memo::default(), Masker::new(Vec::new()));
        let write = |masker: &Masker| {
            render(Path::new("specs/a.yaml"), "a", &entries, &[], masker, &memo).expect("written")
        };
        let first = write(&plain);
        assert_eq!(first, write(&plain));
        assert_eq!(first, general("a", &entries, &[], &plain));
        assert!(first.contains("name: Adaline"), "{first}");
        let more = plain.with_secrets(["Adaline".to_string()]);
        let masked = write(&more);
        assert_eq!(masked, general("a", &entries, &[], &more));
        assert!(!masked.contains("Adaline"), "{masked}");
        assert_eq!(write(&plain), first);
        // A debug print shows how much is remembered, not what.
        assert!(!format!("{memo:?}").contains("Adaline"), "{memo:?}");
        // While another document holds the memo, this one is written without it.
        let held = memo.0.lock().expect("not poisoned");
        assert_eq!(write(&plain), first);
        drop(held);
    }

    proptest! {
        /// A text that is not JSON (which a step's own reading refuses first) is
        /// declined or written, never a panic.
        #[test]
        fn any_text_is_declined_or_written(
            text in "[\\[\\]{}\":,a0-9.eE+ \\\\né-]{0,40}",
        ) {
            let entries = [answer("01_a", &text, &[])];
            let _ = render(Path::new("a.yaml"), "a", &entries, &[], &Masker::default(), &Memo::default());
        }
    }

    /// What this path cannot write without the tree, it leaves to the general path.
    #[test]
    fn what_needs_the_tree_is_declined() {
        let masker = Masker::new(["s3cr3t_key".to_string()]);
        let declined = |body: &str, redact: &[&str]| {
            let paths = paths(redact);
            let redact: Vec<_> = paths.iter().map(|p| (p, "[x]")).collect();
            let entries = [answer("01_a", body, &[])];
            render(
                Path::new("a.yaml"),
                "a",
                &entries,
                &redact,
                &masker,
                &Memo::default(),
            )
            .is_none()
        };
        assert!(declined(r#"{"a": 1, "a": 2}"#, &[]), "a repeated member");
        assert!(declined(r#"{"4111111111111111": 1}"#, &[]), "a masked name");
        assert!(
            declined(r#"{"a": "two\nlines"}"#, &[]),
            "a multi-line string"
        );
        assert!(declined(r#"{"a": 1}"#, &["$.a"]), "a redaction by path");
        assert!(!declined(r#"{"a": 1}"#, &["$..a"]));
        let twice = [answer("01_a", "1", &[]), answer("01_a", "2", &[])];
        let write = |entries: &[Entry]| {
            render(
                Path::new("a.yaml"),
                "a",
                entries,
                &[],
                &masker,
                &Memo::default(),
            )
        };
        assert_eq!(write(&twice), None, "a step key met twice");
        assert_eq!(write(&[]), None, "no entry");
    }

    /// A JSON text to write: objects may repeat names, scalars are chosen to meet
    /// every rule (variables, redactions, CVVs, card numbers, quoting, numbers).
    fn json() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "id",
            "a",
            "created_at",
            "cvv",
            "card_cvv",
            "name",
            "true",
            "a b",
            "x:y",
            "4111111111111111",
            "s3cr3t_key",
            "ü",
            "k\\\"q",
            "null",
        ])
        .prop_map(|k| format!("\"{k}\""));
        let leaf = prop_oneof![
            prop::sample::select(vec![
                "null",
                "true",
                "false",
                "0",
                "-7",
                "2030",
                "4111111111111111",
                "-4111111111111111",
                "1.5",
                "1e300",
                "123456789012",
                "18446744073709551615",
            ])
            .prop_map(str::to_string),
            prop::sample::select(vec![
                "",
                "a",
                "Ada",
                "true",
                "null",
                "~",
                "0123",
                "1111",
                "12:30",
                "a: b",
                "- x",
                "#c",
                "two\\nlines",
                "cb-42x7k9q2m1",
                "ref cb-42x7k9q2m1",
                "r7x2k9q4m1",
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
                "cvv=123",
                "s3cr3t_key",
                "czNjcjN0X2tleQ==",
                "${kept}",
                "ü",
                "\\u00e9",
                "it's",
                " lead",
                "trail ",
                "[x]",
            ])
            .prop_map(|s| format!("\"{s}\"")),
        ];
        // The space JSON allows between tokens, in its forms.
        let space = prop::sample::select(vec!["", " ", "\n  ", "\t", "\r\n"]);
        leaf.prop_recursive(4, 32, 5, move |inner| {
            prop_oneof![
                (prop::collection::vec(inner.clone(), 0..5), space.clone()).prop_map(
                    |(items, sp)| format!("[{sp}{}{sp}]", items.join(&format!("{sp},{sp}")))
                ),
                (
                    prop::collection::vec((key.clone(), inner), 0..5),
                    space.clone()
                )
                    .prop_map(|(members, sp)| {
                        let members: Vec<String> = members
                            .iter()
                            .map(|(k, v)| format!("{k}{sp}:{sp}{v}"))
                            .collect();
                        format!("{{{sp}{}{sp}}}", members.join(&format!("{sp},{sp}")))
                    }),
            ]
        })
    }

    proptest! {
        #![proptest_config(crate::proptest_config::proptest_config(256))]

        /// Whatever this path writes, the general path writes the same.
        #[test]
        fn any_answer_written_here_is_what_the_general_path_writes(
            bodies in prop::collection::vec(json().prop_map(|j| format!(" {j}\n")), 1..3),
            redacted in prop::collection::vec(
                prop::sample::select(vec!["id", "created_at", "cvv", "a", "name"]), 0..3),
            placeholder in prop::sample::select(vec!["[x]", "${kept}", "[y]"]),
            digits_secret in any::<bool>(),
        ) {
            let mut secrets = vec!["s3cr3t_key".to_string()];
            if digits_secret {
                secrets.push("20305".to_string());
            }
            let masker = Masker::new(secrets);
            let paths = paths(&redacted.iter().map(|n| format!("$..{n}")).collect::<Vec<_>>()
                .iter().map(String::as_str).collect::<Vec<_>>());
            let redact: Vec<_> = paths.iter().map(|p| (p, placeholder)).collect();
            let vars = [("customer_id", "cb-42x7k9q2m1"), ("run_id", "r7x2k9q4m1"), ("one", "a")];
            let entries: Vec<Entry> = bodies
                .iter()
                .enumerate()
                .map(|(i, body)| answer(&format!("{i:02}_step"), body, &vars))
                .collect();
            let memo = Memo::default();
            let fast = render(Path::new("specs/a.yaml"), "a scenario", &entries, &redact, &masker, &memo);
            // A second time, with what the first remembered.
            let again = render(Path::new("specs/a.yaml"), "a scenario", &entries, &redact, &masker, &memo);
            prop_assert_eq!(&fast, &again);
            let general = general("a scenario", &entries, &redact, &masker);
            let matches = |stored: &str| {
                super::matches(Path::new("specs/a.yaml"), &snapshot("a scenario", &entries, &redact), &masker, &memo, stored.as_bytes())
            };
            if let Some(fast) = fast {
                prop_assert_eq!(&fast, &general);
                prop_assert!(matches(&general));
            }
            // Any other stored text is not matched, whatever it differs by.
            prop_assert!(!matches(&general[..general.len() - 1]));
            let longer = format!("{general}x");
            prop_assert!(!matches(&longer));
            prop_assert!(!matches(&general.replacen(": ", ":  ", 1)));
        }
    }
}
