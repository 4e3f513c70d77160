//! "Did you mean" suggestions for misspelt keys and names.

/// The candidate closest to `word`, if any is close enough to be a likely typo.
///
/// ```
/// use gatecheck::suggest::nearest;
/// assert_eq!(nearest("reqest", &["request", "expect"]), Some("request"));
/// assert_eq!(nearest("zzz", &["request", "expect"]), None);
/// ```
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let c_lower = c.to_lowercase();
            let score = strsim::jaro_winkler(&word, &c_lower)
                .max(strsim::normalized_damerau_levenshtein(&word, &c_lower) + 0.15);
            (score, *c)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `", did you mean `x`?"` or the empty string.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    nearest(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}
