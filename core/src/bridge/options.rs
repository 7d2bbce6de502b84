//! Client and per-call options from a JSON-like object, in a binding's dialect.

use serde_json::Value;

use super::Dialect;
use crate::config::{ClientBuilder, MAX_MAX_RETRIES, RequestOptions, duration_from_units};
use crate::error::{Error, Result};
use crate::models::input::did_you_mean;

/// What an option holds: how core reads it and how each language's generated declaration
/// types it (`core/tests/generated`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Text.
    Text,
    /// Text that is a secret or may carry one (a key, a proxy URL with credentials): never
    /// shown by a generated `toString`/`repr`.
    Secret,
    /// One of these names.
    Choice(&'static [&'static str]),
    /// A duration, in the dialect's unit (a `java.time.Duration` on the JVM).
    Duration,
    /// A whole number.
    Count,
    /// A flag.
    Flag,
}

/// One option: its name (PascalCase; each binding spells it in its own style), what it holds,
/// and one line of documentation every language's declaration carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// `ApiKey`, `Timeout`, ...
    pub name: &'static str,
    /// What it holds.
    pub kind: OptionKind,
    /// What it does, with its default.
    pub doc: &'static str,
}

const fn spec(name: &'static str, kind: OptionKind, doc: &'static str) -> OptionSpec {
    OptionSpec { name, kind, doc }
}

/// Every client option, in the order each language declares them.
pub const CLIENT_OPTIONS: &[OptionSpec] = &[
    spec(
        "ApiKey",
        OptionKind::Secret,
        "The API key (default: the PAYSTAR_API_KEY environment variable). Never shown.",
    ),
    spec(
        "Environment",
        OptionKind::Choice(&["development", "production"]),
        "`development` (default, or PAYSTAR_ENVIRONMENT) or `production`.",
    ),
    spec(
        "BaseUrl",
        OptionKind::Text,
        "Any https URL instead of the environment's (default: PAYSTAR_BASE_URL when no environment is given; plain http only to loopback, e.g. a MockGateway's url).",
    ),
    spec(
        "Timeout",
        OptionKind::Duration,
        "Per-attempt timeout (default 30 s).",
    ),
    spec(
        "ConnectTimeout",
        OptionKind::Duration,
        "Connect timeout (default 10 s).",
    ),
    spec(
        "MaxRetries",
        OptionKind::Count,
        "Retries after the first attempt (default 2, at most 10).",
    ),
    spec(
        "Deadline",
        OptionKind::Duration,
        "Bound on the whole call, retries included (default: timeout x attempts + backoff).",
    ),
    spec(
        "UserAgentSuffix",
        OptionKind::Text,
        "Appended to the User-Agent (e.g. `shop/1.2`).",
    ),
    spec(
        "Proxy",
        OptionKind::Secret,
        "An explicit proxy URL (HTTPS_PROXY / NO_PROXY are honoured by default). Never shown: it may carry credentials.",
    ),
    spec(
        "NoProxy",
        OptionKind::Text,
        "Hosts reached without the proxy, as NO_PROXY writes them (`.example.com,10.0.0.0/8`).",
    ),
    spec(
        "CaBundle",
        OptionKind::Text,
        "A PEM file of extra trusted roots (a corporate CA), added to the system store and SSL_CERT_FILE.",
    ),
    spec(
        "CaCertificates",
        OptionKind::Text,
        "PEM text of extra trusted roots, like `ca_bundle` without a file.",
    ),
    spec(
        "MaxInFlight",
        OptionKind::Count,
        "Requests in flight at once, 1 to 10,000 (default 100); more calls wait within their deadline.",
    ),
    spec(
        "ClientValidation",
        OptionKind::Flag,
        "Validate requests before sending (default true).",
    ),
    spec(
        "Telemetry",
        OptionKind::Flag,
        "OpenTelemetry spans and metrics for this client's calls when the OpenTelemetry API is installed (default true).",
    ),
];

