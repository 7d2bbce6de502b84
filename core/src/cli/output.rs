//! What the commands print: text for people (stdout), messages and errors (stderr), or JSON
//! for scripts (`--json`, on stdout). A closed pipe is not an error (`paystar ... | head`).

use std::io::Write;

use serde_json::{Value, json};

use crate::bridge::{Dialect, error_value};

/// The command's output style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Out {
    /// `--json`.
    pub json: bool,
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// One line on stdout.
    pub fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    /// Bytes on stdout as they are.
    pub fn raw(&self, bytes: &[u8]) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(bytes);
        let _ = stdout.flush();
    }

    /// A message for the person at the terminal, on stderr (never parsed by scripts).
    pub fn note(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// A usage problem, on stderr.
    pub fn problem(&self, text: &str) {
        self.note(&format!("paystar: {text}"));
    }

    /// `value` as JSON: pretty for one result, one compact line when `stream`.
    pub fn value(&self, value: &Value, stream: bool) {
        let text = if stream {
            value.to_string()
        } else {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        };
        self.line(&text);
    }

    /// Rows of `name value`, the names aligned.
    pub fn rows(&self, rows: &[(&str, String)]) {
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (name, value) in rows {
            self.line(&format!("{name:<width$}  {value}"));
        }
    }

    /// A Paystar error: `{"error": {...}}` on stdout with `--json` (every attribute, as the
    /// Python binding names them), else its code, message, fields and request id on stderr.
    pub fn error(&self, e: &crate::Error) {
        if self.json {
            self.value(&json!({"error": error_value(e, Dialect::PYTHON)}), false);
            return;
        }
        if e.field_errors().is_empty() {
            self.note(&format!("error ({}): {}", e.code(), e.message()));
        } else {
            self.note(&format!("error ({}): the request is invalid:", e.code()));
        }
        for f in e.field_errors() {
            self.note(&format!("  {}: {}", f.path, f.message));
        }
        for a in e.api_errors() {
            self.note(&format!("  gateway: {a}"));
        }
        let mut facts = Vec::new();
        if let Some(status) = e.status() {
            facts.push(format!("HTTP {status}"));
        }
        if let Some(id) = e.request_id() {
            facts.push(format!("request id {id}"));
        }
        if e.attempts() > 0 {
            facts.push(format!("{} attempt(s)", e.attempts()));
        }
        if e.ambiguous() {
            facts.push("it may have been acted on".into());
        }
        if !facts.is_empty() {
            self.note(&format!("  ({})", facts.join(", ")));
        }
    }
}
