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

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::hash::Hasher as _;
use std::path::Path;

use rustc_hash::FxHasher;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::entry::{Entry, KeptBody};
use super::normalize::{descendant_names, redact, substituted};
use super::render::{MAX_SIMPLE_KEY, indent, node, string};
use crate::mask::Masker;
use crate::spec::jsonpath::JsonPathExpr;

/// Most members of one object read here: repeated names are found by comparing each
/// with those before it.
const MAX_MEMBERS: usize = 256;

/// The stored text of the snapshot document of the scenario `scenario` of the file
/// `source_file` whose steps kept `entries`, as [`super::store::render`] writes
/// [`super::entry::document`] of them masked by `masker`. `None` when this path
/// declines (see the module's documentation).
pub(super) fn render(
    source_file: &Path,
    scenario: &str,
    entries: &[Entry],
    redact: &[(&JsonPathExpr, &str)],
    masker: &Masker,
) -> Option<String> {
    let names = descendant_names(redact)?;
    let mut w = Writer {
        out: super::store::header(source_file),
        masker,
        names: &names,
        vars: &[],
        keys: Vec::new(),
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
        w.tree(Value::from(answer.status), 6)?;
        w.member(6, "body")?;
        w.vars = &answer.vars;
        let KeptBody::Json(bytes) = &answer.body else {
            return None;
        };
        let text = std::str::from_utf8(bytes).ok()?;
        let mut reader = serde_json::Deserializer::from_str(text);
        At {
            w: &mut w,
            width: 6,
            in_map: true,
        }
        .deserialize(&mut reader)
        .ok()?;
        reader.end().ok()?;
    }
    Some(w.out)
}

/// What one pass writes with.
struct Writer<'a> {
    out: String,
    masker: &'a Masker,
    /// The redactions, as member names and placeholders.
    names: &'a [(&'a str, &'a str)],
    /// The variables named in the body being read.
    vars: &'a [(String, String)],
    /// A hash of each member name of the objects being read, innermost last.
    keys: Vec<u64>,
}

impl Writer<'_> {
    /// Writes `key:` at `width`, a member of the document around the bodies. Its
    /// value is not to be masked whole: it would not be a CVV's.
    fn member(&mut self, width: usize, key: &str) -> Option<()> {
        let facts = self.masker.key(key);
        if facts.masked || facts.cvv || key.len() > MAX_SIMPLE_KEY {
            return None;
        }
        indent(&mut self.out, width);
        string(&mut self.out, key).ok()?;
        self.out.push(':');
        Some(())
    }

    /// Writes a string of the document around the bodies after its key, masked.
    fn text(&mut self, s: &str) -> Option<()> {
        self.out.push(' ');
        string(&mut self.out, &self.masker.masked(s)).ok()?;
        self.out.push('\n');
        Some(())
    }

    /// Writes a value after its key at `width` as the general path writes it, masked.
    fn tree(&mut self, mut value: Value, width: usize) -> Option<()> {
        self.masker.value(&mut value);
        node(&mut self.out, &value, width, true).ok()
    }
}

/// Reads one value of a body and writes it, normalized and masked, after a `key:`
/// (`in_map`) or a `-` at `width`, as [`node`] writes it.
struct At<'w, 'a> {
    w: &'w mut Writer<'a>,
    width: usize,
    in_map: bool,
}

/// Declining, said as the reader's error so that it stops reading.
fn decline<E: de::Error>() -> E {
    E::custom("left to the general path")
}

impl<'de> DeserializeSeed<'de> for At<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl At<'_, '_> {
    /// Writes a value read whole, as the general path would: masked, then rendered.
    fn tree<E: de::Error>(self, mut value: Value) -> Result<(), E> {
        self.w.masker.value(&mut value);
        node(&mut self.w.out, &value, self.width, self.in_map).map_err(|_| decline())
    }

    fn number<E: de::Error>(self, n: serde_json::Number) -> Result<(), E> {
        if !self.w.masker.keeps_number(&n) {
            return self.tree(Value::Number(n));
        }
        // Writing into a `String` cannot fail.
        let _ = write!(self.w.out, " {n}\n");
        Ok(())
    }

    fn str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let w = self.w;
        let named = substituted(w.vars, s);
        let masked = w.masker.masked(&named);
        w.out.push(' ');
        string(&mut w.out, &masked).map_err(|_| decline())?;
        w.out.push('\n');
        Ok(())
    }
}

