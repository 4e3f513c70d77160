//! Schema stand-ins for the types with hand-written `Deserialize` impls (templates,
//! JSONPath keys, matcher sets, captures, durations…): each accepts more than one YAML
//! shape, and these describe those shapes. The model and config types point at them
//! with `#[schemars(with = …)]`; [`crate::schema`] assembles the published schemas.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::yaml::Spanned;

// `Spanned<T>` only adds where the value is written: the YAML is `T`'s.
impl<T: JsonSchema> JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// Declares a stand-in type whose schema is the given JSON, inlined where it is used.
macro_rules! stand_in {
    ($(#[$doc:meta])* $name:ident => $schema:tt) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

stand_in!(
    /// A [`crate::spec::template::Template`]: text (or a number or boolean, read as text)
    /// that may use `${name}`, `${env:NAME}` and the built-ins.
    TemplateSchema => {
        "type": ["string", "number", "boolean"],
        "description": "Text; may use ${name}, ${env:NAME}, ${run_id}, ${uuid}."
    }
);

stand_in!(
    /// A [`crate::spec::template::ValueTemplate`]: any YAML value whose strings may use
    /// placeholders.
    ValueTemplateSchema => {
        "description": "Any value; its strings (map keys included) may use ${...}."
    }
);

stand_in!(
    /// A [`crate::spec::model::Reason`]: why a scenario is skipped or expected to fail.
    ReasonSchema => {
        "type": "string",
        "minLength": 1,
        "pattern": "\\S",
        "description": "Why, in a few words (shown in the summary and the reports)."
    }
);

stand_in!(
    /// A [`crate::spec::jsonpath::JsonPathExpr`]: an RFC 9535 JSONPath.
    JsonPathSchema => {
        "type": "string",
        "pattern": "^\\$",
        "description": "An RFC 9535 JSONPath, e.g. $.customer.id"
    }
);

stand_in!(
    /// A [`crate::spec::matcher::Pattern`]: a regular expression.
    PatternSchema => { "type": "string", "format": "regex" }
);

stand_in!(
    /// A [`crate::spec::model::Method`]: an HTTP method in any case.
    MethodSchema => {
        "type": "string",
        "pattern": "^([Gg][Ee][Tt]|[Pp][Oo][Ss][Tt]|[Pp][Uu][Tt]|[Pp][Aa][Tt][Cc][Hh]|[Dd][Ee][Ll][Ee][Tt][Ee]|[Hh][Ee][Aa][Dd]|[Oo][Pp][Tt][Ii][Oo][Nn][Ss])$",
        "examples": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    }
);

stand_in!(
    /// A [`crate::wire::Format`]: how a body is encoded.
    FormatSchema => { "type": "string", "enum": ["json", "form", "xml", "raw"] }
);

stand_in!(
    /// A duration (`30s`, `500ms`, `2m`, or a number of seconds).
    DurationSchema => {
        "anyOf": [
            { "type": "string", "pattern": "^\\s*[0-9.]+\\s*(ms|s|m)?\\s*$" },
            { "type": "number", "minimum": 0 },
            { "type": "null" }
        ],
        "description": "A duration: 30s, 500ms, 2m, or seconds"
    }
);

stand_in!(
    /// A [`crate::spec::retry::Rate`]: `150/min`, `10/s`, `1000/h`.
    RateSchema => {
        "type": "string",
        "pattern": "^\\s*[0-9]+\\s*/\\s*(s|sec|second|m|min|minute|h|hour)\\s*$",
        "examples": ["150/min", "10/s"]
    }
);

stand_in!(
    /// A [`crate::spec::model::StatusExpect`]: a code or a non-empty list of codes, each
    /// possibly one `${var}` (a `cases:` table's).
    StatusSchema => {
        "anyOf": [
            { "type": "integer", "minimum": 100, "maximum": 599 },
            { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" },
            {
                "type": "array",
                "minItems": 1,
                "items": {
                    "anyOf": [
                        { "type": "integer", "minimum": 100, "maximum": 599 },
                        { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }
                    ]
                }
            }
        ]
    }
);

stand_in!(
    /// A [`crate::spec::model::SnapshotSetting`]: true, false, or a name.
    SnapshotSchema => {
        "anyOf": [
            { "type": ["boolean", "null"] },
            { "type": "string", "pattern": "\\S" }
        ],
        "description": "true (keyed by the step), false, or the name to store the snapshot under"
    }
);

stand_in!(
    /// A [`crate::spec::model::Capture`]: a JSONPath, `{ header }` or `{ json, regex }`.
    CaptureSchema => {
        "anyOf": [
            { "type": "string", "pattern": "^\\$" },
            {
                "type": "object",
                "properties": {
                    "json": { "type": "string", "pattern": "^\\$" },
                    "regex": { "type": "string", "format": "regex" }
                },
                "required": ["json"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "header": { "type": "string" },
                    "regex": { "type": "string", "format": "regex" }
                },
                "required": ["header"],
                "additionalProperties": false
            }
        ]
    }
);

stand_in!(
    /// A [`crate::spec::matcher::MatcherSet`]: a value to equal, or a map of matcher
    /// keywords (any other key is refused, so `{ lenght: 2 }` is an error).
    MatcherSetSchema => {
        "anyOf": [
            { "type": ["string", "number", "boolean", "array", "null"] },
            {
                "type": "object",
                "properties": {
                    "equals": { "description": "deep equality; the way to compare with a map" },
                    "length": { "anyOf": [{ "type": "integer", "minimum": 0 }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] },
                    "exists": { "anyOf": [{ "type": "boolean" }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] },
                    "matches": { "type": "string", "format": "regex" },
                    "type": {
                        "anyOf": [
                            {
                                "type": "string",
                                "enum": ["string", "number", "integer", "boolean", "array", "object", "null"]
                            },
                            { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }
                        ]
                    },
                    "contains": {},
                    "one_of": { "type": "array" },
                    "gt": { "anyOf": [{ "type": "number" }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] },
                    "gte": { "anyOf": [{ "type": "number" }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] },
                    "lt": { "anyOf": [{ "type": "number" }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] },
                    "lte": { "anyOf": [{ "type": "number" }, { "type": "string", "pattern": "^\\$\\{[A-Za-z_][A-Za-z0-9_.-]*\\}$", "description": "one ${var}, read when the step runs" }] }
                },
                "additionalProperties": false
            }
        ]
    }
);

stand_in!(
    /// A [`crate::target::auth::AuthConfig`]: `none` or a map with one scheme.
    AuthSchema => {
        "anyOf": [
            { "const": "none" },
            {
                "type": "object",
                "properties": { "none": {} },
                "required": ["none"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "basic": {
                        "type": "object",
                        "properties": {
                            "username": { "type": ["string", "number", "boolean"] },
                            "password": { "type": ["string", "number", "boolean"] }
                        },
                        "required": ["username"],
                        "additionalProperties": false
                    }
                },
                "required": ["basic"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "bearer": {
                        "type": "object",
                        "properties": { "token": { "type": ["string", "number", "boolean"] } },
                        "required": ["token"],
                        "additionalProperties": false
                    }
                },
                "required": ["bearer"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "header": {
                        "type": "object",
                        "properties": {
                            "name": { "type": "string" },
                            "value": { "type": ["string", "number", "boolean"] }
                        },
                        "required": ["name", "value"],
                        "additionalProperties": false
                    }
                },
                "required": ["header"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "rapyd": {
                        "type": "object",
                        "properties": {
                            "access_key": { "type": ["string", "number", "boolean"] },
                            "secret_key": { "type": ["string", "number", "boolean"] }
                        },
                        "required": ["access_key", "secret_key"],
                        "additionalProperties": false
                    }
                },
                "required": ["rapyd"],
                "additionalProperties": false
            }
        ]
    }
);

/// The schema's default for `retry.backoff`, written as a scenario writes it.
pub fn default_backoff() -> &'static str {
    "200ms"
}
