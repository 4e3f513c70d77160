//! Why a path does not parse, in the user's words.
//!
//! jsonpath-rust reports pest's view: the grammar rules it tried (`jp_query`,
//! `wildcard_selector`) where the furthest *rule* failed. Literal tokens such as `]` or
//! `)` are not rules, so the place is often before the real mistake: for `$['a` pest
//! asks for a quoted name at the opening quote, for `$[?@.x == 'a' & 1]` it blames the
//! string rather than the `&`.
//!
//! So a failed path is read again by `Reader`, a small recognizer of the RFC 9535
//! grammar that stops at the first character that cannot belong there and says what
//! was expected in terms of the path itself. Whatever it does not catch falls back to
//! pest's report, translated rule by rule (`rule_phrase`).

use std::fmt;

use jsonpath_rust::parser::Rule;
use jsonpath_rust::parser::errors::JsonPathError;

/// What is wrong, and where: `at` counts characters from 0.
#[derive(Debug, PartialEq)]
pub(super) struct Problem {
    pub at: usize,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at character {}", self.what, self.at + 1)
    }
}

/// The message for a path jsonpath-rust rejected with `err`.
pub(super) fn problem(source: &str, err: &JsonPathError) -> Problem {
    first_problem(source).unwrap_or_else(|| from_parser(source, err))
}

type Found<T> = Result<T, Problem>;

/// RFC 9535 integers are I-JSON integers: at most 2^53 - 1 either way.
const MAX_INT: u64 = 9_007_199_254_740_991;

/// jsonpath-rust refuses deeper nesting of `(` and `[` before it parses, to bound its
/// recursion; checking first keeps [`Reader`]'s recursion bounded the same way.
const MAX_NESTING: usize = 128;

/// The first problem in `source` by the RFC 9535 grammar, if [`Reader`] sees one.
pub(super) fn first_problem(source: &str) -> Option<Problem> {
    let chars: Vec<char> = source.chars().collect();
    if let Some(at) = too_deep(&chars) {
        return Some(Problem {
            at,
            what: format!("brackets and parentheses nest more than {MAX_NESTING} deep"),
        });
    }
    Reader { s: chars, i: 0 }.path().err()
}

/// Where `(`/`[` nesting (outside quotes) first goes past [`MAX_NESTING`].
fn too_deep(s: &[char]) -> Option<usize> {
    let (mut depth, mut quote, mut escaped) = (0usize, None, false);
    for (at, &c) in s.iter().enumerate() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(at);
                    }
                }
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    None
}

/// RFC 9535 `name-first`: ALPHA, `_` or any non-ASCII character.
fn is_name_first(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c >= '\u{80}'
}

fn is_name_char(c: char) -> bool {
    is_name_first(c) || c.is_ascii_digit()
}

/// A character as the user would name it.
fn describe(c: Option<char>) -> String {
    match c {
        None => "the end of the path".into(),
        Some(' ') => "a space".into(),
        Some('\t') => "a tab".into(),
        Some('\n' | '\r') => "a line break".into(),
        Some('`') => "a backtick".into(),
        Some(c) if c.is_control() => format!("the control character U+{:04X}", c as u32),
        Some(c) => format!("`{c}`"),
    }
}

