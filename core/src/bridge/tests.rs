//! Tests of the boundary shapes.

use std::time::Duration;

use serde_json::json;

use super::*;
use crate::{AttemptEvent, ErrorCode, Operation};

fn config_error(options: serde_json::Value, d: Dialect) -> String {
    let e = client(&options, d, "test").unwrap_err();
    assert_eq!(e.code(), ErrorCode::Configuration, "{e}");
    e.message_in(d.case)
}

#[test]
fn every_option_is_read_in_each_dialect() {
    let py = json!({
        "api_key": "sk_test_1", "base_url": "http://127.0.0.1:9", "timeout": 1.5,
        "connect_timeout": 0.25, "max_retries": 4, "deadline": 20, "user_agent_suffix": "shop/1",
        "proxy": null, "client_validation": false, "telemetry": false,
    });
    let c = client(&py, Dialect::PYTHON, "python 3.11").unwrap();
    let cfg = c.config();
    assert_eq!(cfg.timeout(), Duration::from_millis(1500));
    assert_eq!(cfg.connect_timeout(), Duration::from_millis(250));
    assert_eq!(cfg.max_retries(), 4);
    assert!(!cfg.client_validation());
    assert!(!cfg.telemetry());
    assert_eq!(cfg.user_agent(), "paystar/0.1.0 (python 3.11) shop/1");
    let node = json!({"apiKey": "sk_test_1", "environment": "production", "timeout": 2500.0});
    let c = client(&node, Dialect::NODE, "node 20").unwrap();
    assert_eq!(c.config().timeout(), Duration::from_millis(2500));
    assert_eq!(
        c.config().environment(),
        Some(crate::Environment::Production)
    );
    assert!(c.config().telemetry(), "on by default");
    assert_eq!(CLIENT_OPTIONS.len(), 15);
}

#[test]
fn bad_options_name_the_option_in_the_callers_style_and_never_echo_text() {
    let m = config_error(json!({"api_key": "k", "max_retires": 1}), Dialect::PYTHON);
    assert!(
        m.starts_with("max_retires: is not a known option (did you mean max_retries?)"),
        "{m}"
    );
    let m = config_error(json!({"apiKey": "k", "maxRetries": 1e30}), Dialect::NODE);
    assert!(
        m.starts_with("maxRetries: must be a whole number from 0 to 10"),
        "{m}"
    );
    let m = config_error(json!({"apiKey": "k", "maxRetries": -1}), Dialect::NODE);
    assert!(m.contains("maxRetries"), "{m}");
    let m = config_error(json!({"api_key": "k", "max_retries": 2.5}), Dialect::PYTHON);
    assert!(m.starts_with("max_retries:"), "{m}");
    let m = config_error(json!({"apiKey": "k", "timeout": -5.0}), Dialect::KOTLIN);
    assert!(m.starts_with("timeout: must be a positive"), "{m}");
    let m = config_error(
        json!({"apiKey": "k", "connectTimeout": "10"}),
        Dialect::NODE,
    );
    assert!(
        m.starts_with("connectTimeout: must be a number of milliseconds"),
        "{m}"
    );
    // A secret given in the wrong place is never shown back.
    let m = config_error(
        json!({"api_key": "k", "timeout": "sk_live_SECRET"}),
        Dialect::PYTHON,
    );
    assert!(!m.contains("SECRET"), "{m}");
    let m = config_error(json!({"api_key": 42}), Dialect::PYTHON);
    assert!(
        m.starts_with("api_key: must be a string (got a number)"),
        "{m}"
    );
    let m = config_error(json!("not an object"), Dialect::PYTHON);
    assert!(m.starts_with("options:"), "{m}");
    let o = call_options(&json!({"maxRetries": 4.0}), Dialect::KOTLIN).unwrap();
    assert_eq!(o.max_retries, Some(4));
    let o = call_options(&json!({"timeout": 250, "maxRetries": 0}), Dialect::NODE).unwrap();
    assert_eq!(o.timeout, Some(Duration::from_millis(250)));
    assert_eq!(o.max_retries, Some(0));
    let e = call_options(&json!({"signal": 1}), Dialect::NODE).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Configuration);
}

