//! "List customers" (`GET /api/v2/customers`): filters, sort order and pages, read from
//! the query string whichever official client built it (filter lists are JSON from
//! Node, Python repr from Python, `[a,b]` by hand: see `encodings`).
//!
//! | parameter | operators or values |
//! |---|---|
//! | `id` | `is`, `is_not`, `starts_with`, `in`, `not_in` |
//! | `first_name`, `last_name`, `email`, `company`, `phone` | `is`, `is_not`, `starts_with`, `is_present` |
//! | `auto_collection` | `is`, `is_not`, `in`, `not_in` (values `on`, `off`) |
//! | `created_at`, `updated_at` | `after`, `before`, `on` (the same UTC day), `between` (both ends included) |
//! | `sort_by` | `sort_by[asc]` or `sort_by[desc]` = `created_at` or `updated_at` (default `created_at` ascending) |
//! | `limit` | 1 to 100, default 10 |
//! | `offset` | the `next_offset` of the page before |
//!
//! Other parameters are ignored, as Chargebee ignores parameters it does not know; an
//! operator a known field does not have is refused.

use serde_json::{Map, Value, json};

use super::encodings;
use super::errors::ApiError;
use super::render::customer_answer;
use super::vault::{Customer, Vault};

/// One condition on one field.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Is(String),
    IsNot(String),
    StartsWith(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Present(bool),
    After(u64),
    Before(u64),
    On(u64),
    Between(u64, u64),
}

/// Which kind of field a filter applies to, and so which operators it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Id,
    Text,
    AutoCollection,
    Time,
}

const FIELDS: [(&str, FieldKind); 9] = [
    ("id", FieldKind::Id),
    ("first_name", FieldKind::Text),
    ("last_name", FieldKind::Text),
    ("email", FieldKind::Text),
    ("company", FieldKind::Text),
    ("phone", FieldKind::Text),
    ("auto_collection", FieldKind::AutoCollection),
    ("created_at", FieldKind::Time),
    ("updated_at", FieldKind::Time),
];

fn operators(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Id => &["is", "is_not", "starts_with", "in", "not_in"],
        FieldKind::Text => &["is", "is_not", "starts_with", "is_present"],
        FieldKind::AutoCollection => &["is", "is_not", "in", "not_in"],
        FieldKind::Time => &["after", "before", "on", "between"],
    }
}

/// A checked "List customers" request.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ListRequest {
    filters: Vec<(&'static str, Condition)>,
    by_updated_at: bool,
    descending: bool,
    limit: usize,
    /// The sequence number of the last customer of the page before.
    after: Option<u64>,
}

fn single<'a>(value: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    match value {
        Value::String(s) => Ok(s.trim()),
        _ => Err(ApiError::invalid(name, "must be a single value")),
    }
}

fn timestamp(text: &str, name: &str) -> Result<u64, ApiError> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| ApiError::invalid(name, "must be a timestamp in seconds"))
}

fn condition(kind: FieldKind, op: &str, value: &Value, name: &str) -> Result<Condition, ApiError> {
    let text = || single(value, name).map(str::to_string);
    let list = || encodings::filter_list(single(value, name)?, name);
    let auto = |v: &str| -> Result<(), ApiError> {
        if kind == FieldKind::AutoCollection && v != "on" && v != "off" {
            return Err(ApiError::invalid(
                name,
                format!("invalid value {v}; the possible values are on, off"),
            ));
        }
        Ok(())
    };
    Ok(match op {
        "is" => {
            let v = text()?;
            auto(&v)?;
            Condition::Is(v)
        }
        "is_not" => {
            let v = text()?;
            auto(&v)?;
            Condition::IsNot(v)
        }
        "starts_with" => Condition::StartsWith(text()?),
        "in" | "not_in" => {
            let items = list()?;
            for item in &items {
                auto(item)?;
            }
            if op == "in" {
                Condition::In(items)
            } else {
                Condition::NotIn(items)
            }
        }
        "is_present" => match text()?.as_str() {
            "true" => Condition::Present(true),
            "false" => Condition::Present(false),
            _ => return Err(ApiError::invalid(name, "must be true or false")),
        },
        "after" => Condition::After(timestamp(&text()?, name)?),
        "before" => Condition::Before(timestamp(&text()?, name)?),
        "on" => Condition::On(timestamp(&text()?, name)?),
        "between" => match list()?.as_slice() {
            [from, to] => Condition::Between(timestamp(from, name)?, timestamp(to, name)?),
            _ => return Err(ApiError::invalid(name, "must be a list of two timestamps")),
        },
        _ => return Err(ApiError::invalid(name, "is not a supported operator")),
    })
}

