//! The one error type of the crate, and its stable codes.
//!
//! [`Error::code`] is the contract: bindings map it 1:1 to their own exception classes, and
//! [`ErrorCode::ALL`] lets each of them prove that every code is mapped. [`Error`]'s `Display`
//! is for humans and may change.

use std::time::Duration;

mod kinds;
mod reason;

pub use kinds::{ApiErrorItem, ErrorCode, FieldError, Rule};
pub use reason::WebhookReason;

/// How many of the gateway's error items a message shows (all are in `api_errors`).
const MAX_ITEMS_SHOWN: usize = 5;
/// How many characters of one item a message shows.
const MAX_ITEM_CHARS: usize = 200;

/// Gateway text made safe for a one-line log: control characters (newlines included) and the
/// bidirectional controls that reorder what a terminal or log viewer shows (U+061C, U+200E,
/// U+200F, U+202A..U+202E, U+2066..U+2069: "Trojan Source" spoofing) escaped, at most `max`
/// characters, then `...`.
pub(crate) fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        if c.is_control() || is_bidi_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The Unicode bidirectional formatting characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Everything that can go wrong, with a stable [`code`](Error::code).
///
/// Errors raised after a network call carry [`attempts`](Error::attempts) and say whether an
/// earlier attempt may have reached the gateway ([`ambiguous`](Error::ambiguous)). No error ever
/// contains the API key. One pointer wide, so `Result<T>` stays small.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorInner>);