fn event(retry_in: Option<Duration>) -> AttemptEvent {
    AttemptEvent {
        operation: Operation::CreatePaymentSession,
        method: "POST",
        path: "/integrations/embedded/initiate",
        attempt: 1,
        status: Some(503),
        started_at: std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_840_000),
        elapsed: Duration::from_micros(900),
        request_id: Some("req_1".into()),
        error_code: Some(ErrorCode::Server),
        retry_in,
        retry_after: None,
        ambiguous: true,
    }
}

#[test]
fn a_log_line_is_formatted_once_for_every_language() {
    let e = event(Some(Duration::from_millis(480)));
    assert_eq!(
        log_message(&e),
        "POST /integrations/embedded/initiate -> 503 server_error (attempt 1, 0.9 ms, \
         request id req_1); retrying in 480 ms"
    );
    let v = log_value(&e, Dialect::PYTHON);
    assert_eq!(v["level"], "warn");
    assert_eq!(v["fields"]["elapsed_ms"], 0.9);
    assert_eq!(v["fields"]["retry_in_ms"], 480.0);
    let v = log_value(&event(None), Dialect::NODE);
    assert_eq!(v["level"], "debug");
    assert_eq!(v["fields"]["requestId"], "req_1");
    assert_eq!(v["fields"]["retryInMs"], json!(null));
    assert_eq!(v["message"], log_message(&event(None)));
}

#[test]
fn errors_carry_every_attribute_in_the_callers_style() {
    let e = crate::Error::validation(vec![too_deep("Extra.Deep")]);
    let v = error_value(&e, Dialect::PYTHON);
    assert_eq!(v["code"], "validation_error");
    assert_eq!(v["retryable"], false);
    assert_eq!(v["field_errors"][0]["rule"], "max_depth");
    assert_eq!(v["field_errors"][0]["path"], "Extra.Deep");
    for key in [
        "status",
        "api_errors",
        "attempts",
        "ambiguous",
        "retry_after",
        "request_id",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let e = crate::Error::option("max_retries", "bad");
    let v = error_value(&e, Dialect::KOTLIN);
    assert_eq!(v["message"], "maxRetries: bad");
    assert!(v.get("fieldErrors").is_some() && v.get("retryAfter").is_some());
    for code in ErrorCode::ALL {
        let v = error_value(&crate::testing::sample_error(code), Dialect::NODE);
        assert_eq!(v["code"], code.as_str());
        assert_eq!(v["retryable"], code.is_retryable());
    }
}

#[test]
fn a_panic_becomes_an_internal_error() {
    let e = guard::<()>(|| panic!("boom")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Internal);
    assert!(e.message().contains("boom"));
    assert_eq!(guard(|| Ok(3)).unwrap(), 3);
}

#[test]
fn js_numbers_come_back_as_integers() {
    let mut v = json!({"a": 15000.0, "b": [1.5, 9007199254740992.0], "c": "1.0"});
    integral_numbers(&mut v);
    assert_eq!(
        v,
        json!({"a": 15000, "b": [1.5, 9007199254740992_i64], "c": "1.0"})
    );
}

#[cfg(feature = "mock")]
#[test]
fn a_session_has_every_attribute_and_the_mock_handle_stops_once() {
    let mock = MockHandle::start(&json!({"seed": 7}), Dialect::NODE).unwrap();
    let c = client(
        &json!({"apiKey": mock.api_key(), "baseUrl": mock.url()}),
        Dialect::NODE,
        "test",
    )
    .unwrap();
    let request = json!({"businessUnitSlug": "acme", "clientUser": {"emailAddress": "a@b.co"}});
    let (result, events) = crate::runtime::block_on(async move {
        c.execute_logged(
            Operation::CreateWalletSession,
            &request,
            crate::Case::Camel,
            &crate::RequestOptions::default(),
            crate::LogLevel::Debug,
        )
        .await
    })
    .unwrap();
    let v = reply_value(&result.unwrap(), Dialect::NODE);
    assert_eq!(v["kind"], "wallet");
    assert_eq!(v["loaderCall"], "startFlow");
    assert_eq!(v["attempts"], 1);
    assert_eq!(v["ambiguous"], false);
    assert!(v["expiresAt"].as_str().unwrap().ends_with("+00:00"));
    assert!(v["url"].as_str().unwrap().starts_with(mock.url()));
    assert_eq!(events.len(), 1);
    assert_eq!(mock.session_count().unwrap(), 1);
    // The clock: huge or repeated advances are typed errors, never an overflow.
    assert!(mock.advance_clock(60.0, Dialect::PYTHON).is_ok());
    for amount in [9e21, f64::NAN, -1.0, f64::INFINITY] {
        let e = mock.advance_clock(amount, Dialect::NODE).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Configuration, "{amount}");
    }
    assert!(mock.advance_clock(3e9, Dialect::PYTHON).is_ok());
    assert!(mock.advance_clock(3e9, Dialect::PYTHON).is_err());
    let e = MockHandle::start(&json!({"sed": 1}), Dialect::PYTHON).unwrap_err();
    assert!(e.message().contains("did you mean seed?"), "{e}");
    mock.stop();
    mock.stop();
    assert!(!mock.is_running());
    assert_eq!(
        mock.requests().unwrap_err().code(),
        ErrorCode::Configuration
    );
    assert!(mock.describe().ends_with("stopped)"));
}

