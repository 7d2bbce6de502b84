//! Runs every case of `tests/vectors/*.json` against its own mock gateway (see tests/README.md).

use std::time::Duration;

use paystar::mock::{Fault, MockGateway};
use paystar::testing::check_vector;
use paystar::{
    ApiRequest, AutopaySessionRequest, Case, Client, Error, NotificationSessionRequest, Operation,
    PaperlessSessionRequest, PaymentSessionRequest, Reply, RequestOptions, WalletSessionRequest,
};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    cases: Vec<VectorCase>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorCase {
    name: String,
    #[allow(dead_code)]
    description: String,
    operation: String,
    #[serde(default)]
    client: ClientSpec,
    #[serde(default)]
    options: OptionsSpec,
    #[serde(default)]
    setup: Vec<Setup>,
    #[serde(default)]
    script: Vec<Fault>,
    input: Value,
    expect: Value,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientSpec {
    api_key: Option<String>,
    base_url: Option<String>,
    timeout_ms: Option<u64>,
    max_retries: Option<u32>,
    client_validation: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsSpec {
    timeout_ms: Option<u64>,
    max_retries: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    operation: String,
    input: Value,
}

fn load() -> Vec<VectorCase> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/vectors exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json") && !p.ends_with("vectors.schema.json")
        })
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).expect("readable");
        let file: File =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        cases.extend(file.cases);
    }
    cases
}

fn op(name: &str) -> Operation {
    Operation::from_name(name).unwrap_or_else(|| panic!("unknown operation {name}"))
}

/// How a case reaches core: the JSON entry point every binding uses, or the typed models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Json,
    Typed,
}

/// `input` as the typed request of `R`, when the model expresses it exactly (it parses, and
/// serializing it back, `Extra` included, gives the same JSON); `None` otherwise (a typo key,
/// a wrong type, a lower-case channel: things only JSON can say).
fn expressible<R: ApiRequest>(input: &Value) -> Option<R> {
    let request: R = serde_json::from_value(input.clone()).ok()?;
    let mut back = serde_json::to_value(&request).ok()?;
    if !request.extra().is_empty() {
        back["Extra"] = Value::Object(request.extra().clone());
    }
    (back == *input).then_some(request)
}

/// `$body` with `$r` the typed request of `$op`.
macro_rules! with_request_type {
    ($op:expr, $r:ident => $body:expr) => {
        match $op {
            Operation::CreatePaymentSession => {
                type $r = PaymentSessionRequest;
                $body
            }
            Operation::CreateAutopaySession => {
                type $r = AutopaySessionRequest;
                $body
            }
            Operation::CreateWalletSession => {
                type $r = WalletSessionRequest;
                $body
            }
            Operation::CreatePaperlessSession => {
                type $r = PaperlessSessionRequest;
                $body
            }
            Operation::CreateNotificationSession => {
                type $r = NotificationSessionRequest;
                $body
            }
            Operation::UpdateCustomer => {
                type $r = paystar::UpdateCustomerRequest;
                $body
            }
            Operation::SendEvent => {
                type $r = paystar::EventRequest;
                $body
            }
        }
    };
}

/// The call through the typed API, or `None` when the input is not expressible there.
async fn typed(
    client: &Client,
    operation: Operation,
    input: &Value,
    options: &RequestOptions,
) -> Option<Result<Reply, Error>> {
    Some(with_request_type!(operation, R => {
        let r: R = expressible(input)?;
        client.call(&r, options).await.map(paystar::FromReply::into_reply)
    }))
}

/// Runs a case through `entry`; `Ok(false)` when the typed API cannot express its input.
async fn run(case: VectorCase, entry: Entry) -> Result<bool, String> {
    if entry == Entry::Typed && typed_input_skipped(&case) {
        return Ok(false);
    }
    let mock = MockGateway::start().map_err(|e| e.to_string())?;
    let mut b = Client::builder().mock(&mock);
    if let Some(k) = &case.client.api_key {
        b = b.api_key(k);
    }
    match case.client.base_url.as_deref() {
        Some("closed_port") => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            b = b.base_url(format!("http://127.0.0.1:{port}"));
        }
        Some(url) => b = b.base_url(url),
        None => {}
    }
    if let Some(ms) = case.client.timeout_ms {
        b = b.timeout(Duration::from_millis(ms));
    }
    if let Some(r) = case.client.max_retries {
        b = b.max_retries(r);
    }
    if let Some(v) = case.client.client_validation {
        b = b.client_validation(v);
    }
    let outcome: Result<Reply, Error> = match b.build() {
        Err(e) => Err(e),
        Ok(client) => {
            for s in &case.setup {
                client
                    .execute(
                        op(&s.operation),
                        &s.input,
                        Case::Pascal,
                        &RequestOptions::default(),
                    )
                    .await
                    .map_err(|e| format!("setup failed: {e}"))?;
            }
            mock.script(case.script.clone());
            let options = RequestOptions {
                timeout: case.options.timeout_ms.map(Duration::from_millis),
                max_retries: case.options.max_retries,
                ..Default::default()
            };
            let operation = op(&case.operation);
            match entry {
                Entry::Json => {
                    client
                        .execute(operation, &case.input, Case::Pascal, &options)
                        .await
                }
                Entry::Typed => typed(&client, operation, &case.input, &options)
                    .await
                    .ok_or("not expressible")?,
            }
        }
    };
    let setup_requests = mock.requests().len().min(case.setup.len());
    check(&case, &mock, outcome, setup_requests).map(|()| true)
}

