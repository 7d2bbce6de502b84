//! `paystar webhooks verify|trigger|listen`: the library's verifier, the documented templates
//! and the endpoint's state machine, from a shell.

use std::convert::Infallible;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo};
use serde_json::{Value, json};

use super::api::{assignment, set_path};
use super::args::{ListenArgs, SigningArgs, TriggerArgs, VerifyArgs};
use super::output::Out;
use super::{Failure, Outcome, Signals, interrupted};
use crate::bridge::{Dialect, webhook_event_value};
use crate::mock::{delivery_client, post_signed};
use crate::webhook::{
    Answer, Endpoint, MAX_WEBHOOK_BYTES, MemoryStore, Reception, SignOptions, SignatureEncoding,
    WebhookEvent, WebhookReason, WebhookVerifier, templates,
};

/// The environment variable a webhook secret is read from when no `--secret` is given.
pub const WEBHOOK_SECRET_ENV: &str = "PAYSTAR_WEBHOOK_SECRET";

/// The secrets: `--secret`s, else `--secret-file`, else `PAYSTAR_WEBHOOK_SECRET`.
fn secrets(s: &SigningArgs) -> Result<Vec<String>, Failure> {
    if !s.secret.is_empty() {
        return Ok(s.secret.clone());
    }
    if let Some(file) = &s.secret_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Usage(format!("--secret-file {}: {e}", file.display())))?;
        return Ok(vec![text.trim().to_owned()]);
    }
    match std::env::var(WEBHOOK_SECRET_ENV) {
        Ok(secret) if !secret.is_empty() => Ok(vec![secret]),
        _ => Err(Failure::Usage(format!(
            "no webhook secret: pass --secret, --secret-file FILE or set {WEBHOOK_SECRET_ENV}"
        ))),
    }
}

fn encoding(s: &SigningArgs) -> Result<SignatureEncoding, Failure> {
    match &s.encoding {
        None => Ok(SignatureEncoding::Hex),
        Some(name) => SignatureEncoding::from_name(name)
            .ok_or_else(|| Failure::Usage(format!("--encoding {name}: hex or base64"))),
    }
}

/// The verifier the signing flags describe.
fn verifier(s: &SigningArgs) -> Result<WebhookVerifier, Failure> {
    let mut builder = WebhookVerifier::builder(s.scheme.scheme());
    if s.encoding.is_some() {
        builder = builder.encoding(encoding(s)?);
    }
    for secret in secrets(s)? {
        builder = builder.secret(secret);
    }
    if let Some(h) = &s.signature_header {
        builder = builder.header(h);
    }
    if let Some(h) = &s.timestamp_header {
        builder = builder.timestamp_header(h);
    }
    Ok(builder.build()?)
}

/// One `Name: value` header.
fn header(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim();
    (!name.is_empty() && !name.contains(' ')).then(|| (name.to_owned(), value.trim().to_owned()))
}

fn read_body(file: Option<&Path>) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    match file {
        Some(path) => {
            body = std::fs::read(path)
                .map_err(|e| Failure::Usage(format!("--body {}: {e}", path.display())))?;
        }
        None => {
            std::io::stdin()
                .read_to_end(&mut body)
                .map_err(|e| Failure::Usage(format!("cannot read the body from stdin: {e}")))?;
        }
    }
    Ok(body)
}

/// The event's facts for a person: its action, key and payload.
fn event_rows(event: &WebhookEvent, out: &Out) {
    let mut rows = vec![
        ("event", event.action.clone().unwrap_or_else(|| "-".into())),
        ("idempotency_key", event.idempotency_key().to_owned()),
    ];
    if let Some(cents) = event.amount_cents() {
        rows.push(("amount_cents", cents.to_string()));
    }
    out.rows(&rows);
    let payload = Value::Object(event.payload.clone());
    out.line(&serde_json::to_string_pretty(&payload).unwrap_or_default());
}

