//! The three authentication schemes, and signing for tests and the mock (Paystar documents
//! none: docs/decisions.md#webhook-auth).

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{MAX_WEBHOOK_BYTES, WebhookEvent, WebhookReason, parse};
use crate::error::{Error, Result};

/// **Decision:** the header `shared_secret` reads unless told otherwise. Paystar documents no
/// header name; set the one your account's webhook configuration sends.
pub const DEFAULT_SECRET_HEADER: &str = "X-Webhook-Secret";
/// **Decision:** the header `hmac_sha256` reads unless told otherwise (see above).
pub const DEFAULT_SIGNATURE_HEADER: &str = "X-Webhook-Signature";
/// How far a signed timestamp may be from now, either way: 5 minutes (Standard Webhooks'
/// recommendation).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);
/// The largest tolerance accepted: 7 days.
const MAX_TOLERANCE: Duration = Duration::from_secs(7 * 86_400);
/// How many secrets a verifier holds at once (rotation needs two or three).
const MAX_SECRETS: usize = 16;

const SW_ID: &str = "webhook-id";
const SW_TIMESTAMP: &str = "webhook-timestamp";
const SW_SIGNATURE: &str = "webhook-signature";

/// How a webhook proves it comes from your Paystar account (on the JVM: `WebhookScheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Enum),
    uniffi(name = "WebhookScheme")
)]
pub enum Scheme {
    /// A header whose value is one of the secrets.
    SharedSecret,
    /// A header holding the HMAC-SHA256 of the body (or of `"{timestamp}.{body}"`).
    HmacSha256,
    /// The Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    StandardWebhooks,
}

impl Scheme {
    /// Every scheme.
    pub const ALL: [Scheme; 3] = [
        Scheme::SharedSecret,
        Scheme::HmacSha256,
        Scheme::StandardWebhooks,
    ];

    /// The stable name: `shared_secret`, `hmac_sha256`, `standard_webhooks`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::SharedSecret => "shared_secret",
            Scheme::HmacSha256 => "hmac_sha256",
            Scheme::StandardWebhooks => "standard_webhooks",
        }
    }

    /// The header carrying the secret or signature unless one is named.
    const fn default_header(self) -> &'static str {
        match self {
            Scheme::SharedSecret => DEFAULT_SECRET_HEADER,
            Scheme::HmacSha256 => DEFAULT_SIGNATURE_HEADER,
            Scheme::StandardWebhooks => SW_SIGNATURE,
        }
    }

    /// The scheme named `name` (as [`as_str`](Self::as_str) gives it, in any case, `-` or `_`).
    pub fn from_name(name: &str) -> Option<Scheme> {
        let n = name.replace('-', "_").to_ascii_lowercase();
        Scheme::ALL.into_iter().find(|s| s.as_str() == n)
    }
}

/// How an `hmac_sha256` signature is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SignatureEncoding {
    /// Lower- or upper-case hex (the default).
    #[default]
    Hex,
    /// Standard base64, padded.
    Base64,
}

