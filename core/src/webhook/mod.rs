//! Webhooks: authenticate and parse what Paystar posts to your backend.
//!
//! **Paystar's public documentation defines no webhook signing scheme** (no header, algorithm,
//! secret or timestamp; see `docs/decisions.md`, "Webhook authenticity"). Each business unit's
//! payload is a template that Paystar fills in. So you configure what *your* account sends:
//!
//! - [`Scheme::SharedSecret`]: a header whose value equals one of your secrets;
//! - [`Scheme::HmacSha256`]: a header holding the HMAC-SHA256 (hex or base64) of the raw body,
//!   or of `"{timestamp}.{body}"` when a timestamp header is configured;
//! - [`Scheme::StandardWebhooks`]: `webhook-id` / `webhook-timestamp` / `webhook-signature`,
//!   as <https://www.standardwebhooks.com/> specifies.
//!
//! [`WebhookVerifier::verify`] authenticates before it parses, compares in constant time,
//! accepts several secrets at once (rotation), refuses bodies over [`MAX_WEBHOOK_BYTES`], and
//! fails with a `webhook_error` whose [`WebhookReason`] says why. [`parse`] reads a body without
//! authentication. Even an authentic webhook is a *hint*: confirm money movement server-side
//! before acting on it.
//!
//! ```
//! use paystar::webhook::{Scheme, WebhookVerifier, sign, SignOptions};
//!
//! let verifier = WebhookVerifier::builder(Scheme::HmacSha256).secret("whsk_new").secret("whsk_old").build()?;
//! let body = br#"{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_1","referenceNumber":"R1","amount":"300.34","serviceFee":"1012"}}"#;
//! let headers = sign(body, &SignOptions::new(Scheme::HmacSha256, "whsk_old"))?;
//! let event = verifier.verify(body, &headers)?;
//! assert_eq!(event.amount_cents(), Some(30034));
//! assert_eq!(event.service_fee_cents(), Some(1012));
//! assert_eq!(event.idempotency_key(), "Payment.Succeeded:ps_1:R1");
//! # Ok::<(), paystar::Error>(())
//! ```

mod amount;
mod endpoint;
pub mod templates;
mod verify;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

pub(crate) use amount::cents_to_dollars;
pub use amount::{dollars_to_cents, minor_units};
pub use endpoint::{
    Answer, Claim, DEFAULT_DONE_TTL, DEFAULT_LEASE, DONE, DedupeStore, Delivery, Endpoint, Handled,
    MAX_DONE_TTL, MAX_LEASE, MAX_STORE_KEY_BYTES, MEMORY_STORE_MAX_KEYS, MemoryStore, PENDING,
    Reception, STORE_KEY_PREFIX, Settlement, StoreAction, after_claim, settlement, store_key,
    succeeded,
};
pub use verify::{
    DEFAULT_SECRET_HEADER, DEFAULT_SIGNATURE_HEADER, DEFAULT_TOLERANCE, Headers, Scheme,
    SignOptions, SignatureEncoding, WebhookVerifier, WebhookVerifierBuilder, sign,
};

pub use crate::error::WebhookReason;
use crate::error::{Error, Result};

/// The largest webhook body accepted: 256 KiB (the documented template is under 1 KiB).
pub const MAX_WEBHOOK_BYTES: usize = 256 * 1024;

/// A parsed webhook, read the way the documented example template is shaped
/// (`{"action": "{{EventType}}", "payload": {...}}`), with typed accessors. A template without
/// `payload` is read flat (the whole object is the payload); a field the template lacks, or
/// leaves empty (`""`), is `None`, never an error.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// `action`: the event type, e.g. `Payment.Succeeded` or `AutoPay.Enrolled`.
    pub action: Option<String>,
    /// `payload`, as sent (every value a string in the documented templates).
    pub payload: Map<String, Value>,
    /// The whole body.
    pub raw: Value,
    amount_cents: Option<i64>,
    service_fee_cents: Option<i64>,
    idempotency_key: String,
}

