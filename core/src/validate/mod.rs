//! Validation before the network: every documented rule, all violations at once, each with a
//! wire path such as `Charges[3].Amount`.
//!
//! Limits the docs do not state are our decisions, chosen generous enough never to refuse a
//! real request (see [`limits`]).

mod rules;

pub use rules::Validate;

use crate::error::{FieldError, Rule};

/// Maximum lengths and counts (in characters) we enforce where the docs are silent.
/// Decision: docs/decisions.md#limits.
pub mod limits {
    /// How deep a request may nest (objects and lists) before a binding's converter refuses it
    /// as [`Rule::MaxDepth`](crate::Rule::MaxDepth). A value that contains itself reaches it too,
    /// so cycles never recurse without bound. The deepest documented request nests 5 levels.
    pub const MAX_DEPTH: usize = 64;
    /// Largest amount or balance in cents: 2^53 − 1, the largest integer every language
    /// binding (JavaScript included) represents exactly.
    pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;
    /// Most charges in one payment session (documented: "max 25").
    pub const MAX_CHARGES: usize = 25;
    /// Identifiers: slug, account numbers, client reference, charge type, payment source.
    pub const IDENTIFIER: usize = 100;
    /// Names and the payment descriptor.
    pub const NAME: usize = 100;
    /// Account name (a person or a business).
    pub const ACCOUNT_NAME: usize = 200;
    /// An email address (RFC 5321).
    pub const EMAIL: usize = 254;
    /// A charge description.
    pub const DESCRIPTION: usize = 500;
    /// A phone number.
    pub const PHONE: usize = 40;
    /// Each address line.
    pub const ADDRESS_LINE: usize = 200;
    /// An account note.
    pub const NOTE: usize = 2_000;
    /// `MetaJson`, which must also be valid JSON.
    pub const META_JSON: usize = 10_000;
    /// `SuccessUrl` / `ReturnUrl`.
    pub const URL: usize = 2_048;
    /// Entries of `PaymentFields`.
    pub const PAYMENT_FIELDS: usize = 50;
    /// A `PaymentFields` value.
    pub const PAYMENT_FIELD_VALUE: usize = 1_000;
    /// One `Extra` value, as JSON text: 64 KiB.
    pub const EXTRA_VALUE_BYTES: usize = 64 * 1024;
    /// An Events API payload, as JSON text: 64 KiB (our limit; the API states none).
    pub const EVENT_PAYLOAD_BYTES: usize = 64 * 1024;
}

/// Whether `s` holds control characters (C0, DEL, C1) or bidirectional embedding, override
/// and isolate controls (U+202A–U+202E, U+2066–U+2069: they make a name or description read
/// differently from what it is, as in "Trojan Source"). With `allow_newlines`, tab, CR and LF
/// are accepted (for multi-line notes and descriptions).
pub fn has_control_chars(s: &str, allow_newlines: bool) -> bool {
    s.chars().any(|c| {
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        bidi || (c.is_control() && !(allow_newlines && matches!(c, '\n' | '\r' | '\t')))
    })
}

/// Collects violations while walking a request.
#[derive(Debug, Default)]
pub struct Violations {
    errors: Vec<FieldError>,
}

impl Violations {
    /// Records one violation.
    pub fn add(&mut self, path: impl Into<String>, rule: Rule, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            rule,
            message: message.into(),
        });
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The violations, in the order found.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.errors
    }

    /// A required text: present, not blank, within `max`, no control characters.
    pub fn required_text(&mut self, path: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(path, Rule::Required, "is required and must not be blank");
        } else {
            self.text(path, value, max, false);
        }
    }

    /// An identifier: like [`required_text`](Self::required_text), when it is given.
    pub fn optional_identifier(&mut self, path: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            self.required_text(path, v, max);
        }
    }

    /// Free text: within `max` characters, no control characters (newlines as allowed).
    pub fn text(&mut self, path: &str, value: &str, max: usize, allow_newlines: bool) {
        let len = value.chars().count();
        if len > max {
            self.add(
                path,
                Rule::MaxLength,
                format!("must be at most {max} characters (got {len})"),
            );
        }
        if has_control_chars(value, allow_newlines) {
            self.add(
                path,
                Rule::ControlCharacters,
                "must not contain control or bidirectional-override characters",
            );
        }
    }

    /// Optional free text.
    pub fn optional_text(&mut self, path: &str, value: Option<&str>, max: usize) {
        if let Some(v) = value {
            self.text(path, v, max, false);
        }
    }

    /// An email address.
    pub fn email(&mut self, path: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(path, Rule::Required, "is required and must not be blank");
        } else if value.chars().count() > limits::EMAIL {
            self.add(
                path,
                Rule::MaxLength,
                format!("must be at most {} characters", limits::EMAIL),
            );
        } else if !is_email(value) {
            self.add(
                path,
                Rule::Email,
                "must be an email address such as name@example.com",
            );
        }
    }

    /// An absolute `http`/`https` URL with a host.
    pub fn web_url(&mut self, path: &str, value: &str) {
        if value.chars().count() > limits::URL {
            self.add(
                path,
                Rule::MaxLength,
                format!("must be at most {} characters", limits::URL),
            );
            return;
        }
        let ok = !has_control_chars(value, false)
            && url::Url::parse(value).is_ok_and(|u| {
                matches!(u.scheme(), "http" | "https")
                    && u.host_str().is_some_and(|h| !h.is_empty())
            });
        if !ok {
            self.add(
                path,
                Rule::Url,
                "must be an absolute http:// or https:// URL",
            );
        }
    }

    /// An amount in cents: 1 to 2^53 − 1.
    pub fn positive_cents(&mut self, path: &str, value: i64) {
        if value <= 0 {
            self.add(
                path,
                Rule::PositiveInteger,
                format!("must be a positive number of cents (got {value})"),
            );
        } else if value > limits::MAX_SAFE_INTEGER {
            self.add(
                path,
                Rule::MaxValue,
                format!("must be at most {}", limits::MAX_SAFE_INTEGER),
            );
        }
    }
}

/// A practical email check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn is_email(value: &str) -> bool {
    if value.trim() != value || value.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    !local.is_empty() && labels_ok && value.parse::<email_address::EmailAddress>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "first.last+tag@example.com",
            "x@sub.example.io",
            "o'neil@ex.ie",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a b@c.co", " a@b.co", "a@b..co", "a@-b.co",
            "a@b.co\n",
        ] {
            assert!(!is_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn control_chars() {
        assert!(has_control_chars("a\u{0}b", true));
        assert!(has_control_chars("a\nb", false));
        assert!(!has_control_chars("a\nb\tc", true));
        assert!(has_control_chars("a\u{85}", true));
        assert!(!has_control_chars("Zoë – ok", false));
    }

    #[test]
    fn urls() {
        let mut v = Violations::default();
        v.web_url("A", "https://yoursite.com/payment-success");
        v.web_url("B", "http://localhost:3000/x?y=1");
        assert!(v.is_empty());
        for bad in [
            "javascript:alert(1)",
            "/relative",
            "data:text/html,x",
            "ftp://x.com",
            "https://",
            "http://a b.com",
        ] {
            let mut v = Violations::default();
            v.web_url("U", bad);
            assert_eq!(v.into_vec()[0].rule, crate::Rule::Url, "{bad}");
        }
    }
}