/// Whether the typed models cannot express the case's input (decided before any mock starts).
fn typed_input_skipped(case: &VectorCase) -> bool {
    with_request_type!(op(&case.operation), R => expressible::<R>(&case.input).is_none())
}

/// The shared checks (`paystar::mock::check_vector`) on the outcome as core's values show it.
fn check(
    case: &VectorCase,
    mock: &MockGateway,
    outcome: Result<Reply, Error>,
    skip: usize,
) -> Result<(), String> {
    let d = paystar::bridge::Dialect::PYTHON;
    let outcome = match &outcome {
        Ok(Reply::Session(s)) => json!({ "session": paystar::bridge::session_value(s, d) }),
        Ok(Reply::Event(r)) => json!({ "receipt": paystar::bridge::receipt_value(r, d) }),
        Err(e) => {
            let mut v = paystar::bridge::error_value(e, d);
            v["repr"] = json!(format!("{e:?}"));
            json!({ "error": v })
        }
    };
    let case = json!({ "expect": case.expect });
    let problems = check_vector(&case, &outcome, &mock.snapshot(), skip);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_vectors_pass() {
    let cases = load();
    assert!(cases.len() >= 60, "only {} vectors", cases.len());
    let mut names = std::collections::HashSet::new();
    // 16 cases at a time: enough to finish fast, few enough that a loaded CI machine does not
    // push an ordinary answer past a case's short timeout.
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
    let mut tasks = Vec::new();
    for case in cases {
        assert!(
            names.insert(case.name.clone()),
            "duplicate vector {}",
            case.name
        );
        for entry in [Entry::Json, Entry::Typed] {
            let name = format!("{} ({entry:?})", case.name);
            let permits = std::sync::Arc::clone(&permits);
            let case = case.clone();
            let task = tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(|e| e.to_string())?;
                run(case, entry).await
            });
            tasks.push((name, task));
        }
    }
    let total = tasks.len() / 2;
    let mut failures = Vec::new();
    let mut typed_ran = 0;
    for (name, task) in tasks {
        match task.await {
            Ok(Ok(ran)) => typed_ran += usize::from(ran && name.ends_with("(Typed)")),
            Ok(Err(why)) => failures.push(format!("{name}: {why}")),
            Err(panic) => failures.push(format!("{name}: panicked: {panic}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Most cases are expressible with the typed models; the rest need JSON (typos, wrong types).
    assert!(
        typed_ran >= total / 2,
        "only {typed_ran} of {total} ran typed"
    );
    eprintln!("{total} vectors passed as JSON, {typed_ran} of them also through the typed models");
}

#[test]
fn vectors_cover_every_operation_code_and_fault() {
    let cases = load();
    let text: String = cases
        .iter()
        .map(|c| format!("{} {} {:?}", c.operation, c.expect, c.script))
        .collect();
    for op in Operation::ALL {
        assert!(text.contains(op.name()), "no vector for {}", op.name());
    }
    // internal_error is a bug inside the library: no gateway behaviour causes it;
    // webhook_error has its own vectors (webhooks.rs).
    for code in paystar::ErrorCode::ALL.into_iter().filter(|c| {
        !matches!(
            c,
            paystar::ErrorCode::Internal | paystar::ErrorCode::Webhook
        )
    }) {
        assert!(
            text.contains(&format!("\"{}\"", code.as_str())),
            "no vector for {code}"
        );
    }
    for fault in [
        "Status", "Delay", "Reset", "Truncate", "NonJson", "Redirect", "Oversize", "Raw",
    ] {
        assert!(text.contains(fault), "no vector with fault {fault}");
    }
}
