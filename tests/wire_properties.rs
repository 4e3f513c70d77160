//! Properties of the wire codecs (form, XML, JSON): whatever the input, decoding never
//! panics, and a tree the codec promises to carry comes back as it went.
//!
//! Each property runs 64 cases so that `cargo test` stays quick. For a longer search:
//! `PROPTEST_CASES=20000 cargo test --release --test wire_properties`.

use gatecheck::wire::{self, Format, form, xml};
use proptest::prelude::*;
use serde_json::{Map, Value};

mod common;

const FORM: &str = "application/x-www-form-urlencoded";

/// A map key that stays a key through both codecs: lower case (XML names are
/// snake_cased on the way back), a letter first (so that no map looks like a list and
/// every name is an XML name), and not starting with `xml` (reserved in XML).
fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,8}".prop_filter("xml names are reserved", |k| !k.starts_with("xml"))
}

/// Text without control characters, which XML 1.0 cannot carry and which `\r` would
/// be normalised away in.
fn text() -> impl Strategy<Value = String> {
    "\\PC{0,20}"
}

/// A non-empty map of `leaf`-or-deeper values.
fn map_of(inner: impl Strategy<Value = Value> + Clone) -> impl Strategy<Value = Value> {
    prop::collection::vec((key(), inner), 1..4)
        .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>()))
}

/// What a form body carries: strings in non-empty maps and lists (empty ones have no
/// pair to stand for them, and every value comes back as a string).
fn form_tree() -> impl Strategy<Value = Value> {
    let leaf = text().prop_map(Value::String);
    let inner = leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            map_of(inner.clone()),
            prop::collection::vec(inner, 1..4).prop_map(Value::Array),
        ]
    });
    map_of(inner)
}

/// What Braintree XML carries: null, booleans, 64-bit integers and text, in non-empty
/// maps (an empty one reads back as `""`) and lists of any length, under one root.
fn xml_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    let inner = leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            map_of(inner.clone()),
            prop::collection::vec(inner, 0..4).prop_map(Value::Array),
        ]
    });
    (key(), inner).prop_map(|(root, value)| {
        let mut top = Map::new();
        top.insert(root, value);
        Value::Object(top)
    })
}

/// Any JSON value: any key, any text, any integer, and decimals with up to six
/// places (amounts). Not any float: serde_json parses a float with many significant
/// digits to within one unit in the last place unless built with `float_roundtrip`.
fn json_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (any::<i32>(), 1..=6i32)
            .prop_map(|(m, places)| Value::from(f64::from(m) / 10f64.powi(places))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            prop::collection::vec((any::<String>(), inner.clone()), 0..4)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            prop::collection::vec(inner, 0..4).prop_map(Value::Array),
        ]
    })
}

/// Text made mostly of what the form decoder parses: names, brackets (plain and
/// percent-encoded), separators.
fn form_soup() -> impl Strategy<Value = String> {
    "([a-z0-9]|\\[|\\]|%5B|%5D|%5b|%25|%|&|=|\\+|\\PC){0,200}"
}

/// Text made mostly of XML markup, well-formed or not.
fn xml_soup() -> impl Strategy<Value = String> {
    "(<[a-z]{1,3}( [a-z:]{1,5}=(\"[a-z<>&]*\"|'[a-z]*'))*/?>|</[a-z]{1,3}>|<!--|-->|<!\\[CDATA\\[|\\]\\]>|<\\?|\\?>|&[a-z]{0,4};|[a-z =\"'<>/])*"
}

const OPTIONS: [xml::EncodeOptions; 2] = [
    xml::EncodeOptions {
        dasherize: true,
        declaration: true,
    },
    xml::EncodeOptions {
        dasherize: false,
        declaration: false,
    },
];

proptest! {
    #![proptest_config(common::proptest_config())]

    #[test]
    fn form_round_trips(tree in form_tree()) {
        let body = form::encode(&tree);
        prop_assert_eq!(form::try_decode(&body), Ok(tree.clone()));
        prop_assert_eq!(form::decode(&body), tree.clone());
        let (bytes, content_type) = wire::encode_body(Format::Form, &tree).unwrap();
        prop_assert_eq!(wire::decode_body(Some(content_type), &bytes), Ok(tree));
    }

    #[test]
    fn form_decoding_never_panics(body in prop_oneof![form_soup(), any::<String>()]) {
        let lenient = form::decode(&body);
        if let Ok(strict) = form::try_decode(&body) {
            prop_assert_eq!(strict, lenient);
        }
    }

    #[test]
    fn form_decoding_arbitrary_bytes_never_panics(bytes in any::<Vec<u8>>()) {
        let _ = wire::decode_body(Some(FORM), &bytes);
    }

    #[test]
    fn xml_round_trips(tree in xml_tree()) {
        for options in OPTIONS {
            let text = xml::encode(&tree, options).unwrap();
            let decoded = xml::decode(&text);
            prop_assert!(decoded.is_ok(), "{}: {:?}", text, decoded);
            prop_assert_eq!(decoded.unwrap(), tree.clone());
        }
    }

    /// Whatever `encode` accepts, `decode` reads, even when it cannot give back the
    /// same tree (floats and empty maps come back as text, upper-case keys snake_cased).
    #[test]
    fn what_xml_encodes_decodes(value in json_tree(), root in "[A-Za-z_][A-Za-z0-9_.-]{0,6}") {
        let mut top = Map::new();
        top.insert(root, value);
        for options in OPTIONS {
            if let Ok(text) = xml::encode(&Value::Object(top.clone()), options) {
                let decoded = xml::decode(&text);
                prop_assert!(decoded.is_ok(), "{}: {:?}", text, decoded);
            }
        }
    }

    #[test]
    fn xml_decoding_never_panics(text in prop_oneof![xml_soup(), any::<String>()]) {
        let _ = xml::decode(&text);
    }

    #[test]
    fn xml_decoding_arbitrary_bytes_never_panics(bytes in any::<Vec<u8>>()) {
        let _ = wire::decode_body(Some("application/xml"), &bytes);
    }

    #[test]
    fn json_round_trips(tree in json_tree()) {
        let (bytes, content_type) = wire::encode_body(Format::Json, &tree).unwrap();
        prop_assert_eq!(wire::decode_body(Some(content_type), &bytes), Ok(tree));
    }

    #[test]
    fn json_decoding_never_panics(
        text in prop_oneof!["[\\[\\]{}:,\"0-9a-z.eE+-]{0,200}", any::<String>()],
        bytes in any::<Vec<u8>>(),
    ) {
        let _ = wire::decode_body(Some("application/json"), text.as_bytes());
        let _ = wire::decode_body(Some("application/json"), &bytes);
    }
}

/// The decoders refuse, rather than recurse into, input nested far deeper than their
/// limit; each of these overflowed the stack when a decoder recursed on input depth.
#[test]
fn no_decoder_recurses_on_input_depth() {
    const DEPTH: usize = 200_000;
    let json = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    assert!(wire::decode_body(Some("application/json"), json.as_bytes()).is_err());
    let xml = format!("{}{}", "<a>".repeat(DEPTH), "</a>".repeat(DEPTH));
    assert!(xml::decode(&xml).is_err());
    let form = format!("a{}=1", "[]".repeat(DEPTH));
    assert!(form::try_decode(&form).is_err());
}
