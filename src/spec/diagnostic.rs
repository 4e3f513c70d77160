//! Located errors in user files, rendered rustc-style with the offending line and a caret.

use std::fmt;
use std::path::{Path, PathBuf};

/// An error at a place in a file the user wrote (a scenario or `gatecheck.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The text of the offending line, for the caret display.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (it cannot be read, say).
    pub fn file(file: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// An error at `line:column` of `source` (the file's text).
    pub fn at(
        file: &Path,
        source: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        // A user's file may hold card numbers; no message shows one.
        let snippet = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| crate::mask::Masker::default().text(l));
        Diagnostic::at_line(file, line, column, snippet, message)
    }

    /// An error at `line:column`, with the text of that line (already masked).
    pub fn at_line(
        file: &Path,
        line: usize,
        column: usize,
        snippet: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            help: None,
            snippet,
        }
    }

    /// Adds a fix suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col`, as editors and terminals link it.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file.display()),
            (Some(l), None) => format!("{}:{l}", self.file.display()),
            _ => self.file.display().to_string(),
        }
    }
}

impl Diagnostic {
    /// The `--> file:line:col` line, then the offending line with a caret under the
    /// column: how every message in gatecheck points into a file.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        let _ = self.write_pointer(&mut out);
        out
    }

    fn write_pointer(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        write!(f, "  --> {}", self.location())?;
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            let column = self.column.unwrap_or(1).max(1);
            let caret_pad: String = snippet
                .chars()
                .take(column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n {pad} |\n {number} | {snippet}\n {pad} | {caret_pad}^"
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        self.write_pointer(f)?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_caret_and_help() {
        let src = "name: x\nsteps:\n  - nme: a\n";
        let d = Diagnostic::at(Path::new("s.yaml"), src, 3, 5, "unknown field `nme`")
            .with_help("did you mean `name`?");
        let text = d.to_string();
        assert!(text.contains("--> s.yaml:3:5"), "{text}");
        assert!(text.contains(" 3 |   - nme: a"), "{text}");
        assert!(text.contains("   |     ^"), "{text}");
        assert!(text.ends_with("= help: did you mean `name`?"), "{text}");
    }
}
