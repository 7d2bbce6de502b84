//! The one error type of the crate, and its stable codes.
//!
//! [`Error::code`] is the contract: bindings map it 1:1 to their own exception classes, and
//! [`ErrorCode::ALL`] lets each of them prove that every code is mapped. [`Error`]'s `Display`
//! is for humans and may change.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The stable kind of an [`Error`]; its string form ([`ErrorCode::as_str`]) is the same in every
/// language binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input breaks a documented rule; no request was sent.
    Validation,
    /// A client option is invalid (API key, base URL, timeouts, proxy).
    Configuration,
    /// The gateway answered 401 or 403.
    Authentication,
    /// The gateway answered `hasErrors: true`, or another 4xx / unexpected status.
    Api,
    /// The gateway answered 429 and retries ran out (or `Retry-After` was too long).
    RateLimited,
    /// The gateway answered 5xx and retries ran out.
    Server,
    /// An attempt timed out (or the overall deadline passed) and retries ran out.
    Timeout,
    /// DNS, connect, TLS or a dropped connection, and retries ran out.
    Connection,
    /// A 2xx answer whose body is not the documented envelope (or is over 1 MiB).
    Decode,
    /// A bug or a broken runtime inside the library (a caught panic, a task that could not
    /// run): never a crash across a language boundary.
    Internal,
    /// A webhook failed authentication or parsing; [`Error::webhook_reason`] says why.
    Webhook,
}

impl ErrorCode {
    /// Every code, for bindings that must prove they map each one.
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Validation,
        ErrorCode::Configuration,
        ErrorCode::Authentication,
        ErrorCode::Api,
        ErrorCode::RateLimited,
        ErrorCode::Server,
        ErrorCode::Timeout,
        ErrorCode::Connection,
        ErrorCode::Decode,
        ErrorCode::Internal,
        ErrorCode::Webhook,
    ];

    /// The stable string form, e.g. `"validation_error"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation_error",
            ErrorCode::Configuration => "configuration_error",
            ErrorCode::Authentication => "authentication_error",
            ErrorCode::Api => "api_error",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Server => "server_error",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Connection => "connection_error",
            ErrorCode::Decode => "decode_error",
            ErrorCode::Internal => "internal_error",
            ErrorCode::Webhook => "webhook_error",
        }
    }

    /// The code whose [`as_str`](Self::as_str) is `s`.
    pub fn from_str_code(s: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether a failure of this kind is retried by the default policy.
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited | ErrorCode::Server | ErrorCode::Timeout | ErrorCode::Connection
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule a [`FieldError`] reports: one enumerated list, the same names in every language
/// (`Rule::ALL` is exported to each binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A required field is missing or blank.
    Required,
    /// The value has the wrong JSON type (or is a value JSON cannot carry: NaN, a `Decimal`).
    Type,
    /// An amount is not a whole number of cents.
    Integer,
    /// An amount is zero or negative.
    PositiveInteger,
    /// A number is over its maximum (2^53 − 1 for amounts).
    MaxValue,
    /// A text is longer than its maximum.
    MaxLength,
    /// A list has too few items.
    MinItems,
    /// A list (or map) has too many items.
    MaxItems,
    /// Not an email address.
    Email,
    /// Not an absolute http(s) URL.
    Url,
    /// Not an RFC 3339 date-time.
    Datetime,
    /// Not a serialized JSON document (`MetaJson`).
    Json,
    /// Not one of the allowed values (`Channel`).
    OneOf,
    /// A field that must not be sent in this combination.
    Forbidden,
    /// Control characters in a text.
    ControlCharacters,
    /// An unknown field name (a typo; the message suggests the likely one).
    UnknownField,
    /// `Extra` names a modelled field.
    Conflict,
    /// The input nests deeper than the bridge accepts, or contains itself.
    MaxDepth,
}

impl Rule {
    /// Every rule, for bindings that export the list.
    pub const ALL: [Rule; 18] = [
        Rule::Required,
        Rule::Type,
        Rule::Integer,
        Rule::PositiveInteger,
        Rule::MaxValue,
        Rule::MaxLength,
        Rule::MinItems,
        Rule::MaxItems,
        Rule::Email,
        Rule::Url,
        Rule::Datetime,
        Rule::Json,
        Rule::OneOf,
        Rule::Forbidden,
        Rule::ControlCharacters,
        Rule::UnknownField,
        Rule::Conflict,
        Rule::MaxDepth,
    ];

