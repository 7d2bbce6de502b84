//! Telemetry against the mock: the report core hands the bindings (spans, attributes, metric
//! points) and the trace context the gateway receives.

use paystar::Collect;
use paystar::bridge::records::to_value;
use paystar::bridge::{AttributeValue, TelemetryRecord, attributes_are_documented, call_report};
use paystar::mock::{Fault, MockGateway};
use paystar::telemetry::TraceContext;
use paystar::{Case, Client, LogLevel, Operation, RequestOptions};
use serde_json::json;

const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const TELEMETRY: Collect = Collect {
    log: LogLevel::Off,
    telemetry: true,
};

fn request() -> serde_json::Value {
    json!({
        "business_unit_slug": "acme-utilities",
        "channel": "QuickPay",
        "charges": [{"amount": 15000, "description": "Water", "client_account": {"account_number": "ACC-12345"}}],
        "client_user": {"email_address": "jane@example.com"}
    })
}

fn traced() -> RequestOptions {
    RequestOptions {
        trace: Some(TraceContext::new(PARENT, Some("congo=t61rcWkgMzE".into())).unwrap()),
        ..Default::default()
    }
}

async fn call(
    client: &Client,
    request: serde_json::Value,
    options: &RequestOptions,
) -> (paystar::Result<paystar::Reply>, TelemetryRecord) {
    let op = Operation::CreatePaymentSession;
    let (result, events) = client
        .execute_logged(op, &request, Case::Snake, options, TELEMETRY)
        .await;
    let report = call_report(client.config(), op, &result, &events, TELEMETRY);
    assert!(report.logs.is_empty(), "the logger asked for nothing");
    (result, report.telemetry.unwrap())
}

fn session_of(result: paystar::Result<paystar::Reply>) -> paystar::Session {
    match result.unwrap() {
        paystar::Reply::Session(s) => s,
        paystar::Reply::Event(_) => unreachable!("a session call"),
    }
}

fn get<'a>(attrs: &'a [paystar::bridge::Attribute], key: &str) -> Option<&'a AttributeValue> {
    attrs.iter().find(|a| a.key == key).map(|a| &a.value)
}

fn keys(attrs: &[paystar::bridge::Attribute]) -> Vec<&str> {
    attrs.iter().map(|a| a.key.as_str()).collect()
}

#[tokio::test]
async fn a_success_is_one_call_and_one_attempt_with_exact_attributes() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let before = std::time::SystemTime::now();
    let (result, t) = call(&client, request(), &traced()).await;
    let session = session_of(result);
    assert_eq!(t.name, "paystar.create_payment_session");
    assert_eq!(t.error_type, None);
    let request_id = session.request_id.clone().unwrap();
    assert_eq!(
        to_value(&t.attributes, paystar::bridge::Dialect::PYTHON),
        json!([
            {"key": "paystar.operation", "value": "create_payment_session"},
            {"key": "paystar.attempts", "value": 1},
            {"key": "paystar.request_id", "value": request_id},
        ])
    );
    assert_eq!(t.attempts.len(), 1);
    let a = &t.attempts[0];
    assert_eq!(a.name, "POST /integrations/embedded/initiate");
    let port = url::Url::parse(mock.url()).unwrap().port().unwrap();
    assert_eq!(
        to_value(&a.attributes, paystar::bridge::Dialect::NODE),
        json!([
            {"key": "http.request.method", "value": "POST"},
            {"key": "server.address", "value": "127.0.0.1"},
            {"key": "server.port", "value": port},
            {"key": "url.full", "value": format!("http://127.0.0.1:{port}/integrations/embedded/initiate")},
            {"key": "url.template", "value": "/integrations/embedded/initiate"},
            {"key": "http.response.status_code", "value": 200},
            {"key": "paystar.request_id", "value": request_id},
        ])
    );
    assert_eq!(
        keys(&a.metric_attributes),
        [
            "http.request.method",
            "server.address",
            "server.port",
            "url.template",
            "http.response.status_code"
        ]
    );
    let start = before
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64;
    assert!(a.start_unix_nano >= start && a.end_unix_nano >= a.start_unix_nano);
    assert!(a.duration_s > 0.0 && a.duration_s < 5.0);
    assert_eq!(
        keys(&t.calls_attributes),
        ["paystar.operation"],
        "a success has no error.type"
    );
    assert!(attributes_are_documented(&t));
    let seen = mock.requests();
    assert_eq!(seen[0].headers.get("traceparent").unwrap(), PARENT);
    assert_eq!(
        seen[0].headers.get("tracestate").unwrap(),
        "congo=t61rcWkgMzE"
    );
}