/// Times cross in one fixed-width form, whatever their fraction: Python 3.9's
/// `fromisoformat` reads 3 or 6 fractional digits and no `Z` (a trimmed `.2Z` failed one call
/// in ten there).
#[test]
fn times_cross_in_one_fixed_width_form() {
    use time::macros::datetime;
    let cases = [
        (
            datetime!(2026-12-04 01:28:29.2 UTC),
            "2026-12-04T01:28:29.200+00:00",
        ),
        (
            datetime!(2026-12-04 01:28:29 UTC),
            "2026-12-04T01:28:29.000+00:00",
        ),
        (
            datetime!(2026-12-04 01:28:29.123_999_999 UTC),
            "2026-12-04T01:28:29.123+00:00",
        ),
        (
            datetime!(2026-12-04 03:28:29.05 +02:00),
            "2026-12-04T01:28:29.050+00:00",
        ),
        (
            datetime!(9999-12-31 23:30 -05:00),
            "9999-12-31T23:59:59.999+00:00",
        ),
        (
            datetime!(0000-01-01 00:30 +05:00),
            "0000-01-01T00:00:00.000+00:00",
        ),
    ];
    for (t, want) in cases {
        assert_eq!(super::boundary_time(t), want, "{t}");
    }
    for nanos in (0..1_000_000_000).step_by(99_999_937) {
        let t = datetime!(2026-12-04 01:28:29 UTC)
            .replace_nanosecond(nanos)
            .unwrap();
        assert!(fixed_width(&super::boundary_time(t)), "{t}");
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmm+00:00`, digit for digit.
fn fixed_width(s: &str) -> bool {
    let pattern = "dddd-dd-ddTdd:dd:dd.ddd+00:00";
    s.len() == pattern.len()
        && s.chars().zip(pattern.chars()).all(|(c, p)| match p {
            'd' => c.is_ascii_digit(),
            _ => c == p,
        })
}

/// The generators declare what [`ERROR_ATTRIBUTES`] lists: it must be exactly what
/// [`error_value`] gives, in order.
#[test]
fn error_attributes_are_what_error_value_gives() {
    let v = error_value(&crate::Error::internal("x"), Dialect::PYTHON);
    let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    let declared: Vec<String> = ERROR_ATTRIBUTES
        .iter()
        .map(|a| Dialect::PYTHON.key(a.name))
        .collect();
    assert_eq!(keys, declared);
}

/// The records are the one shape: Python and Node get them with keys in their case and
/// durations in their unit, but JSON the gateway (or a sender) wrote keeps its own keys at any
/// depth, and a gateway object that looks like a duration stays what it was.
#[test]
fn records_put_only_their_own_keys_in_the_dialect() {
    let gateway = json!({
        "error_message": "x",
        "ErrorMessage": {"retry_after": 1, "a_b": [{"c_d": null}]},
        "\u{0}ms": 5,
    });
    let mut e = crate::Error::new(ErrorCode::RateLimited, "slow down")
        .with_api_errors(vec![crate::ApiErrorItem::from_json(&gateway)]);
    e = e.with_retry_after(Some(Duration::from_millis(1500)));
    for (d, retry, message, raw) in [
        (Dialect::PYTHON, "retry_after", "error_message", "raw"),
        (Dialect::NODE, "retryAfter", "errorMessage", "raw"),
    ] {
        let v = error_value(&e, d);
        let item = &v[d.key("ApiErrors")][0];
        assert_eq!(item[raw], gateway, "{d:?}: the gateway's keys are its own");
        assert!(item.get(message).is_some(), "{d:?}: {item}");
        let expected = if d.time == TimeUnit::Seconds {
            1.5
        } else {
            1500.0
        };
        assert_eq!(v[retry], json!(expected), "{d:?}");
    }
    // Kotlin reads the same record as a uniffi record: JSON as text, times as instants.
    let r = records::ErrorRecord::of(&e, Dialect::KOTLIN);
    assert_eq!(r.retry_after, Some(Duration::from_millis(1500)));
    assert_eq!(r.api_errors[0].raw_json.0, gateway);
}

/// Each option is read as its spec says (the generated declarations type it from the spec): a
/// value of its kind is accepted, a value of another kind is refused naming it.
#[test]
fn options_are_read_as_their_spec_says() {
    for spec in CLIENT_OPTIONS {
        let (good, bad) = match spec.kind {
            OptionKind::Text | OptionKind::Secret => match spec.name {
                "BaseUrl" => (json!("http://127.0.0.1:1"), json!(1)),
                "Proxy" => (json!("http://127.0.0.1:3128"), json!(true)),
                _ => (json!("sk_test_1"), json!(1)),
            },
            OptionKind::Choice(names) => (json!(names[names.len() - 1]), json!(1)),
            OptionKind::Duration => (json!(1.5), json!("1.5")),
            OptionKind::Count => (json!(1), json!(1.5)),
            OptionKind::Flag => (json!(false), json!("no")),
        };
        let key = Dialect::PYTHON.key(spec.name);
        assert!(
            client_builder(&json!({ &key: good }), Dialect::PYTHON).is_ok(),
            "{key}: {good}"
        );
        let e = client_builder(&json!({ &key: bad }), Dialect::PYTHON).unwrap_err();
        assert_eq!(
            e.option_in(Case::Snake).as_deref(),
            Some(key.as_str()),
            "{e}"
        );
    }
}

#[test]
fn a_flat_header_list_is_named_as_the_mistake_it_is() {
    // Node's req.rawHeaders: names and values in one list. Read as pairs it would lose every
    // header and end in a bare `missing_header`; it is refused by name instead.
    let flat = json!([
        "Content-Type",
        "application/json",
        "X-Paystar-Signature",
        "abc"
    ]);
    let e = webhook_headers(&flat).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Configuration);
    assert!(e.message().contains("flat list"), "{e}");
    assert!(e.message().contains("[name, value] pairs"), "{e}");
    // Pairs and objects still read.
    let pairs = json!([["X-Paystar-Signature", "abc"], ["Accept", ["a", "b"]]]);
    assert_eq!(webhook_headers(&pairs).unwrap().len(), 3);
    assert_eq!(
        webhook_headers(&json!({"a": "1", "b": null}))
            .unwrap()
            .len(),
        1
    );
}