    /// The stable name, e.g. `"positive_integer"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::Type => "type",
            Rule::Integer => "integer",
            Rule::PositiveInteger => "positive_integer",
            Rule::MaxValue => "max_value",
            Rule::MaxLength => "max_length",
            Rule::MinItems => "min_items",
            Rule::MaxItems => "max_items",
            Rule::Email => "email",
            Rule::Url => "url",
            Rule::Datetime => "datetime",
            Rule::Json => "json",
            Rule::OneOf => "one_of",
            Rule::Forbidden => "forbidden",
            Rule::ControlCharacters => "control_characters",
            Rule::UnknownField => "unknown_field",
            Rule::Conflict => "conflict",
            Rule::MaxDepth => "max_depth",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule in a request, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Wire path of the field, e.g. `Charges[1].Amount` or `ClientUser.EmailAddress`.
    pub path: String,
    /// The rule broken, e.g. [`Rule::Required`], [`Rule::PositiveInteger`].
    pub rule: Rule,
    /// A human sentence.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// One item of the gateway's `errors` array, carried verbatim.
///
/// The documented shape is `{ "propertyName": ..., "errorMessage": ... }`; a plain string item is
/// kept as `error_message` with no property name, and any other shape is kept in `raw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiErrorItem {
    /// `propertyName`, when the gateway named one.
    pub property_name: Option<String>,
    /// `errorMessage` (or the whole item when it was a string).
    pub error_message: String,
    /// The item exactly as received.
    pub raw: serde_json::Value,
}

impl ApiErrorItem {
    /// Reads one item of an `errors` array, tolerating plain strings and odd shapes.
    pub fn from_json(v: &serde_json::Value) -> ApiErrorItem {
        let text = |key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_owned);
        let error_message = match v {
            serde_json::Value::String(s) => s.clone(),
            _ => text("errorMessage")
                .or_else(|| text("ErrorMessage"))
                .unwrap_or_else(|| v.to_string()),
        };
        let property_name = text("propertyName")
            .or_else(|| text("PropertyName"))
            .filter(|s| !s.is_empty());
        ApiErrorItem {
            property_name,
            error_message,
            raw: v.clone(),
        }
    }
}

impl fmt::Display for ApiErrorItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.property_name {
            Some(p) => write!(f, "{p}: {}", self.error_message),
            None => f.write_str(&self.error_message),
        }
    }
}

/// How many of the gateway's error items a message shows (all are in `api_errors`).
const MAX_ITEMS_SHOWN: usize = 5;
/// How many characters of one item a message shows.
const MAX_ITEM_CHARS: usize = 200;

/// Gateway text made safe for a one-line log: control characters (newlines included) escaped,
/// at most `max` characters, then `...`.
pub(crate) fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything that can go wrong, with a stable [`code`](Error::code).
///
/// Errors raised after a network call carry [`attempts`](Error::attempts) and say whether an
/// earlier attempt may have reached the gateway ([`ambiguous`](Error::ambiguous)). No error ever
/// contains the API key. One pointer wide, so `Result<T>` stays small.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<ErrorInner>);

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
    webhook_reason: Option<crate::webhook::WebhookReason>,
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
            source: None,
        }))
    }

    /// A `webhook_error` with its reason.
    pub(crate) fn webhook(
        reason: crate::webhook::WebhookReason,
        message: impl Into<String>,
    ) -> Error {
        let mut e = Error::new(ErrorCode::Webhook, message);
        e.0.webhook_reason = Some(reason);
        e
    }

    /// A `configuration_error` (for bindings that check their own option types).
    pub fn configuration(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::Configuration, message)
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
    pub fn webhook_reason(&self) -> Option<crate::webhook::WebhookReason> {
        self.0.webhook_reason
    }

    /// The human message (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The message with a leading option name (`base_url: ...`, as core writes it) in the
    /// caller's style: `baseUrl: ...` for [`Case::Camel`](crate::Case::Camel). Bindings show
    /// this one, so a message names the option the way the caller spelled it.
    ///
    /// ```
    /// let e = paystar::Error::configuration("max_retries: must be between 0 and 10");
    /// assert_eq!(e.message_in(paystar::Case::Camel), "maxRetries: must be between 0 and 10");
    /// assert_eq!(e.message_in(paystar::Case::Snake), e.message());
    /// let odd = paystar::Error::configuration("a__b: x");
    /// assert_eq!(odd.message_in(paystar::Case::Camel), "aB: x");
    /// ```
    pub fn message_in(&self, case: crate::Case) -> String {
        let m = self.message();
        let option = m.split_once(':').filter(|(name, _)| {
            self.code() == ErrorCode::Configuration
                && name.contains('_')
                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        });
        match (case, option) {
            (crate::Case::Snake, _) | (_, None) => m.to_owned(),
            (case, Some((name, rest))) => {
                let pascal: String = name
                    .split('_')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next().map_or_else(String::new, |f| {
                            f.to_ascii_uppercase().to_string() + c.as_str()
                        })
                    })
                    .collect();
                format!("{}:{rest}", case.convert(&pascal))
            }
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

    /// Whether retrying the same call later may succeed.
    pub fn is_retryable(&self) -> bool {
        self.0.code.is_retryable()
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