/// Where the first segment that may select several nodes starts, and how it is
/// written: comparisons accept only single-node paths.
type Many = Option<(usize, &'static str)>;

/// What a filter operand is, which decides where it may stand.
enum Kind {
    Literal,
    Query(Many),
    /// A function returning a value (`length`) or true/false (`match`).
    Function {
        name: String,
        logical: bool,
    },
}

struct Operand {
    at: usize,
    kind: Kind,
}

/// What a missing operand should have been, and after what.
enum Want<'a> {
    /// A condition, e.g. after `?`, `&&` or `(`.
    Condition(&'a str),
    /// A value to compare, after this operator.
    Value(&'a str),
    /// An argument of this function, which may be a value or a condition.
    Argument(&'a str),
}

/// A recursive-descent reader of RFC 9535 that only finds the first mistake.
struct Reader {
    s: Vec<char>,
    i: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn peek_is(&self, f: impl Fn(char) -> bool) -> bool {
        self.peek().is_some_and(f)
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(k, c)| self.s.get(self.i + k) == Some(&c))
    }

    fn skip_ws(&mut self) {
        while self.peek_is(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
            self.i += 1;
        }
    }

    /// The word starting here (letters, digits, `_`), consumed.
    fn word(&mut self) -> String {
        let start = self.i;
        while self.peek_is(is_name_char) {
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    /// What is here, for "found ...": a whole word (`and`, not `a`) or one character.
    fn found(&self) -> String {
        if self.peek_is(is_name_char) {
            let end = (self.i..self.s.len())
                .find(|&k| !is_name_char(self.s[k]))
                .unwrap_or(self.s.len());
            format!("`{}`", self.s[self.i..end].iter().collect::<String>())
        } else {
            describe(self.peek())
        }
    }

    fn fail<T>(&self, at: usize, what: impl Into<String>) -> Found<T> {
        Err(Problem {
            at,
            what: what.into(),
        })
    }

    /// "expected X, found Y" at the current character.
    fn expected<T>(&self, what: &str) -> Found<T> {
        self.fail(self.i, format!("expected {what}, found {}", self.found()))
    }

    fn path(&mut self) -> Found<()> {
        match self.peek() {
            Some('$') => self.i += 1,
            None => return self.fail(0, "the path is empty; it should start with `$`"),
            Some(_) => {
                return self.fail(0, format!("a path starts with `$`, found {}", self.found()));
            }
        }
        self.segments()?;
        // jsonpath-rust accepts trailing whitespace, so it is no mistake here.
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(c @ (']' | ')')) => self.fail(self.i, format!("unexpected `{c}`")),
            Some('-') if self.i > 0 && is_name_char(self.s[self.i - 1]) => {
                let start = (0..self.i)
                    .rev()
                    .take_while(|&k| is_name_char(self.s[k]) || self.s[k] == '-')
                    .last()
                    .unwrap_or(self.i);
                let end = (self.i..self.s.len())
                    .find(|&k| !(is_name_char(self.s[k]) || self.s[k] == '-'))
                    .unwrap_or(self.s.len());
                let name: String = self.s[start..end].iter().collect();
                self.fail(
                    self.i,
                    format!(
                        "a name with `-` needs brackets and quotes, like `['{name}']`, found `-`"
                    ),
                )
            }
            Some(_) => self.expected("`.`, `..`, `[` or the end of the path"),
        }
    }

    /// `.name`, `..name`, `[...]`, each after optional whitespace.
    fn segments(&mut self) -> Found<Many> {
        let mut many = None;
        loop {
            let before = self.i;
            self.skip_ws();
            let this = match self.peek() {
                Some('.') => self.dot()?,
                Some('[') => self.bracket()?,
                _ => {
                    self.i = before;
                    return Ok(many);
                }
            };
            many = many.or(this);
        }
    }

    fn dot(&mut self) -> Found<Many> {
        let start = self.i;
        if self.starts_with("..") {
            self.i += 2;
            match self.peek() {
                Some('[') => {
                    self.bracket()?;
                }
                Some('*') => self.i += 1,
                Some(c) if is_name_first(c) => {
                    self.word();
                }
                _ => return self.expected("a name, `*` or `[` after `..`"),
            }
            return Ok(Some((start, "..")));
        }
        self.i += 1;
        match self.peek() {
            Some('*') => {
                self.i += 1;
                Ok(Some((self.i - 1, "*")))
            }
            Some(c) if is_name_first(c) => {
                self.word();
                Ok(None)
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                // Keys like `1st` or `-x` are fine JSON but need the quoted form.
                let end = (self.i..self.s.len())
                    .find(|&k| !(is_name_char(self.s[k]) || self.s[k] == '-'))
                    .unwrap_or(self.s.len());
                let name: String = self.s[self.i..end].iter().collect();
                self.expected(&format!(
                    "a name or `*` after `.` (write other names in brackets and quotes, like `['{name}']`)"
                ))
            }
            _ => self.expected("a name or `*` after `.`"),
        }
    }

    /// `[` selector (`,` selector)* `]`.
    fn bracket(&mut self) -> Found<Many> {
        self.i += 1;
        let mut after = "`[`";
        let mut many = None;
        loop {
            self.skip_ws();
            let (what, this) = self.selector(after)?;
            many = many.or(this);
            self.skip_ws();
            match self.peek() {
                Some(',') => {
                    many = many.or(Some((self.i, ",")));
                    self.i += 1;
                    after = "`,`";
                }
                Some(']') => {
                    self.i += 1;
                    return Ok(many);
                }
                None => return self.fail(self.i, format!("expected `]` after {what}")),
                Some(_) => return self.expected(&format!("`,` or `]` after {what}")),
            }
        }
    }

    /// One selector; says what it was, for "expected `]` after the index".
    fn selector(&mut self, after: &str) -> Found<(&'static str, Many)> {
        let at = self.i;
        match self.peek() {
            Some('\'' | '"') => {
                self.string("name")?;
                Ok(("the name", None))
            }
            Some('*') => {
                self.i += 1;
                Ok(("`*`", Some((at, "*"))))
            }
            Some('?') => {
                self.filter()?;
                Ok(("the filter", Some((at, "?"))))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.index_or_slice(),
            Some(c) if is_name_first(c) => {
                let word = self.word();
                self.fail(
                    at,
                    format!("a name in brackets needs quotes, like `['{word}']`, found `{word}`"),
                )
            }
            _ => self.expected(&format!(
                "a quoted name, an index, a slice, `*` or a `?` filter after {after}"
            )),
        }
    }

    fn index_or_slice(&mut self) -> Found<(&'static str, Many)> {
        if self.peek() != Some(':') {
            self.integer("an index", false)?;
            let before = self.i;
            self.skip_ws();
            if self.peek() != Some(':') {
                self.i = before;
                return Ok(("the index", None));
            }
        }
        let colon = self.i;
        // `start:end:step`, each part optional.
        for part in ["a slice's end", "a slice's step"] {
            if self.peek() != Some(':') {
                break;
            }
            self.i += 1;
            self.skip_ws();
            if self.peek_is(|c| c == '-' || c.is_ascii_digit()) {
                self.integer(part, false)?;
                self.skip_ws();
            }
        }
        if self.peek() == Some(':') {
            return self.fail(
                self.i,
                "a slice has at most three parts, `start:end:step`, found a fourth `:`",
            );
        }
        Ok(("the slice", Some((colon, ":"))))
    }

    /// An RFC 9535 integer: no leading zeros, within ±(2^53 - 1); `-0` only where
    /// a number (not an index) may stand.
    fn integer(&mut self, what: &str, minus_zero: bool) -> Found<()> {
        let start = self.i;
        if self.peek() == Some('-') {
            self.i += 1;
            if !self.peek_is(|c| c.is_ascii_digit()) {
                return self.expected("a digit after `-`");
            }
        }
        let digits_at = self.i;
        while self.peek_is(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let text: String = self.s[start..self.i].iter().collect();
        let digits: String = self.s[digits_at..self.i].iter().collect();
        if text == "-0" && !minus_zero {
            return self.fail(start, format!("`-0` is not {what}; write `0`"));
        }
        if digits.len() > 1 && digits.starts_with('0') {
            return self.fail(
                start,
                format!("{what} cannot have leading zeros, found `{text}`"),
            );
        }
        if digits.parse::<u64>().map_or(true, |n| n > MAX_INT) {
            return self.fail(
                start,
                format!("`{text}` is out of range for {what} (at most {MAX_INT} either way)"),
            );
        }
        Ok(())
    }

    /// A quoted name or string literal, with RFC 9535's escapes.
    fn string(&mut self, what: &str) -> Found<()> {
        let open = self.i;
        let quote = self.s[open];
        self.i += 1;
        loop {
            let at = self.i;
            match self.peek() {
                None => return self.fail(open, format!("unclosed quote in a {what}")),
                Some(c) if c == quote => {
                    self.i += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.i += 1;
                    match self.peek() {
                        None => return self.fail(open, format!("unclosed quote in a {what}")),
                        Some(c) if c == quote || "bfnrt/\\".contains(c) => self.i += 1,
                        Some('u') => {
                            self.i += 1;
                            self.unicode_escape(at, what)?;
                        }
                        Some(c) => {
                            return self.fail(at, format!("`\\{c}` is not an escape in a {what}"));
                        }
                    }
                }
                Some(c) if c < ' ' => {
                    return self.fail(
                        at,
                        format!(
                            "{} must be escaped in a {what} (like `\\n`, `\\t` or `\\u001f`)",
                            describe(Some(c))
                        ),
                    );
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// The `XXXX` of `\uXXXX` (escape at `at`); a high surrogate needs a low one.
    fn unicode_escape(&mut self, at: usize, what: &str) -> Found<()> {
        let high = self.hex4(at, what)?;
        if (0xDC00..=0xDFFF).contains(&high) {
            return self.fail(
                at,
                format!("`\\u{high:04X}` is half a surrogate pair in a {what}"),
            );
        }
        if (0xD800..=0xDBFF).contains(&high) {
            let low_at = self.i;
            let low = if self.starts_with("\\u") {
                self.i += 2;
                self.hex4(low_at, what)?
            } else {
                0
            };
            if !(0xDC00..=0xDFFF).contains(&low) {
                return self.fail(
                    at,
                    format!("`\\u{high:04X}` must be followed by a low surrogate `\\uDC00`..`\\uDFFF` in a {what}"),
                );
            }
        }
        Ok(())
    }

    fn hex4(&mut self, at: usize, what: &str) -> Found<u32> {
        let mut code = 0;
        for _ in 0..4 {
            match self.peek().and_then(|c| c.to_digit(16)) {
                Some(d) => code = code * 16 + d,
                None => {
                    return self.fail(at, format!("`\\u` needs four hex digits in a {what}"));
                }
            }
            self.i += 1;
        }
        Ok(code)
    }

    /// `?` and a logical expression, up to the `,` or `]` that ends the selector.
    fn filter(&mut self) -> Found<()> {
        self.i += 1;
        self.skip_ws();
        if matches!(self.peek(), None | Some(']' | ',')) {
            return self.fail(self.i, "a filter `[?...]` needs an expression");
        }
        if let Some(lone) = self.logical(&Want::Condition("after `?`"))? {
            self.condition(&lone)?;
        }
        self.skip_ws();
        match self.peek() {
            Some(']' | ',') => Ok(()),
            None => self.fail(self.i, "expected `]` after the filter"),
            Some(')') => self.fail(self.i, "unexpected `)`"),
            Some(_) => self.after_condition("`&&`, `||`, `,` or `]`"),
        }
    }

    /// A mistake right after a complete condition; common slips get their own words.
    fn after_condition<T>(&mut self, expected: &str) -> Found<T> {
        if self.peek() == Some('&') {
            return self.expected("`&&`");
        }
        if self.peek() == Some('|') {
            return self.expected("`||`");
        }
        let before = self.i;
        match self.word().as_str() {
            "and" => self.fail(before, "expected `&&`, found `and`"),
            "or" => self.fail(before, "expected `||`, found `or`"),
            _ => {
                self.i = before;
                self.expected(expected)
            }
        }
    }

    /// `a || b || ...`; returns the operand when the whole expression is one
    /// operand, which the caller checks (a filter needs a condition, a function
    /// argument may be a value).
    fn logical(&mut self, want: &Want) -> Found<Option<Operand>> {
        self.joined(
            want,
            "||",
            &Want::Condition("after `||`"),
            Self::conjunction,
        )
    }

    /// `a && b && ...`, like [`Reader::logical`].
    fn conjunction(&mut self, want: &Want) -> Found<Option<Operand>> {
        self.joined(want, "&&", &Want::Condition("after `&&`"), Self::basic)
    }

    /// `a OP b OP ...`, each side read by `operand`: a lone operand is returned
    /// unchecked, and once `op` joins two, each must be a condition.
    fn joined(
        &mut self,
        want: &Want,
        op: &str,
        after: &Want,
        operand: fn(&mut Self, &Want) -> Found<Option<Operand>>,
    ) -> Found<Option<Operand>> {
        let mut lone = operand(self, want)?;
        loop {
            let before = self.i;
            self.skip_ws();
            if !self.starts_with(op) {
                self.i = before;
                return Ok(lone);
            }
            if let Some(first) = lone.take() {
                self.condition(&first)?;
            }
            self.i += op.len();
            self.skip_ws();
            if let Some(next) = operand(self, after)? {
                self.condition(&next)?;
            }
        }
    }

    /// `!`-test, `(...)`, a comparison, or a lone operand (returned unchecked).
    fn basic(&mut self, want: &Want) -> Found<Option<Operand>> {
        match self.peek() {
            Some('!') => {
                self.i += 1;
                self.skip_ws();
                if self.peek() == Some('(') {
                    self.paren()?;
                    return Ok(None);
                }
                let test = self.operand(&Want::Condition("after `!`"))?;
                self.condition(&test)?;
                let before = self.i;
                self.skip_ws();
                if let Some(op) = self.comparison_op() {
                    return self.fail(
                        self.i,
                        format!("`!` cannot apply to a comparison; wrap it, like `!(@.x {op} 1)`, found `{op}`"),
                    );
                }
                self.i = before;
                Ok(None)
            }
            Some('(') => {
                self.paren()?;
                Ok(None)
            }
            _ => {
                let left = self.operand(want)?;
                let before = self.i;
                self.skip_ws();
                if let Some(op) = self.comparison_op() {
                    self.comparable(&left)?;
                    self.i += op.len();
                    self.skip_ws();
                    let right = self.operand(&Want::Value(op))?;
                    self.comparable(&right)?;
                    return Ok(None);
                }
                if self.peek() == Some('=') {
                    return self
                        .expected("a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`)");
                }
                self.i = before;
                Ok(Some(left))
            }
        }
    }

    fn comparison_op(&self) -> Option<&'static str> {
        ["==", "!=", "<=", ">=", "<", ">"]
            .into_iter()
            .find(|op| self.starts_with(op))
    }

    /// `(` logical `)`.
    fn paren(&mut self) -> Found<()> {
        self.i += 1;
        self.skip_ws();
        if let Some(lone) = self.logical(&Want::Condition("after `(`"))? {
            self.condition(&lone)?;
        }
        self.skip_ws();
        match self.peek() {
            Some(')') => {
                self.i += 1;
                Ok(())
            }
            None => self.fail(self.i, "expected `)` after the expression"),
            Some(_) => self.after_condition("`&&`, `||` or `)`"),
        }
    }

    /// A path (`@...`, `$...`), a literal or a function call.
    fn operand(&mut self, want: &Want) -> Found<Operand> {
        let at = self.i;
        let kind = match self.peek() {
            Some('@' | '$') => {
                self.i += 1;
                Kind::Query(self.segments()?)
            }
            Some('\'' | '"') => {
                self.string("string")?;
                Kind::Literal
            }
            Some(c) if c == '-' || c.is_ascii_digit() => {
                self.number()?;
                Kind::Literal
            }
            Some(c) if is_name_first(c) => {
                let word = self.word();
                match word.as_str() {
                    "true" | "false" | "null" => Kind::Literal,
                    _ if self.peek() == Some('(') => self.function(at, word)?,
                    _ => return self.bare_word(at, &word, want),
                }
            }
            _ => {
                return match want {
                    Want::Condition(after) => self.expected(&format!(
                        "a condition (like `@.x`, `@.x == 1` or `(...)`) {after}"
                    )),
                    Want::Value(op) => self.expected(&format!(
                        "a value after `{op}` (like `'text'`, `1`, `true`, `null` or `@.x`)"
                    )),
                    Want::Argument(name) => self.expected(&format!(
                        "an argument for `{name}()` (like `@.x`, `'text'` or `1`)"
                    )),
                };
            }
        };
        Ok(Operand { at, kind })
    }

    /// A word that is no literal and not followed by `(`.
    fn bare_word<T>(&mut self, at: usize, word: &str, want: &Want) -> Found<T> {
        let before = self.i;
        self.skip_ws();
        if self.peek() == Some('(') && self.i > before {
            return self.fail(
                before,
                format!("expected `(` right after `{word}`, found a space"),
            );
        }
        match want {
            Want::Value(op) => self.fail(
                at,
                format!("expected a value after `{op}` (strings need quotes, like `'{word}'`), found `{word}`"),
            ),
            Want::Argument(name) => self.fail(
                at,
                format!("expected an argument for `{name}()` (strings need quotes, like `'{word}'`), found `{word}`"),
            ),
            Want::Condition(after) => self.fail(
                at,
                format!("expected a path like `@.{word}` {after}, found `{word}`"),
            ),
        }
    }

    /// An RFC 9535 number: an integer (or `-0`), then an optional fraction and exponent.
    fn number(&mut self) -> Found<()> {
        self.integer("a number", true)?;
        if self.peek() == Some('.') {
            self.i += 1;
            if !self.peek_is(|c| c.is_ascii_digit()) {
                return self.expected("a digit after `.` in the number");
            }
            while self.peek_is(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        if self.peek_is(|c| c == 'e' || c == 'E') {
            self.i += 1;
            if self.peek_is(|c| c == '+' || c == '-') {
                self.i += 1;
            }
            if !self.peek_is(|c| c.is_ascii_digit()) {
                return self.expected("a digit in the exponent of the number");
            }
            while self.peek_is(|c| c.is_ascii_digit()) {
                self.i += 1;
            }
        }
        Ok(())
    }

    /// `name(` arguments `)`, with the arity jsonpath-rust gives each function.
    fn function(&mut self, at: usize, name: String) -> Found<Kind> {
        let (arity, logical) = match name.as_str() {
            "length" | "count" | "value" => (1, false),
            // RFC 9535's two, then jsonpath-rust's own.
            "match" | "search" | "in" | "nin" | "none_of" | "any_of" | "subset_of" => (2, true),
            _ => {
                return self.fail(
                    at,
                    format!("unknown function `{name}()`; the functions are `length`, `count`, `value`, `match` and `search`"),
                );
            }
        };
        let takes = if arity == 1 {
            "one argument"
        } else {
            "two arguments"
        };
        self.i += 1;
        let mut given = 0;
        loop {
            self.skip_ws();
            if given == 0 && self.peek() == Some(')') {
                return self.expected(&format!("an argument: `{name}()` takes {takes}"));
            }
            let arg_at = self.i;
            let lone = self.logical(&Want::Argument(&name))?;
            if name == "count"
                && matches!(
                    lone,
                    Some(Operand {
                        kind: Kind::Literal,
                        ..
                    })
                )
            {
                return self.fail(
                    arg_at,
                    "`count()` counts the nodes of a path like `@.items`; it takes no literal",
                );
            }
            given += 1;
            self.skip_ws();
            match self.peek() {
                Some(',') if given < arity => self.i += 1,
                Some(')') if given == arity => {
                    self.i += 1;
                    return Ok(Kind::Function { name, logical });
                }
                Some(c @ (',' | ')')) => {
                    return self.fail(self.i, format!("`{name}()` takes {takes}, found `{c}`"));
                }
                None => {
                    return self.fail(
                        self.i,
                        format!("expected `)` after the arguments of `{name}()`"),
                    );
                }
                Some(_) if given < arity => return self.after_condition("`&&`, `||` or `,`"),
                Some(_) => return self.after_condition("`&&`, `||` or `)`"),
            }
        }
    }

    /// Either side of a comparison: a literal, a single-node path, or a function
    /// that gives a value.
    fn comparable(&self, operand: &Operand) -> Found<()> {
        match &operand.kind {
            Kind::Query(Some((at, token))) => self.fail(
                *at,
                format!("a comparison needs a path to one node (names and indexes only), found `{token}`"),
            ),
            Kind::Function {
                name,
                logical: true,
            } => self.fail(
                operand.at,
                format!("`{name}()` gives true or false, which cannot be compared"),
            ),
            _ => Ok(()),
        }
    }

    /// A lone operand used as a condition: a path (does it exist?) or a function
    /// that gives true or false.
    fn condition(&self, operand: &Operand) -> Found<()> {
        match &operand.kind {
            Kind::Literal => self.fail(
                operand.at,
                "a literal alone is not a condition; compare something with it, like `@.x == true`",
            ),
            Kind::Function {
                name,
                logical: false,
            } => self.fail(
                operand.at,
                format!("`{name}()` gives a value, not true or false; compare it, like `{name}(@.x) == 1`"),
            ),
            _ => Ok(()),
        }
    }
}

/// pest's report, translated: for what [`Reader`] does not catch (or catches
/// differently from jsonpath-rust).
pub(super) fn from_parser(source: &str, err: &JsonPathError) -> Problem {
    match err {
        JsonPathError::PestError(e) => {
            // pest is not a direct dependency, so its error types cannot be named;
            // `renamed_rules` hands every rule to a closure, which records it and
            // leaves a numbered marker to tell positives from negatives.
            let mut rules: Vec<Rule> = Vec::new();
            let renamed = (**e).clone().renamed_rules(|rule| {
                rules.push(*rule);
                format!("\u{1}{}\u{1}", rules.len() - 1)
            });
            let message = renamed.variant.message().into_owned();
            let (negative, positive) = match message.strip_prefix("unexpected ") {
                Some(rest) => rest.split_once(';').unwrap_or((rest, "")),
                None => ("", message.as_str()),
            };
            let pick = |text: &str| -> Vec<Rule> {
                text.split('\u{1}')
                    .skip(1)
                    .step_by(2)
                    .filter_map(|n| n.parse::<usize>().ok())
                    .filter_map(|n| rules.get(n).copied())
                    .collect()
            };
            // `InputLocation` is `Pos(byte)` or `Span((byte, byte))`: the first number.
            let location = format!("{:?}", e.location);
            let byte = location
                .split(|c: char| !c.is_ascii_digit())
                .find(|n| !n.is_empty())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            let at = source.char_indices().take_while(|&(b, _)| b < byte).count();
            from_rules(source, at, &pick(positive), &pick(negative))
        }
        JsonPathError::MaxNestingDepthExceeded(limit) => Problem {
            at: too_deep(&source.chars().collect::<Vec<_>>()).unwrap_or(0),
            what: format!("brackets and parentheses nest more than {limit} deep"),
        },
        // jsonpath-rust's checks after the grammar (function arguments, string
        // escapes, numbers) are all in Reader; this is only a safety net, and keeps
        // the crate's wording out because it may name grammar rules.
        _ => Problem {
            at: 0,
            what: "this is not a JSONPath that RFC 9535 allows".into(),
        },
    }
}

/// "expected (phrases), found (what is there)" from pest's rule sets at `at`.
fn from_rules(source: &str, at: usize, positives: &[Rule], negatives: &[Rule]) -> Problem {
    let chars: Vec<char> = source.chars().collect();
    let after_name = at > 0 && chars.get(at - 1).is_some_and(|&c| is_name_char(c));
    let phrases = |rules: &[Rule]| -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for phrase in rules.iter().filter_map(|&r| rule_phrase(r, after_name)) {
            if !out.contains(&phrase) {
                out.push(phrase);
            }
        }
        out
    };
    let found = Reader { s: chars, i: at }.found();
    let (expected, unexpected) = (phrases(positives), phrases(negatives));
    let what = if !unexpected.is_empty() {
        format!("{} is not allowed here", one_of(&unexpected))
    } else if !expected.is_empty() {
        format!("expected {}, found {found}", one_of(&expected))
    } else if at >= source.chars().count() {
        "the path ends too early".to_string()
    } else {
        format!("unexpected {found}")
    };
    Problem { at, what }
}

/// `a`, `a or b`, `a, b or c`.
fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The table from pest's rule names to the user's words. `None` marks rules that
/// would only continue what is already there (more digits, more path): pest lists
/// them at the character after a complete token, where the mistake is the
/// character itself. The match is exhaustive so that a grammar change in a new
/// jsonpath-rust fails to compile here rather than leak a rule name.
fn rule_phrase(rule: Rule, after_name: bool) -> Option<&'static str> {
    Some(match rule {
        Rule::main | Rule::jp_query => "a path starting with `$`",
        Rule::EOI => "the end of the path",
        Rule::segments
        | Rule::segment
        | Rule::child_segment
        | Rule::descendant_segment
        | Rule::singular_query_segments
        | Rule::name_segment
        | Rule::index_segment
        | Rule::frac
        | Rule::exp => return None,
        Rule::bracketed_selection => "`[`",
        Rule::selector => "a quoted name, an index, a slice, `*` or a `?` filter",
        Rule::name_selector => "a quoted name",
        Rule::string => "a quoted string",
        Rule::wildcard_selector => "`*`",
        Rule::index_selector => "an index",
        Rule::int | Rule::start | Rule::end => "a whole number",
        Rule::step => "`:` and a step",
        Rule::slice_selector => "a slice like `1:3`",
        Rule::filter_selector => "a `?` filter",
        Rule::logical_expr
        | Rule::logical_expr_and
        | Rule::atom_expr
        | Rule::paren_expr
        | Rule::test_expr
        | Rule::test => "a condition (like `@.x`, `@.x == 1` or `(...)`)",
        Rule::comp_expr => "a comparison",
        Rule::rel_query => "a path starting with `@`",
        Rule::function_expr | Rule::function_name_one_arg | Rule::function_name_two_arg => {
            "a function (`length`, `count`, `value`, `match` or `search`)"
        }
        Rule::function_argument => "a function argument",
        Rule::comparable => "a value (like `'text'`, `1`, `true`, `null` or `@.x`)",
        Rule::literal => "a string, a number, `true`, `false` or `null`",
        Rule::number => "a number",
        Rule::bool => "`true` or `false`",
        Rule::null => "`null`",
        Rule::singular_query | Rule::rel_singular_query | Rule::abs_singular_query => {
            "a path to one node (names and indexes only)"
        }
        Rule::comp_op => "a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::not_op => "`!`",
        // Silent rules: pest never reports them, but they are in the enum.
        Rule::root => "`$`",
        Rule::curr => "`@`",
        Rule::one_arg | Rule::two_arg => "`(` and the function's arguments",
        Rule::S | Rule::WHITESPACE => return None,
        Rule::DIGIT | Rule::DIGIT1 | Rule::safe_int => "a digit",
        Rule::double_quoted | Rule::single_quoted | Rule::unescaped => "a closing quote",
        Rule::ESC
        | Rule::escapable
        | Rule::hexchar
        | Rule::non_surrogate
        | Rule::high_surrogate
        | Rule::low_surrogate
        | Rule::HEXDIG => "an escape like `\\n` or `\\u00e9`",
        Rule::LCALPHA
        | Rule::ALPHA
        | Rule::name_first
        | Rule::name_char
        | Rule::member_name_shorthand => {
            if after_name {
                return None;
            }
            "a name"
        }
    })
}