/// `paystar webhooks verify`.
pub(super) fn verify(a: VerifyArgs, out: &Out) -> Outcome {
    let verifier = verifier(&a.signing)?;
    let mut headers = Vec::new();
    if let Some(file) = &a.headers_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Usage(format!("--headers-file {}: {e}", file.display())))?;
        headers.extend(text.lines().filter_map(header));
    }
    for h in &a.headers {
        headers
            .push(header(h).ok_or_else(|| {
                Failure::Usage(format!("--header {h:?}: expected `Name: value`"))
            })?);
    }
    let body = read_body(a.body.as_deref())?;
    let verified = match a.at {
        Some(at) => verifier.verify_at(&body, &headers, at),
        None => verifier.verify(&body, &headers),
    };
    match verified {
        Ok(event) if out.json => {
            out.value(
                &json!({"authentic": true, "event": webhook_event_value(&event, Dialect::PYTHON)}),
                false,
            );
            Ok(())
        }
        Ok(event) => {
            out.line("authentic");
            event_rows(&event, out);
            Ok(())
        }
        Err(e) => {
            let reason = e.webhook_reason().map(WebhookReason::as_str);
            if out.json {
                out.value(
                    &json!({"authentic": false, "reason": reason, "message": e.message()}),
                    false,
                );
            } else {
                out.note(&format!(
                    "not authentic: {} ({})",
                    e.message(),
                    reason.unwrap_or("webhook_error")
                ));
            }
            Err(Failure::Reported)
        }
    }
}

/// `paystar webhooks trigger`.
pub(super) async fn trigger(a: TriggerArgs, out: &Out) -> Outcome {
    let mut body = templates::example(&a.event).map_err(|e| Failure::Usage(e.message().into()))?;
    for pair in &a.set {
        let (path, text) = assignment("--set", pair)?;
        set_path(&mut body, &path, Value::String(text))?;
    }
    for pair in &a.set_json {
        let (path, text) = assignment("--set-json", pair)?;
        let value = serde_json::from_str(&text)
            .map_err(|e| Failure::Usage(format!("--set-json {pair:?}: not JSON: {e}")))?;
        set_path(&mut body, &path, value)?;
    }
    let secret = secrets(&a.signing)?.swap_remove(0);
    let options = SignOptions {
        header: a.signing.signature_header.clone(),
        encoding: encoding(&a.signing)?,
        timestamp_header: a.signing.timestamp_header.clone(),
        ..SignOptions::new(a.signing.scheme.scheme(), secret)
    };
    url::Url::parse(&a.to).map_err(|e| Failure::Usage(format!("--to {}: {e}", a.to)))?;
    let text = body.to_string();
    let http = delivery_client()?;
    let total = a.redeliver.saturating_add(1);
    let mut all_accepted = true;
    let mut deliveries = Vec::new();
    if !out.json {
        out.line(&format!("{} -> {}", a.event, a.to));
    }
    for n in 1..=total {
        let (delivery, answer) = post_signed(&http, &a.to, &text, &options).await?;
        let accepted = delivery.status.is_some_and(|s| (200..300).contains(&s));
        all_accepted &= accepted;
        if out.json {
            deliveries.push(json!({
                "status": delivery.status, "answer": answer, "error": delivery.error,
            }));
            continue;
        }
        let what = match (delivery.status, &delivery.error) {
            (Some(status), _) => {
                let answer = answer.unwrap_or_default();
                let answer = answer.trim();
                if answer.is_empty() {
                    format!("{status}")
                } else {
                    format!("{status} {}", answer.chars().take(300).collect::<String>())
                }
            }
            (None, error) => format!("not delivered: {}", error.as_deref().unwrap_or("?")),
        };
        out.line(&format!("delivery {n}/{total}: {what}"));
    }
    if out.json {
        out.value(
            &json!({"event": a.event, "to": a.to, "body": body, "deliveries": deliveries}),
            false,
        );
    }
    if all_accepted {
        Ok(())
    } else {
        if !out.json {
            out.note("paystar: not every delivery was accepted (2xx)");
        }
        Err(Failure::Reported)
    }
}

/// What `listen` shares between connections.
struct Listener {
    endpoint: Endpoint,
    store: MemoryStore,
    forward: Option<String>,
    http: reqwest::Client,
    out: Out,
}

/// `paystar webhooks listen`.
pub(super) async fn listen(a: ListenArgs, out: &Out, signals: Signals) -> Outcome {
    let endpoint = Endpoint::new(verifier(&a.signing)?);
    if let Some(to) = &a.forward_to {
        url::Url::parse(to).map_err(|e| Failure::Usage(format!("--forward-to {to}: {e}")))?;
    }
    let (listener, port) = crate::mock::listen(a.port)?;
    let listener = tokio::net::TcpListener::from_std(listener)
        .map_err(|e| Failure::Usage(format!("cannot listen: {e}")))?;
    let url = format!("http://127.0.0.1:{port}/");
    out.line(&url);
    out.note(&format!(
        "paystar webhooks listen: receiving on {url}{}; Ctrl-C stops it",
        a.forward_to
            .as_ref()
            .map(|f| format!(", forwarding to {f}"))
            .unwrap_or_default()
    ));
    let state = Arc::new(Listener {
        endpoint,
        store: MemoryStore::new(),
        forward: a.forward_to,
        http: delivery_client()?,
        out: *out,
    });
    let stop = interrupted(signals);
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => continue,
            },
            () = &mut stop => return Ok(()),
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let state = Arc::clone(&state);
                async move { Ok::<_, Infallible>(receive(&state, req).await) }
            });
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