impl SignatureEncoding {
    /// `hex` or `base64`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignatureEncoding::Hex => "hex",
            SignatureEncoding::Base64 => "base64",
        }
    }

    /// The encoding named `name` (any case).
    pub fn from_name(name: &str) -> Option<SignatureEncoding> {
        [SignatureEncoding::Hex, SignatureEncoding::Base64]
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(name))
    }

    fn encode(self, bytes: &[u8]) -> String {
        match self {
            SignatureEncoding::Hex => hex(bytes),
            SignatureEncoding::Base64 => BASE64.encode(bytes),
        }
    }

    fn decode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            SignatureEncoding::Hex => unhex(text),
            SignatureEncoding::Base64 => BASE64.decode(text).ok(),
        }
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Request headers, looked up by name case-insensitively. Implemented for lists of pairs,
/// maps of names to values, and `http::HeaderMap` (hyper's, axum's).
pub trait Headers {
    /// Every value of the header `name` (compared case-insensitively), in order.
    fn values(&self, name: &str) -> Vec<&str>;
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for [(K, V)] {
    fn values(&self, name: &str) -> Vec<&str> {
        self.iter()
            .filter(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for Vec<(K, V)> {
    fn values(&self, name: &str) -> Vec<&str> {
        self.as_slice().values(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> Headers for std::collections::HashMap<K, V, S> {
    fn values(&self, name: &str) -> Vec<&str> {
        self.iter()
            .filter(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Headers for std::collections::BTreeMap<K, V> {
    fn values(&self, name: &str) -> Vec<&str> {
        self.iter()
            .filter(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
            .collect()
    }
}

impl Headers for hyper::HeaderMap {
    fn values(&self, name: &str) -> Vec<&str> {
        self.get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    }
}

/// A valid header name (an HTTP token).
fn header_name(option: &str, name: &str) -> Result<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Err(Error::option(
            option,
            format!(
                "{:?} is not an HTTP header name",
                crate::error::printable(name, 40)
            ),
        ));
    }
    Ok(name.to_owned())
}

/// The key bytes of a secret: Standard Webhooks' `whsec_<base64>` decoded; others as UTF-8.
fn key_bytes(scheme: Scheme, option: &str, secret: &str) -> Result<Vec<u8>> {
    if secret.is_empty() {
        return Err(Error::option(option, "a secret must not be empty"));
    }
    if scheme != Scheme::StandardWebhooks {
        return Ok(secret.as_bytes().to_vec());
    }
    BASE64
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            Error::option(
                option,
                "a standard_webhooks secret is whsec_ followed by base64",
            )
        })
}

fn refuse(reason: WebhookReason, message: impl Into<String>) -> Error {
    Error::webhook(reason, message)
}

/// Authenticates webhook deliveries, then parses them. Build one at startup with
/// [`WebhookVerifier::builder`] and share it; verification is pure CPU (no I/O, no locks).
///
/// Its `Debug` form shows the scheme and header names, never a secret.
pub struct WebhookVerifier {
    scheme: Scheme,
    keys: Vec<SecretSlice<u8>>,
    header: String,
    encoding: SignatureEncoding,
    timestamp_header: Option<String>,
    tolerance: Duration,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("scheme", &self.scheme.as_str())
            .field("secrets", &self.keys.len())
            .field("header", &self.header)
            .field("encoding", &self.encoding.as_str())
            .field("timestamp_header", &self.timestamp_header)
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Configures a [`WebhookVerifier`]; [`build`](Self::build) checks every option.
#[derive(Debug, Clone)]
pub struct WebhookVerifierBuilder {
    scheme: Scheme,
    secrets: Vec<secrecy::SecretString>,
    header: Option<String>,
    encoding: Option<SignatureEncoding>,
    timestamp_header: Option<String>,
    tolerance: Option<Duration>,
}

impl WebhookVerifierBuilder {
    /// Adds a secret; add the new one and the old one while rotating.
    #[must_use]
    pub fn secret(mut self, secret: impl Into<String>) -> Self {
        self.secrets
            .push(secrecy::SecretString::from(secret.into()));
        self
    }

    /// The header carrying the secret or signature (default [`DEFAULT_SECRET_HEADER`] /
    /// [`DEFAULT_SIGNATURE_HEADER`]; not for `standard_webhooks`, whose names are fixed).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>) -> Self {
        self.header = Some(name.into());
        self
    }

    /// How an `hmac_sha256` signature is encoded (default hex).
    #[must_use]
    pub fn encoding(mut self, encoding: SignatureEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// For `hmac_sha256`: the header with the Unix time (seconds) of signing; the signed text
    /// is then `"{timestamp}.{body}"` and the time must be within the tolerance.
    #[must_use]
    pub fn timestamp_header(mut self, name: impl Into<String>) -> Self {
        self.timestamp_header = Some(name.into());
        self
    }

    /// How far a signed timestamp may be from now, either way (default [`DEFAULT_TOLERANCE`],
    /// at most 7 days).
    #[must_use]
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// The verifier, or a `configuration_error` naming the option.
    pub fn build(self) -> Result<WebhookVerifier> {
        let scheme = self.scheme;
        if self.secrets.is_empty() {
            return Err(Error::option(
                "secrets",
                "at least one secret is needed (none given: read from an environment variable that is not set?)",
            ));
        }
        if self.secrets.len() > MAX_SECRETS {
            return Err(Error::option(
                "secrets",
                format!("at most {MAX_SECRETS} at once"),
            ));
        }
        let keys = self
            .secrets
            .iter()
            .map(|s| key_bytes(scheme, "secrets", s.expose_secret()).map(SecretSlice::from))
            .collect::<Result<Vec<_>>>()?;
        let only = |option: &str, given: bool, allowed: bool, what: &str| {
            if given && !allowed {
                Err(Error::option(
                    option,
                    format!("not used by {} ({what})", scheme.as_str()),
                ))
            } else {
                Ok(())
            }
        };
        let fixed = "its headers are webhook-id, webhook-timestamp and webhook-signature";
        only(
            "header",
            self.header.is_some(),
            scheme != Scheme::StandardWebhooks,
            fixed,
        )?;
        only(
            "encoding",
            self.encoding.is_some(),
            scheme == Scheme::HmacSha256,
            "only hmac_sha256 encodes a signature",
        )?;
        only(
            "timestamp_header",
            self.timestamp_header.is_some(),
            scheme == Scheme::HmacSha256,
            "only hmac_sha256 takes a timestamp header",
        )?;
        let header = match self.header {
            Some(h) => header_name("header", &h)?,
            None => scheme.default_header().to_owned(),
        };
        let timestamp_header = self
            .timestamp_header
            .map(|h| header_name("timestamp_header", &h))
            .transpose()?;
        let tolerance = self.tolerance.unwrap_or(DEFAULT_TOLERANCE);
        if tolerance < Duration::from_secs(1) || tolerance > MAX_TOLERANCE {
            return Err(Error::option(
                "tolerance",
                "must be between 1 second and 7 days",
            ));
        }
        Ok(WebhookVerifier {
            scheme,
            keys,
            header,
            encoding: self.encoding.unwrap_or_default(),
            timestamp_header,
            tolerance,
        })
    }
}

fn now_unix() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    for p in parts {
        mac.update(p);
    }
    mac
}

impl WebhookVerifier {
    /// Starts a verifier for `scheme`.
    pub fn builder(scheme: Scheme) -> WebhookVerifierBuilder {
        WebhookVerifierBuilder {
            scheme,
            secrets: Vec::new(),
            header: None,
            encoding: None,
            timestamp_header: None,
            tolerance: None,
        }
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The headers a delivery's verification reads, for servers that look headers up one name
    /// at a time (a servlet's `getHeader`): the secret or signature header, then the timestamp
    /// header when one is configured; Standard Webhooks' three.
    pub fn header_names(&self) -> Vec<&str> {
        match self.scheme {
            Scheme::StandardWebhooks => vec![SW_ID, SW_TIMESTAMP, SW_SIGNATURE],
            _ => std::iter::once(self.header.as_str())
                .chain(self.timestamp_header.as_deref())
                .collect(),
        }
    }

    /// Authenticates `body` (the raw bytes, exactly as received) against `headers`, then
    /// parses it. Fails with a `webhook_error` ([`Error::webhook_reason`] says why).
    pub fn verify<H: Headers + ?Sized>(&self, body: &[u8], headers: &H) -> Result<WebhookEvent> {
        self.verify_at(body, headers, now_unix())
    }

    /// [`verify`](Self::verify) as if the time were `now` (Unix seconds): for tests.
    pub fn verify_at<H: Headers + ?Sized>(
        &self,
        body: &[u8],
        headers: &H,
        now: i64,
    ) -> Result<WebhookEvent> {
        if body.len() > MAX_WEBHOOK_BYTES {
            return parse(body);
        }
        match self.scheme {
            Scheme::SharedSecret => self.shared_secret(headers)?,
            Scheme::HmacSha256 => self.hmac_sha256(body, headers, now)?,
            Scheme::StandardWebhooks => self.standard(body, headers, now)?,
        }
        parse(body)
    }

    fn required<'h, H: Headers + ?Sized>(headers: &'h H, name: &str) -> Result<Vec<&'h str>> {
        let values = headers.values(name);
        if values.is_empty() {
            return Err(refuse(
                WebhookReason::MissingHeader,
                format!("webhook header {name} is missing"),
            ));
        }
        Ok(values)
    }

    fn shared_secret<H: Headers + ?Sized>(&self, headers: &H) -> Result<()> {
        let values = Self::required(headers, &self.header)?;
        // Hashing both sides first makes the comparison constant-time in the length too.
        let matched = values.iter().any(|v| {
            let given = Sha256::digest(v.trim().as_bytes());
            self.keys
                .iter()
                .any(|k| bool::from(Sha256::digest(k.expose_secret()).ct_eq(&given)))
        });
        self.mismatch_unless(matched)
    }

    /// Whether any secret's HMAC of `parts` is one of `signatures` (constant-time compares).
    fn any_signs(&self, parts: &[&[u8]], signatures: &[Vec<u8>]) -> bool {
        self.keys.iter().any(|k| {
            let mac = hmac(k.expose_secret(), parts).finalize().into_bytes();
            signatures
                .iter()
                .any(|s| bool::from(mac.as_slice().ct_eq(s)))
        })
    }

    fn mismatch_unless(&self, matched: bool) -> Result<()> {
        if matched {
            Ok(())
        } else {
            Err(refuse(
                WebhookReason::SignatureMismatch,
                format!(
                    "webhook {} does not match any configured secret ({} scheme)",
                    self.header,
                    self.scheme.as_str()
                ),
            ))
        }
    }

    fn timestamp<H: Headers + ?Sized>(&self, headers: &H, name: &str, now: i64) -> Result<String> {
        let text = Self::required(headers, name)?[0].trim().to_owned();
        let Some(t) = text.parse::<i64>().ok().filter(|_| text.len() <= 12) else {
            return Err(refuse(
                WebhookReason::MalformedHeader,
                format!("webhook header {name} is not a Unix time in seconds"),
            ));
        };
        let tolerance = i64::try_from(self.tolerance.as_secs()).unwrap_or(i64::MAX);
        let age = now.saturating_sub(t);
        if age > tolerance {
            return Err(refuse(
                WebhookReason::TimestampTooOld,
                format!("webhook {name} is {age} s old, over the {tolerance} s tolerance"),
            ));
        }
        if -age > tolerance {
            return Err(refuse(
                WebhookReason::TimestampInFuture,
                format!(
                    "webhook {name} is {} s ahead, over the {tolerance} s tolerance",
                    -age
                ),
            ));
        }
        Ok(text)
    }

    fn hmac_sha256<H: Headers + ?Sized>(&self, body: &[u8], headers: &H, now: i64) -> Result<()> {
        let values = Self::required(headers, &self.header)?;
        let stamp = match &self.timestamp_header {
            Some(name) => Some(self.timestamp(headers, name, now)?),
            None => None,
        };
        let signatures: Vec<Vec<u8>> = values
            .iter()
            .flat_map(|v| v.split(','))
            .filter_map(|v| {
                let v = v.trim();
                self.encoding.decode(v.strip_prefix("sha256=").unwrap_or(v))
            })
            .collect();
        if signatures.is_empty() {
            return Err(refuse(
                WebhookReason::MalformedHeader,
                format!(
                    "webhook header {} is not a {} HMAC-SHA256 signature",
                    self.header,
                    self.encoding.as_str()
                ),
            ));
        }
        let parts: Vec<&[u8]> = match &stamp {
            Some(t) => vec![t.as_bytes(), b".", body],
            None => vec![body],
        };
        self.mismatch_unless(self.any_signs(&parts, &signatures))
    }

    fn standard<H: Headers + ?Sized>(&self, body: &[u8], headers: &H, now: i64) -> Result<()> {
        let id = Self::required(headers, SW_ID)?[0].trim().to_owned();
        let values = Self::required(headers, SW_SIGNATURE)?;
        let stamp = self.timestamp(headers, SW_TIMESTAMP, now)?;
        let signatures: Vec<Vec<u8>> = values
            .iter()
            .flat_map(|v| v.split_whitespace())
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|sig| BASE64.decode(sig).ok())
            .collect();
        if signatures.is_empty() {
            return Err(refuse(
                WebhookReason::MalformedHeader,
                "webhook header webhook-signature has no v1 signature",
            ));
        }
        let parts: [&[u8]; 5] = [id.as_bytes(), b".", stamp.as_bytes(), b".", body];
        self.mismatch_unless(self.any_signs(&parts, &signatures))
    }
}

/// What [`sign`] signs with: for tests, and for the mock's deliveries.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// The scheme.
    pub scheme: Scheme,
    /// The secret (for `standard_webhooks`, `whsec_` and base64).
    pub secret: secrecy::SecretString,
    /// The header name (defaults as for the verifier).
    pub header: Option<String>,
    /// The `hmac_sha256` encoding.
    pub encoding: SignatureEncoding,
    /// For `hmac_sha256`: also send this timestamp header, and sign `"{timestamp}.{body}"`.
    pub timestamp_header: Option<String>,
    /// The Unix time to sign with (default now).
    pub timestamp: Option<i64>,
    /// The `webhook-id` (default `msg_` and 32 hex digits of the body's SHA-256, so
    /// redeliveries of one body share it).
    pub id: Option<String>,
}

impl SignOptions {
    /// Signs with `scheme` and `secret`, every other option at its default.
    pub fn new(scheme: Scheme, secret: impl Into<String>) -> SignOptions {
        SignOptions {
            scheme,
            secret: secrecy::SecretString::from(secret.into()),
            header: None,
            encoding: SignatureEncoding::Hex,
            timestamp_header: None,
            timestamp: None,
            id: None,
        }
    }
}

/// The headers a sender using `options` attaches to `body`, as `(name, value)` pairs: what the
/// mock sends, and what tests of a webhook endpoint need.
pub fn sign(body: &[u8], options: &SignOptions) -> Result<Vec<(String, String)>> {
    let scheme = options.scheme;
    let key = key_bytes(scheme, "secret", options.secret.expose_secret())?;
    let stamp = options.timestamp.unwrap_or_else(now_unix).to_string();
    let header = match &options.header {
        Some(h) if scheme != Scheme::StandardWebhooks => header_name("header", h)?,
        _ => scheme.default_header().to_owned(),
    };
    Ok(match scheme {
        Scheme::SharedSecret => vec![(header, options.secret.expose_secret().to_owned())],
        Scheme::HmacSha256 => {
            let ts = options
                .timestamp_header
                .as_deref()
                .map(|h| header_name("timestamp_header", h))
                .transpose()?;
            let parts: Vec<&[u8]> = match &ts {
                Some(_) => vec![stamp.as_bytes(), b".", body],
                None => vec![body],
            };
            let mac = hmac(&key, &parts).finalize().into_bytes();
            let mut out = vec![(header, options.encoding.encode(&mac))];
            out.extend(ts.map(|h| (h, stamp.clone())));
            out
        }
        Scheme::StandardWebhooks => {
            let id = options
                .id
                .clone()
                .unwrap_or_else(|| format!("msg_{}", &hex(&Sha256::digest(body))[..32]));
            let parts: [&[u8]; 5] = [id.as_bytes(), b".", stamp.as_bytes(), b".", body];
            let mac = hmac(&key, &parts).finalize().into_bytes();
            vec![
                (SW_ID.to_owned(), id),
                (SW_TIMESTAMP.to_owned(), stamp),
                (
                    SW_SIGNATURE.to_owned(),
                    format!("v1,{}", BASE64.encode(mac)),
                ),
            ]
        }
    })
}