/// Every per-call option.
pub const CALL_OPTIONS: &[OptionSpec] = &[
    spec(
        "Timeout",
        OptionKind::Duration,
        "Per-attempt timeout for this call.",
    ),
    spec(
        "MaxRetries",
        OptionKind::Count,
        "Retries after the first attempt, for this call.",
    ),
    spec(
        "Traceparent",
        OptionKind::Text,
        "A W3C `traceparent` sent on every attempt (default: the current span's, when telemetry is on).",
    ),
    spec(
        "Tracestate",
        OptionKind::Text,
        "The W3C `tracestate` sent with `traceparent`.",
    ),
];

/// The names of `specs`.
pub fn option_names(specs: &[OptionSpec]) -> Vec<&'static str> {
    specs.iter().map(|s| s.name).collect()
}

/// The options given, by wire name, refusing unknown names with a hint. `null` means "not
/// given" (the default applies).
pub(super) fn known<'a>(
    options: &'a Value,
    names: &[&'static str],
    d: Dialect,
) -> Result<Vec<(&'static str, &'a Value)>> {
    let map = match options {
        Value::Null => return Ok(Vec::new()),
        Value::Object(map) => map,
        _ => return Err(Error::configuration("options: must be an object")),
    };
    let styled: Vec<String> = names.iter().map(|n| d.key(n)).collect();
    let mut out = Vec::with_capacity(map.len());
    for (key, value) in map {
        let Some(i) = styled.iter().position(|s| s == key) else {
            let hint = did_you_mean(key, &styled)
                .map(|c| format!(" (did you mean {c}?)"))
                .unwrap_or_default();
            return Err(Error::unknown_option(
                key,
                format!("is not a known option{hint}; known: {}", styled.join(", ")),
            ));
        };
        if !value.is_null() {
            out.push((names[i], value));
        }
    }
    Ok(out)
}

/// What a missing value most often is, in an option's message.
const UNSET_HINT: &str = "null: read from an environment variable that is not set?";

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// One option's value, read as its type. Messages name the option in the dialect's style and
/// never echo a text value (it could be the key).
pub(super) struct Reader {
    pub(super) d: Dialect,
}

impl Reader {
    pub(super) fn bad(&self, wire: &str, what: String) -> Error {
        Error::option(wire, what)
    }

    pub(super) fn text(&self, wire: &str, v: &Value) -> Result<String> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.bad(wire, format!("must be a string (got {})", type_name(v))))
    }

    pub(super) fn flag(&self, wire: &str, v: &Value) -> Result<bool> {
        v.as_bool().ok_or_else(|| {
            self.bad(
                wire,
                format!("must be true or false (got {})", type_name(v)),
            )
        })
    }

    pub(super) fn duration(&self, wire: &str, v: &Value) -> Result<std::time::Duration> {
        let unit = match self.d.time {
            super::TimeUnit::Seconds => "seconds",
            super::TimeUnit::Milliseconds => "milliseconds",
        };
        let n = v.as_f64().ok_or_else(|| {
            self.bad(
                wire,
                format!("must be a number of {unit} (got {})", type_name(v)),
            )
        })?;
        duration_from_units(&self.d.key(wire), n, self.d.time.secs())
    }

    /// A duration with no 600 s cap (a webhook tolerance; its owner checks the range).
    pub(super) fn span(&self, wire: &str, v: &Value) -> Result<std::time::Duration> {
        v.as_f64()
            .map(|n| n * self.d.time.secs())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
            .ok_or_else(|| {
                self.bad(
                    wire,
                    format!("must be a positive number (got {})", short(v)),
                )
            })
    }

    /// Text, or a list of texts (`secrets`), never echoed.
    pub(super) fn texts(&self, wire: &str, v: &Value) -> Result<Vec<String>> {
        match v {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    // `[os.environ.get("X")]`, `List.of(System.getenv("X"))`: say what it likely is.
                    Value::Null => {
                        Err(self.bad(wire, format!("item {i} is not set ({UNSET_HINT})")))
                    }
                    _ => self.text(wire, item),
                })
                .collect(),
            _ => self.text(wire, v).map(|t| vec![t]),
        }
    }

    /// A whole number (a Unix time).
    pub(super) fn integer(&self, wire: &str, v: &Value) -> Result<i64> {
        #[allow(clippy::cast_possible_truncation)]
        v.as_i64()
            .or_else(|| {
                v.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            })
            .ok_or_else(|| self.bad(wire, format!("must be a whole number (got {})", short(v))))
    }

    pub(super) fn retries(&self, wire: &str, v: &Value) -> Result<u32> {
        let n = self.count(wire, v, 0, u64::from(MAX_MAX_RETRIES))?;
        Ok(u32::try_from(n).unwrap_or(MAX_MAX_RETRIES))
    }

    /// A whole number from `min` to `max` (a whole float, as JavaScript and the JVM send `4.0`,
    /// counts as the integer it is).
    pub(super) fn count(&self, wire: &str, v: &Value, min: u64, max: u64) -> Result<u64> {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let whole = v.as_u64().or_else(|| {
            v.as_f64()
                .filter(|f| f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(f))
                .map(|f| f as u64)
        });
        match whole {
            Some(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(self.bad(
                wire,
                format!(
                    "must be a whole number from {min} to {max} (got {})",
                    short(v)
                ),
            )),
        }
    }
}

