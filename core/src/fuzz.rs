//! The entry points the cargo-fuzz targets (`core/fuzz`) and their corpus replay
//! (`core/tests/fuzz_corpora.rs`) share: any bytes in, a result or a typed error out, never a
//! panic. Not part of the API.

use time::OffsetDateTime;

use crate::decode::decode_answer;
use crate::models::Operation;
use crate::models::input::{Case, prepare};
use crate::transport::HttpAnswer;

/// The first byte picks the operation, the key style and whether to validate; the rest is JSON.
pub fn request_json(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else {
        return;
    };
    let op = Operation::ALL[usize::from(selector) % Operation::ALL.len()];
    let case = [Case::Pascal, Case::Snake, Case::Camel][usize::from(selector >> 4) % 3];
    let _ = prepare(op, &input, case, selector & 0x80 == 0);
}

/// Byte 0 picks the operation, bytes 1–2 the status; then a `Retry-After` line and the body.
pub fn answer_decode(data: &[u8]) {
    if data.len() < 3 {
        return;
    }
    let op = Operation::ALL[usize::from(data[0]) % Operation::ALL.len()];
    let status = 100 + u16::from_le_bytes([data[1], data[2]]) % 500;
    let rest = &data[3..];
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(v) = std::str::from_utf8(&rest[..split])
        .ok()
        .and_then(|v| v.parse().ok())
    {
        headers.insert("retry-after", v);
    }
    let answer = HttpAnswer {
        status,
        headers,
        body: rest[split..].to_vec(),
    };
    let _ = decode_answer(op, &answer, OffsetDateTime::now_utc());
}

/// Any text as a `Retry-After` value: a wait within a day, or nothing.
pub fn retry_after(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let wait = crate::retry::parse_retry_after(text, std::time::SystemTime::now());
        assert!(wait.is_none_or(|w| w <= crate::retry::MAX_REPORTED_RETRY_AFTER));
    }
}

/// Byte 0 picks the scheme; up to the first newline is a signature header's value, the rest
/// the body: verified, then parsed, then the amount converters checked against their own
/// output (whatever comes back is exact and within ±(2^53 − 1) cents).
pub fn webhook(data: &[u8]) {
    use crate::webhook::{Scheme, WebhookVerifier, dollars_to_cents, minor_units, parse};
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let scheme = Scheme::ALL[usize::from(selector) % Scheme::ALL.len()];
    let secret = if scheme == Scheme::StandardWebhooks {
        "whsec_ZnV6eg=="
    } else {
        "fuzz"
    };
    let split = rest.iter().position(|b| *b == b'\n').unwrap_or(0);
    let (header, body) = rest.split_at(split);
    let value = String::from_utf8_lossy(header).into_owned();
    let headers = [
        ("X-Webhook-Secret", value.as_str()),
        ("X-Webhook-Signature", value.as_str()),
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", value.as_str()),
        ("webhook-signature", value.as_str()),
    ];
    if let Ok(v) = WebhookVerifier::builder(scheme).secret(secret).build() {
        let _ = v.verify_at(body, &headers[..], 1_767_225_600);
    }
    let _ = parse(body);
    if let Ok(text) = std::str::from_utf8(body) {
        for cents in [dollars_to_cents(text), minor_units(text)]
            .into_iter()
            .flatten()
        {
            assert!(cents.unsigned_abs() <= 9_007_199_254_740_991);
            let back = crate::webhook::cents_to_dollars(cents);
            assert_eq!(dollars_to_cents(&back), Some(cents), "{back}");
        }
    }
}