/// Reads and checks the query of "List customers".
pub(super) fn request(root: &Map<String, Value>) -> Result<ListRequest, ApiError> {
    let mut filters = Vec::new();
    for (field, kind) in FIELDS {
        let Some(value) = root.get(field) else {
            continue;
        };
        let Value::Object(ops) = value else {
            return Err(ApiError::invalid(
                field,
                format!("a filter is sent as {field}[<operator>]"),
            ));
        };
        for (op, value) in ops {
            let name = format!("{field}[{op}]");
            if !operators(kind).contains(&op.as_str()) {
                return Err(ApiError::invalid(
                    &name,
                    format!(
                        "is not a supported operator; {field} supports {}",
                        operators(kind).join(", ")
                    ),
                ));
            }
            filters.push((field, condition(kind, op, value, &name)?));
        }
    }
    let (mut by_updated_at, mut descending) = (false, false);
    if let Some(sort) = root.get("sort_by") {
        let Value::Object(sort) = sort else {
            return Err(ApiError::invalid(
                "sort_by",
                "is sent as sort_by[asc] or sort_by[desc]",
            ));
        };
        for (order, attribute) in sort {
            let name = format!("sort_by[{order}]");
            descending = match order.as_str() {
                "asc" => false,
                "desc" => true,
                _ => return Err(ApiError::invalid(&name, "the sort orders are asc, desc")),
            };
            by_updated_at = match single(attribute, &name)? {
                "created_at" => false,
                "updated_at" => true,
                other => {
                    return Err(ApiError::invalid(
                        &name,
                        format!("invalid value {other}; customers sort by created_at, updated_at"),
                    ));
                }
            };
        }
    }
    let limit = match root.get("limit") {
        None => 10,
        Some(v) => match single(v, "limit")?.parse::<usize>() {
            Ok(n @ 1..=100) => n,
            _ => return Err(ApiError::invalid("limit", "must be between 1 and 100")),
        },
    };
    let after = match root.get("offset") {
        None => None,
        Some(v) => Some(read_offset(single(v, "offset")?)?),
    };
    Ok(ListRequest {
        filters,
        by_updated_at,
        descending,
        limit,
        after,
    })
}

/// `next_offset` is `["<sequence>"]`, a JSON list of text as Chargebee's offsets are.
fn read_offset(text: &str) -> Result<u64, ApiError> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => match items.as_slice() {
            [Value::String(s)] => s.parse().ok(),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| ApiError::invalid("offset", "is not an offset this list gave"))
}

fn text_of<'a>(c: &'a Customer, field: &str) -> Option<&'a str> {
    match field {
        "id" => Some(&c.id),
        "first_name" => c.first_name.as_deref(),
        "last_name" => c.last_name.as_deref(),
        "email" => c.email.as_deref(),
        "company" => c.company.as_deref(),
        "phone" => c.phone.as_deref(),
        "auto_collection" => Some(&c.auto_collection),
        _ => None,
    }
}