/// The option a `configuration_error` is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OptionName {
    /// One of core's options (snake_case): shown in the caller's case.
    Known(String),
    /// A name as the caller wrote it (an unknown option): shown as written.
    Given(String),
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct ErrorInner {
    code: ErrorCode,
    message: String,
    status: Option<u16>,
    field_errors: Vec<FieldError>,
    api_errors: Vec<ApiErrorItem>,
    attempts: u32,
    ambiguous: bool,
    retry_after: Option<Duration>,
    request_id: Option<String>,
    webhook_reason: Option<WebhookReason>,
    option: Option<OptionName>,
    permanent: bool,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error(Box::new(ErrorInner {
            code,
            message: message.into(),
            status: None,
            field_errors: Vec::new(),
            api_errors: Vec::new(),
            attempts: 0,
            ambiguous: false,
            retry_after: None,
            request_id: None,
            webhook_reason: None,
            option: None,
            permanent: false,
            source: None,
        }))
    }

    /// A `configuration_error` about the option `name` (in any case: `max_retries`,
    /// `maxRetries`): the message is `name: what` in snake_case, and each binding shows the
    /// name in its caller's case ([`message_in`](Self::message_in), [`option_in`](Self::option_in)).
    pub fn option(name: &str, what: impl std::fmt::Display) -> Error {
        let snake = crate::Case::Snake.convert(name);
        let mut e = Error::new(ErrorCode::Configuration, format!("{snake}: {what}"));
        e.0.option = Some(OptionName::Known(snake));
        e
    }

    /// A `configuration_error` about an option the caller named `key` (an unknown one): shown
    /// as the caller wrote it, in every case.
    pub fn unknown_option(key: &str, what: impl std::fmt::Display) -> Error {
        let mut e = Error::new(ErrorCode::Configuration, format!("{key}: {what}"));
        e.0.option = Some(OptionName::Given(key.to_owned()));
        e
    }

    /// A `webhook_error` with its reason.
    pub(crate) fn webhook(reason: WebhookReason, message: impl Into<String>) -> Error {
        let mut e = Error::new(ErrorCode::Webhook, message);
        e.0.webhook_reason = Some(reason);
        e
    }

    /// A `configuration_error` (for bindings that check their own option types).
    pub fn configuration(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::Configuration, message)
    }

    /// The `configuration_error` of a call or warm-up on a client its binding has closed
    /// (Python's and Kotlin's `close()`): one text in every language.
    pub fn client_closed() -> Error {
        Error::configuration("this client is closed")
    }

    /// An `internal_error`: a bug or broken runtime inside the library (a caught panic).
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::Internal, message)
    }

    /// A `validation_error` listing every violation (the message names each path); for
    /// bindings that find a problem while converting native input (a `Decimal` amount, say).
    pub fn validation(field_errors: Vec<FieldError>) -> Error {
        let list: Vec<String> = field_errors.iter().map(ToString::to_string).collect();
        let noun = if field_errors.len() == 1 {
            "field"
        } else {
            "fields"
        };
        let mut e = Error::new(
            ErrorCode::Validation,
            format!(
                "invalid request ({} {noun}): {}",
                field_errors.len(),
                list.join("; ")
            ),
        );
        e.0.field_errors = field_errors;
        e
    }

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.0.status = Some(status);
        self
    }

    pub(crate) fn with_api_errors(mut self, items: Vec<ApiErrorItem>) -> Error {
        if !items.is_empty() {
            let shown: Vec<String> = items
                .iter()
                .take(MAX_ITEMS_SHOWN)
                .map(|i| printable(&i.to_string(), MAX_ITEM_CHARS))
                .collect();
            let more = items.len().saturating_sub(MAX_ITEMS_SHOWN);
            let more = if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            };
            self.0.message = format!("{}: {}{more}", self.0.message, shown.join("; "));
        }
        self.0.api_errors = items;
        self
    }

    pub(crate) fn with_retry_after(mut self, d: Option<Duration>) -> Error {
        self.0.retry_after = d;
        self
    }

    pub(crate) fn with_request_id(mut self, id: Option<String>) -> Error {
        self.0.request_id = id;
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.0.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32, ambiguous: bool) -> Error {
        self.0.attempts = attempts;
        self.0.ambiguous = ambiguous;
        self
    }

    /// The stable kind of this error.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// Why a webhook was refused (`Some` exactly for a `webhook_error`).
    pub fn webhook_reason(&self) -> Option<WebhookReason> {
        self.0.webhook_reason
    }

    /// The human message (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The message, the option it names (if any) in the caller's `case`: `baseUrl: ...` for
    /// [`Case::Camel`](crate::Case::Camel). Bindings show this one, so a message names the
    /// option the way the caller spells it.
    ///
    /// ```
    /// use paystar::{Case, Error};
    /// let e = Error::option("max_retries", "must be between 0 and 10");
    /// assert_eq!(e.message_in(Case::Camel), "maxRetries: must be between 0 and 10");
    /// assert_eq!(e.message_in(Case::Snake), e.message());
    /// let typo = Error::unknown_option("max_retries", "is not a known option");
    /// assert_eq!(typo.message_in(Case::Camel), "max_retries: is not a known option");
    /// ```
    pub fn message_in(&self, case: crate::Case) -> String {
        match &self.0.option {
            Some(OptionName::Known(name)) => match self.message().strip_prefix(name.as_str()) {
                Some(rest) => format!("{}{rest}", case.convert(name)),
                None => self.message().to_owned(),
            },
            _ => self.message().to_owned(),
        }
    }

    /// The option a `configuration_error` is about, in the caller's `case` (or as the caller
    /// wrote it, for an unknown one); `None` for other errors.
    pub fn option_in(&self, case: crate::Case) -> Option<String> {
        match self.0.option.as_ref()? {
            OptionName::Known(name) => Some(case.convert(name)),
            OptionName::Given(key) => Some(key.clone()),
        }
    }

    /// The HTTP status of the last answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// Every violation, for `validation_error` (empty otherwise).
    pub fn field_errors(&self) -> &[FieldError] {
        &self.0.field_errors
    }

    /// The gateway's `errors` items, verbatim (empty when it sent none).
    pub fn api_errors(&self) -> &[ApiErrorItem] {
        &self.0.api_errors
    }

    /// How many HTTP attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// True when an attempt may have reached the gateway although no answer came back (a
    /// timeout or a dropped connection after the request was sent): a create may have happened,
    /// and retrying with the same `ClientReference` can be refused as a duplicate.
    pub fn ambiguous(&self) -> bool {
        self.0.ambiguous
    }

    /// The gateway's `Retry-After`, for `rate_limited` / `server_error` answers that sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// The gateway's request id of the last answer (header `X-Request-Id`), when sent.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// Whether retrying the same call later may succeed: by the code, except for a failure
    /// that is final whatever its code (a refused certificate).
    pub fn is_retryable(&self) -> bool {
        self.0.code.is_retryable() && !self.0.permanent
    }

    /// Marks the failure final: trying again cannot help (a certificate the client refuses).
    pub(crate) fn permanent(mut self) -> Error {
        self.0.permanent = true;
        self
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()));
            assert_eq!(ErrorCode::from_str_code(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            let back: ErrorCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, c);
        }
        assert_eq!(ErrorCode::from_str_code("nope"), None);
        let mut rules = std::collections::HashSet::new();
        for r in Rule::ALL {
            assert!(rules.insert(r.as_str()));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }

    #[test]
    fn api_error_items_tolerate_strings_and_odd_shapes() {
        let doc = serde_json::json!({"propertyName": "Charges[0].Amount", "errorMessage": "bad"});
        let item = ApiErrorItem::from_json(&doc);
        assert_eq!(item.property_name.as_deref(), Some("Charges[0].Amount"));
        assert_eq!(item.to_string(), "Charges[0].Amount: bad");
        let s = ApiErrorItem::from_json(&serde_json::json!("plain"));
        assert_eq!((s.property_name, s.error_message.as_str()), (None, "plain"));
        let odd = ApiErrorItem::from_json(&serde_json::json!({}));
        assert_eq!(odd.error_message, "{}");
    }

    #[test]
    fn gateway_text_in_messages_is_capped_and_escaped_but_kept_whole_in_api_errors() {
        let long = "x".repeat(500);
        let items: Vec<ApiErrorItem> = (0..7)
            .map(|i| {
                ApiErrorItem::from_json(&serde_json::json!({
                    "propertyName": "Charges",
                    "errorMessage": format!("bad {i}\nINFO forged log line {long}"),
                }))
            })
            .collect();
        let e = Error::new(ErrorCode::Api, "the gateway reported errors").with_api_errors(items);
        assert!(!e.message().contains('\n'), "{}", e.message());
        assert!(
            e.message().contains("bad 0\\nINFO forged"),
            "{}",
            e.message()
        );
        assert!(e.message().len() < 5 * 220 + 100, "{}", e.message().len());
        assert!(e.message().ends_with("; and 2 more"), "{}", e.message());
        assert_eq!(e.api_errors().len(), 7);
        assert!(e.api_errors()[0].error_message.contains(&long));
    }

    /// Bidirectional overrides reorder what a log viewer shows ("Trojan Source"): escaped like
    /// control characters, while the item keeps the text as sent.
    #[test]
    fn bidi_overrides_in_gateway_text_are_escaped() {
        let sent = "paid \u{202E}0001$ \u{2066}x\u{2069} \u{200F}";
        let item = ApiErrorItem::from_json(&serde_json::json!({"errorMessage": sent}));
        let e =
            Error::new(ErrorCode::Api, "the gateway reported errors").with_api_errors(vec![item]);
        for c in ['\u{202E}', '\u{2066}', '\u{2069}', '\u{200F}'] {
            assert!(!e.message().contains(c), "{:?}", e.message());
        }
        assert!(e.message().contains("\\u{202e}0001$"), "{}", e.message());
        assert_eq!(e.api_errors()[0].error_message, sent);
        assert_eq!(
            printable("caf\u{e9} \u{5d0}", 50),
            "caf\u{e9} \u{5d0}",
            "letters stay"
        );
    }

    #[test]
    fn validation_message_names_every_path() {
        let e = Error::validation(vec![
            FieldError {
                path: "A".into(),
                rule: Rule::Required,
                message: "is required".into(),
            },
            FieldError {
                path: "B[0].C".into(),
                rule: Rule::Type,
                message: "bad".into(),
            },
        ]);
        assert_eq!(e.code(), ErrorCode::Validation);
        assert!(e.to_string().contains("A: is required"));
        assert!(e.to_string().contains("B[0].C: bad"));
    }
}