#[tokio::test]
async fn a_retried_503_is_two_attempts_and_the_trace_goes_on_each() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    mock.script([Fault::status_retry_after(503, 0)]);
    let (result, t) = call(&client, request(), &traced()).await;
    assert!(result.is_ok());
    assert_eq!(t.error_type, None);
    assert_eq!(
        get(&t.attributes, "paystar.attempts"),
        Some(&AttributeValue::Int { value: 2 })
    );
    let [first, second] = &t.attempts[..] else {
        panic!("two attempts: {t:?}")
    };
    assert_eq!(first.error_type.as_deref(), Some("server_error"));
    assert_eq!(
        get(&first.attributes, "http.response.status_code"),
        Some(&AttributeValue::Int { value: 503 })
    );
    assert_eq!(
        get(&first.attributes, "error.type"),
        get(&first.metric_attributes, "error.type")
    );
    assert_eq!(
        get(&first.attributes, "paystar.ambiguous"),
        Some(&AttributeValue::Bool { value: true })
    );
    assert_eq!(
        get(&first.attributes, "paystar.retry_after_ms"),
        Some(&AttributeValue::Int { value: 0 })
    );
    assert!(get(&first.attributes, "paystar.retry_in_ms").is_some());
    assert_eq!(get(&first.attributes, "http.request.resend_count"), None);
    assert_eq!(
        get(&second.attributes, "http.request.resend_count"),
        Some(&AttributeValue::Int { value: 1 })
    );
    assert_eq!(second.error_type, None);
    assert!(second.start_unix_nano >= first.end_unix_nano);
    assert!(attributes_are_documented(&t));
    let parents: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| r.headers.get("traceparent").cloned())
        .collect();
    assert_eq!(parents, [Some(PARENT.to_owned()), Some(PARENT.to_owned())]);
}

#[tokio::test]
async fn a_validation_error_is_a_call_span_with_no_attempt() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let (result, t) = call(
        &client,
        json!({"business_unit_slug": "acme-utilities"}),
        &traced(),
    )
    .await;
    assert_eq!(result.unwrap_err().code().as_str(), "validation_error");
    assert_eq!(t.error_type.as_deref(), Some("validation_error"));
    assert!(t.attempts.is_empty());
    assert_eq!(
        to_value(&t.attributes, paystar::bridge::Dialect::PYTHON),
        json!([
            {"key": "paystar.operation", "value": "create_payment_session"},
            {"key": "paystar.attempts", "value": 0},
            {"key": "error.type", "value": "validation_error"},
            {"key": "paystar.ambiguous", "value": false},
        ])
    );
    assert_eq!(
        keys(&t.calls_attributes),
        ["paystar.operation", "error.type"]
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn nothing_secret_or_personal_is_in_a_report() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    mock.script([Fault::status_retry_after(429, 0)]);
    let (result, t) = call(&client, request(), &traced()).await;
    let session = session_of(result);
    let text = serde_json::to_string(&t).unwrap();
    for secret in [
        mock.api_key(),
        "jane@example.com",
        "ACC-12345",
        session.url.as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[tokio::test]
async fn without_telemetry_nothing_is_collected_and_no_trace_is_sent() {
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    let op = Operation::CreatePaymentSession;
    let (result, events) = client
        .execute_logged(
            op,
            &request(),
            Case::Snake,
            &RequestOptions::default(),
            LogLevel::Off,
        )
        .await;
    assert!(result.is_ok());
    assert!(events.is_empty());
    let report = call_report(client.config(), op, &result, &events, Collect::default());
    assert!(report.logs.is_empty() && report.telemetry.is_none());
    assert!(!mock.requests()[0].headers.contains_key("traceparent"));
}

#[tokio::test]
async fn a_malformed_trace_option_is_refused_before_sending() {
    let d = paystar::bridge::Dialect::NODE;
    let e = paystar::bridge::call_options(&json!({"traceparent": "00-zz"}), d).unwrap_err();
    assert_eq!(e.code().as_str(), "configuration_error");
    assert_eq!(e.option_in(Case::Camel).as_deref(), Some("traceparent"));
    let e = paystar::bridge::call_options(&json!({"tracestate": "a=b"}), d).unwrap_err();
    assert!(e.to_string().contains("only with traceparent"), "{e}");
    let ok = paystar::bridge::call_options(&json!({"traceparent": PARENT, "tracestate": "a=b"}), d)
        .unwrap();
    assert_eq!(ok.trace.unwrap().tracestate(), Some("a=b"));
}