/// A number as given, or the value's type: enough to see the mistake, never a secret.
fn short(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        other => type_name(other).to_owned(),
    }
}

/// A builder from client options (`{"api_key": ..., "timeout": 1.5}` for Python), refusing
/// unknown names and wrong types as `configuration_error`s that name the option.
pub fn client_builder(options: &Value, d: Dialect) -> Result<ClientBuilder> {
    let r = Reader { d };
    let mut b = ClientBuilder::default();
    for (wire, v) in known(options, &option_names(CLIENT_OPTIONS), d)? {
        b = match wire {
            "ApiKey" => b.api_key(r.text(wire, v)?),
            "Environment" => b.environment_name(r.text(wire, v)?),
            "BaseUrl" => b.base_url(r.text(wire, v)?),
            "Timeout" => b.timeout(r.duration(wire, v)?),
            "ConnectTimeout" => b.connect_timeout(r.duration(wire, v)?),
            "MaxRetries" => b.max_retries(r.retries(wire, v)?),
            "Deadline" => b.deadline(r.duration(wire, v)?),
            "UserAgentSuffix" => b.user_agent_suffix(r.text(wire, v)?),
            "Proxy" => b.proxy(r.text(wire, v)?),
            "NoProxy" => b.no_proxy(r.text(wire, v)?),
            "CaBundle" => b.ca_bundle(r.text(wire, v)?),
            "CaCertificates" => b.ca_certificates(r.text(wire, v)?),
            "MaxInFlight" => {
                let max = crate::config::MAX_MAX_IN_FLIGHT as u64;
                b.max_in_flight(usize::try_from(r.count(wire, v, 1, max)?).unwrap_or(1))
            }
            "ClientValidation" => b.client_validation(r.flag(wire, v)?),
            "Telemetry" => b.telemetry(r.flag(wire, v)?),
            _ => b,
        };
    }
    Ok(b)
}

/// A client from options, naming the front door in the `User-Agent` (`binding`: `python 3.11`).
pub fn client(options: &Value, d: Dialect, binding: &str) -> Result<crate::Client> {
    client_builder(options, d)?.binding(binding).build()
}

/// Per-call options (`timeout`, `max_retries`).
pub fn call_options(options: &Value, d: Dialect) -> Result<RequestOptions> {
    let r = Reader { d };
    let mut out = RequestOptions::default();
    let (mut parent, mut state) = (None, None);
    for (wire, v) in known(options, &option_names(CALL_OPTIONS), d)? {
        match wire {
            "Timeout" => out.timeout = Some(r.duration(wire, v)?),
            "MaxRetries" => out.max_retries = Some(r.retries(wire, v)?),
            "Traceparent" => parent = Some(r.text(wire, v)?),
            "Tracestate" => state = Some(r.text(wire, v)?),
            _ => {}
        }
    }
    out.trace = match (parent, state) {
        (Some(parent), state) => Some(crate::telemetry::TraceContext::new(parent, state)?),
        (None, Some(_)) => {
            return Err(Error::option("Tracestate", "is sent only with traceparent"));
        }
        (None, None) => None,
    };
    Ok(out)
}