type Response = hyper::Response<Full<Bytes>>;

fn response(status: u16, content_type: Option<&str>, body: Vec<u8>) -> Response {
    let mut r = hyper::Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::BAD_GATEWAY);
    if let Some(ct) = content_type.and_then(|c| hyper::header::HeaderValue::from_str(c).ok()) {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, ct);
    }
    r
}

fn answer_response(a: &Answer) -> Response {
    let body = a.body_text().into_bytes();
    let ct = (!body.is_empty()).then_some("application/json");
    response(a.status, ct, body)
}

/// Headers a forwarder sets itself.
const HOP_BY_HOP: [&str; 5] = [
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
];

async fn receive(state: &Listener, req: hyper::Request<Incoming>) -> Response {
    let (parts, body) = req.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(body, MAX_WEBHOOK_BYTES + 1).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let answer = Answer::refused(WebhookReason::TooLarge);
            report(
                state,
                &parts.method,
                &target,
                json!({"verdict": "too_large"}),
                "refused: too_large",
                &answer,
            );
            return answer_response(&answer);
        }
    };
    let (facts, verdict, own_answer) = match state.endpoint.receive(&body, &headers) {
        Reception::Refused { error, answer } => {
            let reason = error
                .webhook_reason()
                .map_or("webhook_error", WebhookReason::as_str);
            (
                json!({"verdict": reason, "message": error.message()}),
                format!("refused: {reason} ({})", error.message()),
                answer,
            )
        }
        Reception::Verified(delivery) => {
            let claim = state
                .store
                .claim_now(delivery.store_key(), delivery.lease());
            let event = webhook_event_value(&delivery.event, Dialect::PYTHON);
            match delivery.after_claim(claim) {
                Some(answer) => (
                    json!({"verdict": "duplicate", "event": event}),
                    format!(
                        "authentic, a redelivery of {}",
                        delivery.event.idempotency_key()
                    ),
                    answer,
                ),
                None => {
                    state
                        .store
                        .complete_now(delivery.store_key(), delivery.done_ttl());
                    let payload = Value::Object(delivery.event.payload.clone());
                    (
                        json!({"verdict": "authentic", "event": event}),
                        format!(
                            "authentic {}\n{}",
                            delivery.event.idempotency_key(),
                            serde_json::to_string_pretty(&payload).unwrap_or_default()
                        ),
                        Answer::handled(),
                    )
                }
            }
        }
    };
    let Some(to) = &state.forward else {
        report(state, &parts.method, &target, facts, &verdict, &own_answer);
        return answer_response(&own_answer);
    };
    let mut forward = state.http.post(to.as_str()).body(body.to_vec());
    for (name, value) in &headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            forward = forward.header(name.as_str(), value.as_str());
        }
    }
    let (answer, line) = match forward.send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let ct = r
                .headers()
                .get(hyper::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let body = r.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            let line = format!(
                "the app answered {status} {}",
                String::from_utf8_lossy(&body).trim()
            );
            (
                response(status, ct.as_deref(), body),
                line.trim_end().to_owned(),
            )
        }
        Err(e) => (
            response(
                502,
                Some("application/json"),
                json!({"error": "forward_failed"}).to_string().into_bytes(),
            ),
            format!("could not forward to {to}: {e}"),
        ),
    };
    let mut facts = facts;
    facts["forwarded_status"] = json!(answer.status().as_u16());
    if state.out.json {
        state.out.value(&facts, true);
    } else {
        state
            .out
            .line(&format!("--> {} {target}  {verdict}", parts.method));
        state.out.line(&format!("<-- {line}"));
    }
    answer
}

/// Prints one delivery and the answer given (without forwarding).
fn report(
    state: &Listener,
    method: &hyper::Method,
    target: &str,
    mut facts: Value,
    verdict: &str,
    answer: &Answer,
) {
    if state.out.json {
        facts["status"] = json!(answer.status);
        state.out.value(&facts, true);
    } else {
        state.out.line(&format!("--> {method} {target}  {verdict}"));
        let line = format!("<-- {} {}", answer.status, answer.body_text());
        state.out.line(line.trim_end());
    }
}
