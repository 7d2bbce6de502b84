//! The stable vocabulary of errors: codes, field-error rules, field errors and the gateway's
//! error items. Their string forms are the same in every language.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable kind of an [`Error`](super::Error); its string form ([`ErrorCode::as_str`]) is the same in every
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
    /// A webhook failed authentication or parsing; [`Error::webhook_reason`](super::Error::webhook_reason) says why.
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

    /// The stem of this code's class name in every language: `Validation` is Python's and
    /// Node's `ValidationError` and Kotlin's `PaystarException.Validation`.
    pub const fn class_stem(self) -> &'static str {
        match self {
            ErrorCode::Validation => "Validation",
            ErrorCode::Configuration => "Configuration",
            ErrorCode::Authentication => "Authentication",
            ErrorCode::Api => "Api",
            ErrorCode::RateLimited => "RateLimited",
            ErrorCode::Server => "Server",
            ErrorCode::Timeout => "Timeout",
            ErrorCode::Connection => "Connection",
            ErrorCode::Decode => "Decode",
            ErrorCode::Internal => "Internal",
            ErrorCode::Webhook => "Webhook",
        }
    }

    /// One sentence on when this code is raised: the class's documentation in every language.
    pub const fn summary(self) -> &'static str {
        match self {
            ErrorCode::Validation => {
                "The input breaks a rule; `field_errors` lists every one. No request was sent."
            }
            ErrorCode::Configuration => {
                "A bad API key, base URL, timeout or other option (raised when the client is built, or for bad per-call options); `option` names it."
            }
            ErrorCode::Authentication => "The gateway refused the key (401 or 403).",
            ErrorCode::Api => {
                "The gateway answered `hasErrors: true`, another 4xx or a redirect; `api_errors` holds its items."
            }
            ErrorCode::RateLimited => {
                "429 still failing after retries, or a `Retry-After` too long to wait (`retry_after`)."
            }
            ErrorCode::Server => "5xx still failing after retries.",
            ErrorCode::Timeout => {
                "An attempt timed out and retries ran out (or the overall deadline passed)."
            }
            ErrorCode::Connection => {
                "DNS, connect, TLS or a dropped connection, and retries ran out."
            }
            ErrorCode::Decode => {
                "A 2xx answer that is not the documented envelope (or is over 1 MiB)."
            }
            ErrorCode::Internal => {
                "A bug or a broken runtime inside paystar (never a crash): please report it. Also the class of a code this binding does not know."
            }
            ErrorCode::Webhook => {
                "A webhook failed authentication or parsing; `reason` says why and `response_status` is what the endpoint answers."
            }
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