impl WebhookEvent {
    /// A payload field as text: its key as documented (`sessionIdentifier`) or in any case;
    /// a number as its JSON text; `None` when absent, empty, or neither text nor number.
    pub fn text(&self, key: &str) -> Option<String> {
        match payload_value(self, key)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// `payload.sessionIdentifier`: the payment session's id (`Session.id`).
    pub fn session_identifier(&self) -> Option<String> {
        self.text("sessionIdentifier")
    }

    /// `payload.status`, e.g. `Succeeded`.
    pub fn status(&self) -> Option<String> {
        self.text("status")
    }

    /// `payload.referenceNumber`: Paystar's reference for the payment.
    pub fn reference_number(&self) -> Option<String> {
        self.text("referenceNumber")
    }

    /// `payload.accountNumber`.
    pub fn account_number(&self) -> Option<String> {
        self.text("accountNumber")
    }

    /// `payload.accountName`.
    pub fn account_name(&self) -> Option<String> {
        self.text("accountName")
    }

    /// `payload.amount` (decimal dollars, `"300.34"`) in cents, converted exactly
    /// ([`dollars_to_cents`]).
    pub fn amount_cents(&self) -> Option<i64> {
        self.amount_cents
    }

    /// `payload.serviceFee` (minor units, `"1012"`) in cents ([`minor_units`]).
    pub fn service_fee_cents(&self) -> Option<i64> {
        self.service_fee_cents
    }

    /// A key that is the same for every delivery of one event, for de-duplicating
    /// redeliveries: `action:sessionIdentifier:referenceNumber`, or, when the template carries
    /// neither id, `sha256:` and the hex SHA-256 of the body. At most 184 bytes of printable
    /// ASCII without spaces (a database column or a cache key holds it): a longer or stranger
    /// one is `sha256:` and the hex SHA-256 of it.
    /// Decision: docs/decisions.md#webhook-dedupe.
    pub fn idempotency_key(&self) -> &str {
        &self.idempotency_key
    }
}

/// A payload field by its documented name, or in any case.
fn payload_value<'e>(e: &'e WebhookEvent, key: &str) -> Option<&'e Value> {
    e.payload.get(key).or_else(|| {
        e.payload
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The literal text of the number at `key` in the body's payload (found as
/// [`payload_value`] finds it), read without converting it.
fn number_literal(body: &[u8], key: &str) -> Option<String> {
    type Raw<'a> = std::collections::BTreeMap<String, &'a serde_json::value::RawValue>;
    let top: Raw<'_> = serde_json::from_slice(body).ok()?;
    let payload: Raw<'_> = match top.get("payload") {
        Some(p) if p.get().trim_start().starts_with('{') => serde_json::from_str(p.get()).ok()?,
        _ => top,
    };
    let raw = match payload.get(key) {
        Some(exact) => exact,
        None => {
            // In another case: only when one key matches (which one `payload_value` took among
            // several depends on the body's order, so none is taken: the amount is refused).
            let mut found = payload.iter().filter(|(k, _)| k.eq_ignore_ascii_case(key));
            match (found.next(), found.next()) {
                (Some((_, v)), None) => v,
                _ => return None,
            }
        }
    };
    Some(raw.get().trim().to_owned())
}

/// Parses a webhook body without authenticating it (use a [`WebhookVerifier`] for that).
/// Fails with a `webhook_error`: `too_large`, `not_json`, `not_object`, or `invalid_amount`
/// when `amount` / `serviceFee` is present and not an exact amount (money is never guessed).
pub fn parse(body: &[u8]) -> Result<WebhookEvent> {
    if body.len() > MAX_WEBHOOK_BYTES {
        return Err(Error::webhook(
            WebhookReason::TooLarge,
            format!(
                "webhook body is {} bytes, over the {MAX_WEBHOOK_BYTES}-byte limit",
                body.len()
            ),
        ));
    }
    let raw: Value = serde_json::from_slice(body).map_err(|e| {
        Error::webhook(
            WebhookReason::NotJson,
            format!("webhook body is not JSON: {e}"),
        )
    })?;
    let Value::Object(obj) = &raw else {
        return Err(Error::webhook(
            WebhookReason::NotObject,
            "webhook body is not a JSON object",
        ));
    };
    let action = match obj.get("action") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let payload = match obj.get("payload") {
        Some(Value::Object(p)) => p.clone(),
        _ => obj.clone(),
    };
    let mut event = WebhookEvent {
        action,
        payload,
        raw: raw.clone(),
        amount_cents: None,
        service_fee_cents: None,
        idempotency_key: String::new(),
    };
    event.amount_cents = money(&event, body, "amount", "decimal dollars", dollars_to_cents)?;
    event.service_fee_cents = money(&event, body, "serviceFee", "whole cents", minor_units)?;
    let (sid, reference) = (event.session_identifier(), event.reference_number());
    event.idempotency_key = if sid.is_some() || reference.is_some() {
        endpoint::bounded_key(&format!(
            "{}:{}:{}",
            event.action.as_deref().unwrap_or_default(),
            sid.unwrap_or_default(),
            reference.unwrap_or_default()
        ))
    } else {
        let digest = Sha256::digest(body);
        format!("sha256:{}", verify::hex(&digest))
    };
    Ok(event)
}

/// A money field through `convert`, `None` when absent or empty, `invalid_amount` otherwise.
/// A JSON number is read from its literal text in `body` (never through `f64`, which would
/// round 90071992547409.91), so `300.34` and `"300.34"` convert alike and exactly.
fn money(
    e: &WebhookEvent,
    body: &[u8],
    key: &str,
    unit: &str,
    convert: fn(&str) -> Option<i64>,
) -> Result<Option<i64>> {
    let text = match payload_value(e, key) {
        // No literal found (keys differing only in case): refused below, never guessed.
        Some(Value::Number(_)) => Some(number_literal(body, key).unwrap_or_default()),
        _ => e.text(key),
    };
    let Some(text) = text else {
        return Ok(None);
    };
    match convert(&text) {
        Some(cents) => Ok(Some(cents)),
        None => Err(Error::webhook(
            WebhookReason::InvalidAmount,
            format!(
                "webhook payload.{key} is {:?}, not an exact amount in {unit}",
                crate::error::printable(&text, 40)
            ),
        )),
    }
}

#[cfg(test)]
mod tests;