fn matches(c: &Customer, field: &str, condition: &Condition) -> bool {
    let time = match field {
        "created_at" => Some(c.created_at.0),
        "updated_at" => Some(c.updated_at.0),
        _ => None,
    };
    let text = text_of(c, field);
    match condition {
        Condition::Is(v) => text == Some(v.as_str()),
        Condition::IsNot(v) => text != Some(v.as_str()),
        Condition::StartsWith(v) => text.is_some_and(|t| t.starts_with(v.as_str())),
        Condition::In(items) => text.is_some_and(|t| items.iter().any(|i| i == t)),
        Condition::NotIn(items) => !text.is_some_and(|t| items.iter().any(|i| i == t)),
        Condition::Present(present) => text.is_some() == *present,
        Condition::After(at) => time.is_some_and(|t| t > *at),
        Condition::Before(at) => time.is_some_and(|t| t < *at),
        Condition::On(at) => time.is_some_and(|t| t / 86_400 == at / 86_400),
        Condition::Between(from, to) => time.is_some_and(|t| (*from..=*to).contains(&t)),
    }
}

/// The page the request asks for: `{"list": [{"customer": …, "card": …}], "next_offset": …}`.
pub(super) fn page(vault: &Vault, request: &ListRequest) -> Value {
    let mut found: Vec<&Customer> = vault
        .customers
        .values()
        .filter(|c| request.filters.iter().all(|(f, cond)| matches(c, f, cond)))
        .collect();
    found.sort_by_key(|c| {
        let at = if request.by_updated_at {
            c.updated_at.0
        } else {
            c.created_at.0
        };
        (at, c.sequence)
    });
    if request.descending {
        found.reverse();
    }
    let start = match request.after {
        Some(after) => found
            .iter()
            .position(|c| c.sequence == after)
            .map_or(found.len(), |i| i + 1),
        None => 0,
    };
    let rest = found.get(start..).unwrap_or_default();
    let page = &rest[..rest.len().min(request.limit)];
    let mut doc = Map::new();
    doc.insert(
        "list".into(),
        Value::Array(page.iter().map(|c| customer_answer(c)).collect()),
    );
    if rest.len() > page.len()
        && let Some(last) = page.last()
    {
        doc.insert(
            "next_offset".into(),
            json!(json!([last.sequence.to_string()]).to_string()),
        );
    }
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::form;

    fn req(query: &str) -> Result<ListRequest, ApiError> {
        match form::decode(query) {
            Value::Object(root) => request(&root),
            _ => unreachable!(),
        }
    }

    #[test]
    fn filter_lists_from_both_clients_read_the_same() {
        let node =
            req("id%5Bin%5D=%5B%22a%22%2C%22b%22%5D&created_at%5Bbetween%5D=%5B1%2C2%5D").unwrap();
        let python = req(
            "id%5Bin%5D=%5B%27a%27%2C+%27b%27%5D&created_at%5Bbetween%5D=%5B%271%27%2C+%272%27%5D",
        )
        .unwrap();
        assert_eq!(node, python);
        assert_eq!(
            node.filters,
            vec![
                ("id", Condition::In(vec!["a".into(), "b".into()])),
                ("created_at", Condition::Between(1, 2)),
            ]
        );
    }

    #[test]
    fn refusals_name_the_parameter() {
        let param = |q: &str| req(q).unwrap_err().param.unwrap_or_default();
        assert_eq!(param("email[in]=[a]"), "email[in]");
        assert_eq!(param("id[in]=a,b"), "id[in]");
        assert_eq!(param("id[in][0]=a"), "id[in]");
        assert_eq!(param("auto_collection[is]=maybe"), "auto_collection[is]");
        assert_eq!(param("created_at[between]=[1]"), "created_at[between]");
        assert_eq!(param("created_at[after]=yesterday"), "created_at[after]");
        assert_eq!(param("limit=0"), "limit");
        assert_eq!(param("limit=101"), "limit");
        assert_eq!(param("offset=3"), "offset");
        assert_eq!(param("sort_by[asc]=email"), "sort_by[asc]");
        assert_eq!(param("email=x"), "email");
        assert!(req("include_deleted=true&limit=100").is_ok());
    }
}
