//! Webhook payloads.
//!
//! **Decision (the docs are silent, see paystar-api.md §6.4):** Paystar documents no webhook
//! signature (no header, algorithm or secret), and each business unit's payload is a template
//! it configures. So this module only *parses*: it never claims a webhook is authentic. Treat
//! every webhook as an untrusted hint and confirm the session server-to-server before acting on
//! money movement. When Paystar documents a signing scheme, verification lands here.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};

/// A parsed webhook, shaped like the documented example template
/// (`{"action": "{{EventType}}", "payload": {...}}`).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// `action`: the event type, e.g. `Payment.Succeeded` or `AutoPay.Enrolled`.
    pub action: Option<String>,
    /// `payload`, as sent (every value a string in the documented templates).
    pub payload: Map<String, Value>,
    /// The whole body.
    pub raw: Value,
}

impl WebhookEvent {
    /// `payload.sessionIdentifier`, which matches the payment session id.
    pub fn session_identifier(&self) -> Option<&str> {
        self.payload
            .get("sessionIdentifier")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// Parses a webhook body. A body that is not a JSON object is a `decode_error`; a template
/// without `action`/`payload` still parses (`action` is `None`, `payload` the whole object).
pub fn parse(body: &[u8]) -> Result<WebhookEvent> {
    let raw: Value = serde_json::from_slice(body)
        .map_err(|e| Error::new(ErrorCode::Decode, format!("webhook body is not JSON: {e}")))?;
    let Value::Object(obj) = &raw else {
        return Err(Error::new(
            ErrorCode::Decode,
            "webhook body is not a JSON object",
        ));
    };
    let action = obj.get("action").and_then(Value::as_str).map(str::to_owned);
    let payload = match obj.get("payload") {
        Some(Value::Object(p)) => p.clone(),
        _ => obj.clone(),
    };
    Ok(WebhookEvent {
        action,
        payload,
        raw,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_the_documented_example() {
        let body = br#"{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"a6fb5g42-4280-46af-b04e-2c58067bc111","status":"Succeeded","amount":"300.34","serviceFee":"1012"}}"#;
        let e = super::parse(body).unwrap();
        assert_eq!(e.action.as_deref(), Some("Payment.Succeeded"));
        assert_eq!(
            e.session_identifier(),
            Some("a6fb5g42-4280-46af-b04e-2c58067bc111")
        );
        assert_eq!(e.payload["serviceFee"], "1012");
        assert_eq!(
            super::parse(b"[1]").unwrap_err().code(),
            crate::ErrorCode::Decode
        );
        assert_eq!(
            super::parse(b"{").unwrap_err().code(),
            crate::ErrorCode::Decode
        );
        let custom = super::parse(br#"{"accountName":"J"}"#).unwrap();
        assert_eq!(
            (custom.action, custom.payload["accountName"].as_str()),
            (None, Some("J"))
        );
    }
}
