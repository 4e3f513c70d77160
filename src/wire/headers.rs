//! Header lists as the harness keeps them: `(name, value)` pairs in sending order,
//! names compared without regard to case, one value per name.

/// The value of header `name` (any case), if present.
///
/// ```
/// let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
/// assert_eq!(gatecheck::wire::headers::find(&headers, "content-type"), Some("application/json"));
/// ```
pub fn find<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Sets header `name`, replacing any of the same name (any case); it goes last.
///
/// ```
/// let mut headers = vec![("accept".to_string(), "a".to_string())];
/// gatecheck::wire::headers::set(&mut headers, "Accept", "b".to_string());
/// assert_eq!(headers, [("Accept".to_string(), "b".to_string())]);
/// ```
pub fn set(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    headers.push((name.to_string(), value));
}
