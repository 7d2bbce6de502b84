//! Runs every case of `tests/vectors/*.json` against its own mock gateway (see tests/README.md).

use std::time::Duration;

use paystar::mock::{Fault, MockGateway};
use paystar::{
    AutopaySessionRequest, Case, Client, Error, NotificationSessionRequest, Operation,
    PaperlessSessionRequest, PaymentSessionRequest, RequestOptions, Session, SessionRequest,
    WalletSessionRequest,
};
use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;

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
fn expressible<R: SessionRequest>(input: &Value) -> Option<R> {
    let request: R = serde_json::from_value(input.clone()).ok()?;
    let mut back = serde_json::to_value(&request).ok()?;
    if !request.extra().is_empty() {
        back["Extra"] = Value::Object(request.extra().clone());
    }
    (back == *input).then_some(request)
}

/// The call through the typed API, or `None` when the input is not expressible there.
async fn typed(
    client: &Client,
    operation: Operation,
    input: &Value,
    options: &RequestOptions,
) -> Option<Result<Session, Error>> {
    Some(match operation {
        Operation::CreatePaymentSession => {
            let r: PaymentSessionRequest = expressible(input)?;
            client.create(&r, options).await
        }
        Operation::CreateAutopaySession => {
            let r: AutopaySessionRequest = expressible(input)?;
            client.create(&r, options).await
        }
        Operation::CreateWalletSession => {
            let r: WalletSessionRequest = expressible(input)?;
            client.create(&r, options).await
        }
        Operation::CreatePaperlessSession => {
            let r: PaperlessSessionRequest = expressible(input)?;
            client.create(&r, options).await
        }
        Operation::CreateNotificationSession => {
            let r: NotificationSessionRequest = expressible(input)?;
            client.create(&r, options).await
        }
    })
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
    let outcome: Result<Session, Error> = match b.build() {
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
    let input = &case.input;
    match op(&case.operation) {
        Operation::CreatePaymentSession => expressible::<PaymentSessionRequest>(input).is_none(),
        Operation::CreateAutopaySession => expressible::<AutopaySessionRequest>(input).is_none(),
        Operation::CreateWalletSession => expressible::<WalletSessionRequest>(input).is_none(),
        Operation::CreatePaperlessSession => {
            expressible::<PaperlessSessionRequest>(input).is_none()
        }
        Operation::CreateNotificationSession => {
            expressible::<NotificationSessionRequest>(input).is_none()
        }
    }
}

fn check(
    case: &VectorCase,
    mock: &MockGateway,
    outcome: Result<Session, Error>,
    skip: usize,
) -> Result<(), String> {
    let x = &case.expect;
    let requests: Vec<_> = mock.requests().into_iter().skip(skip).collect();
    let mut problems = Vec::new();
    let mut want = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    let attempts = match (&outcome, x.get("result"), x.get("error")) {
        (Ok(s), Some(r), _) => {
            let s_kind = s.kind.as_str();
            if let Some(k) = r.get("kind").and_then(Value::as_str) {
                want(k == s_kind, format!("kind {s_kind} != {k}"));
            }
            if let Some(st) = r.get("status").and_then(Value::as_str) {
                want(
                    s.status.as_deref() == Some(st),
                    format!("status {:?} != {st}", s.status),
                );
            }
            if let Some(h) = r.get("has_id").and_then(Value::as_bool) {
                want(s.id.is_some() == h, format!("id {:?}", s.id));
            }
            if let Some(h) = r.get("has_request_id").and_then(Value::as_bool) {
                want(
                    s.request_id.is_some() == h,
                    format!("request id {:?}", s.request_id),
                );
            }
            if let Some(p) = r.get("url_prefix").and_then(Value::as_str) {
                let p = p.replace("{mock}", mock.url());
                want(
                    s.url.starts_with(&p),
                    format!("url {} does not start with {p}", s.url),
                );
            }
            if let Some(at) = r.get("expires_at").and_then(Value::as_str) {
                let want_at =
                    OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                        .unwrap();
                want(
                    s.expires_at == want_at,
                    format!("expires_at {} != {at}", s.expires_at),
                );
            }
            if let Some(secs) = r.get("expires_in_s").and_then(Value::as_i64) {
                let off = (s.expires_at - OffsetDateTime::now_utc()).whole_seconds() - secs;
                want(off.abs() <= 120, format!("expires_at off by {off} s"));
            }
            s.attempts
        }
        (Err(e), _, Some(er)) => {
            let code = er["code"].as_str().unwrap_or_default();
            want(
                e.code().as_str() == code,
                format!("code {} != {code} ({e})", e.code()),
            );
            if let Some(fe) = er.get("field_errors").and_then(Value::as_array) {
                let mut got: Vec<(String, String)> = e
                    .field_errors()
                    .iter()
                    .map(|f| (f.path.clone(), f.rule.as_str().to_owned()))
                    .collect();
                let mut exp: Vec<(String, String)> = fe
                    .iter()
                    .map(|f| {
                        (
                            f["path"].as_str().unwrap_or_default().to_owned(),
                            f["rule"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect();
                got.sort();
                exp.sort();
                want(got == exp, format!("field errors {got:?} != {exp:?}"));
            }
            if let Some(st) = er.get("status").and_then(Value::as_u64) {
                want(
                    e.status() == Some(st as u16),
                    format!("status {:?} != {st}", e.status()),
                );
            }
            if let Some(a) = er.get("ambiguous").and_then(Value::as_bool) {
                want(
                    e.ambiguous() == a,
                    format!("ambiguous {} != {a}", e.ambiguous()),
                );
            }
            if let Some(ra) = er.get("retry_after_s").and_then(Value::as_f64) {
                want(
                    e.retry_after() == Some(Duration::from_secs_f64(ra)),
                    format!("retry_after {:?} != {ra}", e.retry_after()),
                );
            }
            if let Some(items) = er.get("api_errors").and_then(Value::as_array) {
                let got = e.api_errors();
                want(
                    got.len() == items.len(),
                    format!("api errors {got:?} != {items:?}"),
                );
                for (g, w) in got.iter().zip(items) {
                    if let Some(p) = w.get("propertyName").and_then(Value::as_str) {
                        want(
                            g.property_name.as_deref() == Some(p),
                            format!("propertyName {:?} != {p}", g.property_name),
                        );
                    }
                    if let Some(m) = w.get("errorMessage").and_then(Value::as_str) {
                        want(
                            g.error_message == m,
                            format!("errorMessage {:?} != {m}", g.error_message),
                        );
                    }
                }
            }
            for s in er
                .get("message_contains")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                want(
                    e.message().contains(s.as_str().unwrap_or_default()),
                    format!("message {:?} lacks {s}", e.message()),
                );
            }
            for s in er
                .get("message_excludes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let s = s.as_str().unwrap_or_default();
                want(
                    !e.message().contains(s) && !format!("{e:?}").contains(s),
                    format!("error shows {s}"),
                );
            }
            e.attempts()
        }
        (Ok(s), _, _) => return Err(format!("expected an error, got a session {}", s.url)),
        (Err(e), _, _) => return Err(format!("expected a session, got {} ({e})", e.code())),
    };
    if let Some(n) = x.get("attempts").and_then(Value::as_u64) {
        want(
            u64::from(attempts) == n,
            format!("attempts {attempts} != {n}"),
        );
    }
    if let Some(n) = x.get("requests").and_then(Value::as_u64) {
        want(
            requests.len() as u64 == n,
            format!("requests {} != {n}", requests.len()),
        );
    }
    if let Some(w) = x.get("wire") {
        match requests.first() {
            None => want(false, "no request reached the mock".into()),
            Some(r) => {
                if let Some(m) = w.get("method").and_then(Value::as_str) {
                    want(r.method == m, format!("method {}", r.method));
                }
                if let Some(p) = w.get("path").and_then(Value::as_str) {
                    want(r.path == p, format!("path {}", r.path));
                }
                for (k, v) in w
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    want(
                        r.headers.get(k).map(String::as_str) == v.as_str(),
                        format!("header {k}: {:?} != {v}", r.headers.get(k)),
                    );
                }
                if let Some(p) = w.get("user_agent_prefix").and_then(Value::as_str) {
                    let ua = r.headers.get("user-agent").cloned().unwrap_or_default();
                    want(ua.starts_with(p), format!("user-agent {ua}"));
                }
                if let Some(b) = w.get("body") {
                    want(&r.body == b, format!("body {} != {b}", r.body));
                }
            }
        }
    }
    for (i, gap) in x
        .get("min_gaps_ms")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let got = match (requests.get(i), requests.get(i + 1)) {
            (Some(a), Some(b)) => b.received_ms.saturating_sub(a.received_ms),
            _ => 0,
        };
        want(
            got >= gap.as_u64().unwrap_or(0),
            format!("gap {i} was {got} ms, want >= {gap}"),
        );
    }
    for c in x
        .get("customers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let got = mock.customer(c["email"].as_str().unwrap_or_default());
        want(
            got.as_ref() == Some(&c["record"]),
            format!("customer {got:?} != {}", c["record"]),
        );
    }
    for a in x
        .get("accounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let got = mock.account(
            a["account_number"].as_str().unwrap_or_default(),
            a.get("sub_account_number").and_then(Value::as_str),
        );
        want(
            got.as_ref() == Some(&a["record"]),
            format!("account {got:?} != {}", a["record"]),
        );
    }
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
    // internal_error is a bug inside the library: no gateway behaviour causes it.
    for code in paystar::ErrorCode::ALL
        .into_iter()
        .filter(|c| *c != paystar::ErrorCode::Internal)
    {
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
