//! A session call's answer: the envelope's `data` to a [`Session`].

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{decode_error, has_errors_error, status_error};
use crate::models::{Operation, Session, SessionKind};
use crate::transport::{AttemptError, HttpAnswer};

/// Turns a complete answer into a session, or into the error (and retry input) it stands for.
/// Decision: docs/decisions.md#manage-response.
pub(crate) fn decode_answer(
    op: Operation,
    answer: &HttpAnswer,
    sent_at: OffsetDateTime,
) -> Result<Session, AttemptError> {
    if let Some(e) = status_error(answer) {
        return Err(e);
    }
    let request_id = answer.request_id();
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let decode = |why: &str| decode_error(answer, why);
    let Some(Value::Object(envelope)) = json else {
        return Err(decode("the body is not a JSON object"));
    };
    let Some(has_errors) = envelope.get("hasErrors").and_then(Value::as_bool) else {
        return Err(decode("hasErrors is missing or not a boolean"));
    };
    if has_errors {
        return Err(has_errors_error(answer));
    }
    let Some(Value::Object(data)) = envelope.get("data") else {
        return Err(decode("data is missing or not an object"));
    };
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_owned);
    let Some(kind) = op.kind() else {
        return Err(decode("not a session operation"));
    };
    let (id, url, status_text) = match kind {
        SessionKind::Payment => (
            Some(
                text("PaymentSessionIdentifier")
                    .ok_or_else(|| decode("data.PaymentSessionIdentifier is missing"))?,
            ),
            text("PaymentLogInLink").ok_or_else(|| decode("data.PaymentLogInLink is missing"))?,
            text("Status"),
        ),
        _ => (
            text("SessionIdentifier").or_else(|| text("PaymentSessionIdentifier")),
            text("SessionLink").ok_or_else(|| decode("data.SessionLink is missing"))?,
            text("SessionStatus"),
        ),
    };
    if !matches!(
        url::Url::parse(&url)
            .map(|u| u.scheme().to_owned())
            .as_deref(),
        Ok("https" | "http")
    ) {
        return Err(decode("the session link is not an http(s) URL"));
    }
    let fallback = sent_at + kind.lifetime();
    let expires_at = match kind {
        SessionKind::Payment => fallback,
        _ => text("ValidUntil")
            .and_then(|s| parse_valid_until(&s))
            .unwrap_or(fallback),
    };
    Ok(Session {
        kind,
        id,
        url,
        status: status_text,
        expires_at,
        raw: data.clone(),
        attempts: 0,
        request_id,
        ambiguous: false,
    })
}