impl<'de> Visitor<'de> for At<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.w.out.push_str(if v { " true\n" } else { " false\n" });
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.w.out.push_str(" null\n");
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.number(v.into())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.number(v.into())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.tree(Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.str(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // A list under a key is not indented; one in a list is.
        let width = if self.in_map {
            self.width
        } else {
            self.width + 2
        };
        let mut first = true;
        while seq
            .next_element_seed(Item {
                w: &mut *self.w,
                width,
                in_map: self.in_map,
                first,
            })?
            .is_some()
        {
            first = false;
        }
        if first {
            self.w.out.push_str(" []\n");
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let w = self.w;
        let width = self.width + 2;
        let start = w.keys.len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let facts = w.masker.key(&key);
            let hash = {
                let mut h = FxHasher::default();
                h.write(key.as_bytes());
                h.finish()
            };
            if facts.masked
                || key.len() > MAX_SIMPLE_KEY
                || w.keys.len() - start >= MAX_MEMBERS
                || w.keys[start..].contains(&hash)
            {
                return Err(decline());
            }
            let first = w.keys.len() == start;
            w.keys.push(hash);
            match (first, self.in_map) {
                (true, false) => w.out.push(' '),
                (true, true) => {
                    w.out.push('\n');
                    indent(&mut w.out, width);
                }
                (false, _) => indent(&mut w.out, width),
            }
            string(&mut w.out, &key).map_err(|_| decline())?;
            w.out.push(':');
            let redacted = w.names.iter().any(|(name, _)| *name == key);
            if !(redacted || facts.cvv) {
                map.next_value_seed(At {
                    w: &mut *w,
                    width,
                    in_map: true,
                })?;
                continue;
            }
            // Replaced whole (unless null, or named): read as a tree and put through
            // the general path's own steps, in its order.
            let mut value: Value = map.next_value()?;
            if let Value::String(s) = &mut value
                && let Cow::Owned(named) = substituted(w.vars, s)
            {
                *s = named;
            }
            for (name, placeholder) in w.names {
                if *name == key {
                    redact(&mut value, placeholder);
                }
            }
            w.masker.member(facts, &mut value);
            node(&mut w.out, &value, width, true).map_err(|_| decline())?;
        }
        if w.keys.len() == start {
            w.out.push_str(" {}\n");
        }
        w.keys.truncate(start);
        Ok(())
    }
}

/// Reads one item of a list and writes it at `width` (its `-` after a line end, or
/// after a space for the first item of a list in a list).
struct Item<'w, 'a> {
    w: &'w mut Writer<'a>,
    width: usize,
    in_map: bool,
    first: bool,
}

impl<'de> DeserializeSeed<'de> for Item<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let out = &mut self.w.out;
        match (self.first, self.in_map) {
            (true, false) => out.push(' '),
            (true, true) => {
                out.push('\n');
                indent(out, self.width);
            }
            (false, _) => indent(out, self.width),
        }
        out.push('-');
        At {
            w: self.w,
            width: self.width,
            in_map: false,
        }
        .deserialize(deserializer)
    }
}

/// Reads a member name, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::entry::{KeptAnswer, document};
    use crate::snapshot::store;
    use proptest::prelude::*;

    /// The text the general path writes for the same entries.
    fn general(
        scenario: &str,
        entries: &[Entry],
        redact: &[(&JsonPathExpr, &str)],
        masker: &Masker,
    ) -> String {
        let doc = document(scenario, entries.to_vec(), redact).expect("a JSON body");
        store::render(Path::new("specs/a.yaml"), &masker.mask(doc)).expect("rendered")
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
        );
        let general = general("create", &entries, &redact, &masker);
        assert_eq!(fast.as_deref(), Some(general.as_str()));
        assert!(general.contains("id: ${customer_id}"), "{general}");
        assert!(!general.contains("4111111111111111"), "{general}");
    }

    /// What this path cannot write without the tree, it leaves to the general path.
    #[test]
    fn what_needs_the_tree_is_declined() {
        let masker = Masker::new(["s3cr3t_key".to_string()]);
        let declined = |body: &str, redact: &[&str]| {
            let paths = paths(redact);
            let redact: Vec<_> = paths.iter().map(|p| (p, "[x]")).collect();
            let entries = [answer("01_a", body, &[])];
            render(Path::new("a.yaml"), "a", &entries, &redact, &masker).is_none()
        };
        assert!(declined(r#"{"a": 1, "a": 2}"#, &[]), "a repeated member");
        assert!(declined(r#"{"4111111111111111": 1}"#, &[]), "a masked name");
        assert!(
            declined(r#"{"a": "two\nlines"}"#, &[]),
            "a multi-line string"
        );
        assert!(declined(r#"{"a": 1}"#, &["$.a"]), "a redaction by path");
        assert!(!declined(r#"{"a": 1}"#, &["$..a"]));
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
        leaf.prop_recursive(4, 32, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::vec((key.clone(), inner), 0..5).prop_map(|members| {
                    let members: Vec<String> =
                        members.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", members.join(", "))
                }),
            ]
        })
    }

    fn config() -> ProptestConfig {
        let mut config = ProptestConfig::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            config.cases = 256;
        }
        config.failure_persistence = None;
        config
    }

    proptest! {
        #![proptest_config(config())]

        /// Whatever this path writes, the general path writes the same.
        #[test]
        fn any_answer_written_here_is_what_the_general_path_writes(
            bodies in prop::collection::vec(json(), 1..3),
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
            let fast = render(Path::new("specs/a.yaml"), "a scenario", &entries, &redact, &masker);
            if let Some(fast) = fast {
                prop_assert_eq!(fast, general("a scenario", &entries, &redact, &masker));
            }
        }
    }
}
