use super::*;
use crate::ErrorCode;

const DOC_EXAMPLE: &[u8] = br#"{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"a6fb5g42-4280-46af-b04e-2c58067bc111","status":"Succeeded","referenceNumber":"NYDVNT-WSQPG","amount":"300.34","accountNumber":"123-45","accountName":"John Smith","paymentIdentifier":"","amountFormatted":"$300.34","serviceFee":"1012"}}"#;

fn reason(r: Result<WebhookEvent>) -> &'static str {
    let e = r.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Webhook);
    e.webhook_reason().unwrap().as_str()
}

#[test]
fn parses_the_documented_example() {
    let e = parse(DOC_EXAMPLE).unwrap();
    assert_eq!(e.action.as_deref(), Some("Payment.Succeeded"));
    assert_eq!(
        e.session_identifier().as_deref(),
        Some("a6fb5g42-4280-46af-b04e-2c58067bc111")
    );
    assert_eq!(e.amount_cents(), Some(30034));
    assert_eq!(e.service_fee_cents(), Some(1012));
    assert_eq!(e.account_name().as_deref(), Some("John Smith"));
    assert_eq!(e.text("paymentIdentifier"), None, "empty is absent");
    assert_eq!(
        e.idempotency_key(),
        "Payment.Succeeded:a6fb5g42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG"
    );
    assert_eq!(reason(parse(b"[1]")), "not_object");
    assert_eq!(reason(parse(b"{")), "not_json");
    let custom = parse(br#"{"accountName":"J"}"#).unwrap();
    assert_eq!(
        (custom.action.clone(), custom.account_name()),
        (None, Some("J".into()))
    );
    assert!(custom.idempotency_key.starts_with("sha256:"));
    assert_eq!(
        reason(parse(br#"{"payload":{"amount":"3.001"}}"#)),
        "invalid_amount"
    );
}

/// The test vector published with the Standard Webhooks reference libraries.
#[test]
fn standard_webhooks_reference_vector() {
    let body = br#"{"test": 2432232314}"#;
    let headers = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        (
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ];
    let v = WebhookVerifier::builder(Scheme::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    v.verify_at(body, &headers[..], 1_614_265_330).unwrap();
    let mut opts = SignOptions::new(
        Scheme::StandardWebhooks,
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    opts.timestamp = Some(1_614_265_330);
    opts.id = Some("msg_p5jXN8AQM9LWM0D4loKWxJek".into());
    let signed = sign(body, &opts).unwrap();
    assert_eq!(signed[2].1, headers[2].1);
    assert_eq!(reason(v.verify(body, &headers[..])), "timestamp_too_old");
}

#[test]
fn every_scheme_round_trips_and_rotates() {
    for scheme in Scheme::ALL {
        let (old, new) = if scheme == Scheme::StandardWebhooks {
            ("whsec_b2xkLXNlY3JldC1rZXk=", "whsec_bmV3LXNlY3JldC1rZXk=")
        } else {
            ("old-secret", "new-secret")
        };
        let v = WebhookVerifier::builder(scheme)
            .secret(new)
            .secret(old)
            .build()
            .unwrap();
        for secret in [old, new] {
            let headers = sign(DOC_EXAMPLE, &SignOptions::new(scheme, secret)).unwrap();
            assert!(v.verify(DOC_EXAMPLE, &headers).is_ok(), "{scheme:?}");
            let mut tampered = DOC_EXAMPLE.to_vec();
            tampered[60] ^= 1;
            assert_eq!(
                reason(v.verify(&tampered, &headers)),
                if scheme == Scheme::SharedSecret {
                    "not_json"
                } else {
                    "signature_mismatch"
                }
            );
        }
        let other = if scheme == Scheme::StandardWebhooks {
            "whsec_b3RoZXI="
        } else {
            "other"
        };
        let headers = sign(DOC_EXAMPLE, &SignOptions::new(scheme, other)).unwrap();
        assert_eq!(
            reason(v.verify(DOC_EXAMPLE, &headers)),
            "signature_mismatch"
        );
        assert_eq!(
            reason(v.verify(DOC_EXAMPLE, &Vec::<(String, String)>::new())),
            "missing_header"
        );
        let debug = format!("{v:?}");
        assert!(
            !debug.contains("secret-") && !debug.contains("whsec"),
            "{debug}"
        );
    }
}

#[test]
fn options_are_checked() {
    let err = |b: WebhookVerifierBuilder| b.build().unwrap_err().to_string();
    assert!(err(WebhookVerifier::builder(Scheme::HmacSha256)).starts_with("secrets:"));
    assert!(err(WebhookVerifier::builder(Scheme::HmacSha256).secret("")).starts_with("secrets:"));
    assert!(
        err(WebhookVerifier::builder(Scheme::StandardWebhooks).secret("whsec_!!"))
            .starts_with("secrets:")
    );
    assert!(
        err(WebhookVerifier::builder(Scheme::StandardWebhooks)
            .secret("whsec_YQ==")
            .header("X"))
        .starts_with("header:")
    );
    assert!(
        err(WebhookVerifier::builder(Scheme::SharedSecret)
            .secret("a")
            .timestamp_header("T"))
        .starts_with("timestamp_header:")
    );
    assert!(
        err(WebhookVerifier::builder(Scheme::HmacSha256)
            .secret("a")
            .header("Bad Header"))
        .starts_with("header:")
    );
    assert!(
        err(WebhookVerifier::builder(Scheme::HmacSha256)
            .secret("a")
            .tolerance(std::time::Duration::ZERO))
        .starts_with("tolerance:")
    );
}

#[test]
fn headers_from_hyper() {
    let v = WebhookVerifier::builder(Scheme::SharedSecret)
        .secret("s")
        .build()
        .unwrap();
    let mut map = hyper::HeaderMap::new();
    map.insert("x-webhook-secret", "s".parse().unwrap());
    assert!(v.verify(DOC_EXAMPLE, &map).is_ok());
}

#[test]
fn a_verifier_names_the_headers_it_reads() {
    let names = |b: WebhookVerifierBuilder| {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        b.secret(secret).build().unwrap().header_names().join(",")
    };
    assert_eq!(
        names(WebhookVerifier::builder(Scheme::HmacSha256)),
        "X-Webhook-Signature"
    );
    assert_eq!(
        names(
            WebhookVerifier::builder(Scheme::HmacSha256)
                .header("X-Paystar-Signature")
                .timestamp_header("X-Paystar-Timestamp")
        ),
        "X-Paystar-Signature,X-Paystar-Timestamp"
    );
    assert_eq!(
        names(WebhookVerifier::builder(Scheme::StandardWebhooks)),
        "webhook-id,webhook-timestamp,webhook-signature"
    );
}
