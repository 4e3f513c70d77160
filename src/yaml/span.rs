//! Positions in a YAML file, and values that keep theirs.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A place in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Span {
    /// The place at `line:column` (both 1-based).
    pub fn new(line: usize, column: usize) -> Span {
        Span { line, column }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A value with the place its YAML is written (the key's place, for a map key).
///
/// Equality, ordering and hashing look at the value only, so a `Spanned` key finds
/// the same entry wherever it is written. It deserializes only from [`super::from_node`];
/// other deserializers cannot say where a value is.
#[derive(Debug, Clone, Default)]
pub struct Spanned<T> {
    /// Where the value is written.
    pub span: Span,
    /// The value.
    pub value: T,
}

impl<T> Spanned<T> {
    /// `value`, written at `span`.
    pub fn new(span: Span, value: T) -> Spanned<T> {
        Spanned { span, value }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Spanned<T> {}
impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}
impl<T: PartialOrd> PartialOrd for Spanned<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.value.partial_cmp(&other.value)
    }
}
impl<T: Ord> Ord for Spanned<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}
impl<T: fmt::Display> fmt::Display for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// The struct name by which [`super::de`] recognizes a request for a position.
pub(crate) const NAME: &str = "$gatecheck::Spanned";
/// The fields it answers with, in this order.
pub(crate) const LINE: &str = "$line";
pub(crate) const COLUMN: &str = "$column";
pub(crate) const VALUE: &str = "$value";
pub(crate) const FIELDS: &[&str] = &[LINE, COLUMN, VALUE];

/// A key of the map a position is answered with, matched in place: every located
/// value of a file reads three, and copying each into a `String` of its own was about
/// 8 % of deserializing a scenario.
enum Field {
    Line,
    Column,
    Value,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
                match key {
                    LINE => Ok(Field::Line),
                    COLUMN => Ok(Field::Column),
                    VALUE => Ok(Field::Value),
                    other => Err(E::unknown_field(other, FIELDS)),
                }
            }
        }
        deserializer.deserialize_str(FieldVisitor)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpannedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for SpannedVisitor<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a located value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let mut line = None;
                let mut column = None;
                let mut value = None;
                while let Some(key) = map.next_key::<Field>()? {
                    match key {
                        Field::Line => line = Some(map.next_value()?),
                        Field::Column => column = Some(map.next_value()?),
                        Field::Value => value = Some(map.next_value()?),
                    }
                }
                match (line, column, value) {
                    (Some(line), Some(column), Some(value)) => Ok(Spanned {
                        span: Span { line, column },
                        value,
                    }),
                    _ => Err(de::Error::custom(
                        "a position can only be read from a gatecheck YAML file",
                    )),
                }
            }
        }
        deserializer.deserialize_struct(NAME, FIELDS, SpannedVisitor(std::marker::PhantomData))
    }
}