/// Reads `ValidUntil`: RFC 3339, or an offset-less ISO date-time taken as UTC (our decision;
/// the format is undocumented), in UTC. A time whose UTC date has no RFC 3339 form (past year
/// 9999) is unreadable, so the fallback applies.
/// Decision: docs/decisions.md#expiry.
pub(crate) fn parse_valid_until(s: &str) -> Option<OffsetDateTime> {
    let t = OffsetDateTime::parse(s, &Rfc3339).ok().or_else(|| {
        time::PrimitiveDateTime::parse(s, &time::format_description::well_known::Iso8601::DEFAULT)
            .ok()
            .map(time::PrimitiveDateTime::assume_utc)
    })?;
    t.checked_to_offset(time::UtcOffset::UTC)
        .filter(|u| (0..=9999).contains(&u.year()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use proptest::prelude::*;
    use reqwest::header::HeaderMap;

    fn answer(status: u16, body: &str) -> HttpAnswer {
        HttpAnswer::of(status, body)
    }

    proptest::proptest! {
        /// Any status, headers and body give a session or a typed error: never a panic.
        #[test]
        fn any_answer_decodes_or_errs(
            status in 100u16..600,
            body in proptest::prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..200),
                "[{}\\[\\]\":,a-zA-Z0-9 ]{0,200}".prop_map(String::into_bytes),
                Just(br#"{"hasErrors":false,"errors":[],"data":{"SessionLink":"https://x.io","ValidUntil":"2030-01-01T00:00:00"}}"#.to_vec()),
            ],
            retry_after in proptest::option::of(".{0,30}"),
            op in 0usize..5,
        ) {
            let mut headers = HeaderMap::new();
            if let Some(v) = retry_after.as_deref().and_then(|v| v.parse().ok()) {
                headers.insert("retry-after", v);
            }
            let a = HttpAnswer { status, headers, body };
            match decode_answer(Operation::ALL[op], &a, OffsetDateTime::now_utc()) {
                Ok(s) => proptest::prop_assert!((200..300).contains(&status) && !s.url.is_empty()),
                Err(e) => proptest::prop_assert_eq!(e.error.status(), Some(status)),
            }
        }
    }

    #[test]
    fn sessions_serialize_for_the_page() {
        let ok = r#"{"hasErrors":false,"errors":[],"data":{"SessionLink":"https://x.io/s","ValidUntil":"2030-01-01T00:00:00Z"}}"#;
        let s = decode_answer(
            Operation::CreateWalletSession,
            &answer(200, ok),
            OffsetDateTime::now_utc(),
        )
        .unwrap();
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["kind"], "wallet");
        assert_eq!(v["url"], "https://x.io/s");
        assert_eq!(v["expires_at"], "2030-01-01T00:00:00Z");
    }

    #[test]
    fn valid_until_forms() {
        assert!(parse_valid_until("2026-11-25T12:00:00Z").is_some());
        assert!(parse_valid_until("2026-11-25T12:00:00+02:00").is_some());
        assert_eq!(
            parse_valid_until("2026-11-25T12:00:00").unwrap(),
            parse_valid_until("2026-11-25T12:00:00Z").unwrap()
        );
        assert!(parse_valid_until("tomorrow").is_none());
        // Past year 9999 in UTC: no RFC 3339 form, so unreadable (and never a panic).
        assert!(parse_valid_until("9999-12-31T23:30:00-05:00").is_none());
        assert_eq!(
            parse_valid_until("2026-11-25T12:00:00+02:00")
                .unwrap()
                .offset(),
            time::UtcOffset::UTC
        );
    }

    #[test]
    fn envelope_shapes() {
        let now = OffsetDateTime::now_utc();
        let ok = r#"{"hasErrors":false,"errors":[],"data":{"PaymentSessionIdentifier":"abc","PaymentLogInLink":"https://dev.paystar.io/app/embedded/x/session/abc","Status":"RequiresPaymentSource"}}"#;
        let s = decode_answer(Operation::CreatePaymentSession, &answer(200, ok), now).unwrap();
        assert_eq!(s.id.as_deref(), Some("abc"));
        assert_eq!(s.expires_at, now + time::Duration::minutes(30));
        let bad = [
            "not json",
            "[]",
            r#"{"errors":[],"data":{}}"#,
            r#"{"hasErrors":false,"data":null}"#,
            r#"{"hasErrors":false,"data":{"PaymentLogInLink":"https://x.io"}}"#,
            r#"{"hasErrors":false,"data":{"PaymentSessionIdentifier":"a","PaymentLogInLink":"javascript:alert(1)"}}"#,
        ];
        for body in bad {
            let e = decode_answer(Operation::CreatePaymentSession, &answer(200, body), now)
                .unwrap_err();
            assert_eq!(e.error.code(), ErrorCode::Decode, "{body}");
        }
        let has = r#"{"hasErrors":true,"errors":[{"propertyName":"Charges","errorMessage":"bad"},"plain"],"data":null}"#;
        let e = decode_answer(Operation::CreatePaymentSession, &answer(200, has), now).unwrap_err();
        assert_eq!(e.error.code(), ErrorCode::Api);
        assert_eq!(e.error.api_errors().len(), 2);
        assert!(e.error.message().contains("Charges: bad"));
    }

    #[test]
    fn statuses_map_to_codes() {
        let now = OffsetDateTime::now_utc();
        for (status, code) in [
            (401, ErrorCode::Authentication),
            (403, ErrorCode::Authentication),
            (404, ErrorCode::Api),
            (409, ErrorCode::Api),
            (408, ErrorCode::Timeout),
            (429, ErrorCode::RateLimited),
            (500, ErrorCode::Server),
            (503, ErrorCode::Server),
            (302, ErrorCode::Api),
        ] {
            let e = decode_answer(Operation::CreateWalletSession, &answer(status, ""), now)
                .unwrap_err();
            assert_eq!(e.error.code(), code, "{status}");
            assert_eq!(e.error.status(), Some(status));
        }
    }
}
