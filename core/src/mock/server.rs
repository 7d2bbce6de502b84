//! The mock's HTTP server (hyper: HTTP/1.1 with keep-alive, or over TLS HTTP/2 and HTTP/1.1 as
//! ALPN agrees), including the connection-level faults: a TCP reset and a body cut short.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};

use super::faults::Fault;
use super::{RecordedRequest, Shared, page};
use crate::error::{Error, Result};
use crate::models::Operation;

type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// Stops the server and waits until its port and every connection it accepted are closed.
pub(crate) struct StopHandle {
    tx: watch::Sender<bool>,
    /// Nothing is ever sent: the accept loop and each connection's task hold a sender, so this
    /// reports "disconnected" once all of them have ended.
    done: std::sync::mpsc::Receiver<()>,
}

impl StopHandle {
    pub fn stop(self) {
        let _ = self.tx.send(true);
        // Without this wait, a client's pooled keep-alive connection could still be answered
        // after `stop` returned (CI saw it once on CPython 3.9).
        let _ = self.done.recv_timeout(Duration::from_secs(2));
    }
}

pub(crate) fn spawn(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> Result<StopHandle> {
    let handle = crate::runtime::handle()?;
    let (tx, mut rx) = watch::channel(false);
    let (done_tx, done) = std::sync::mpsc::sync_channel(1);
    let listener = {
        let _guard = handle.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::configuration(format!("mock: cannot listen: {e}")))?
    };
    handle.spawn(async move {
        let mut connections = 0u64;
        loop {
            tokio::select! {
                _ = rx.changed() => break,
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        connections += 1;
                        shared.connections.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let open = done_tx.clone();
                        let served = serve(stream, connections, Arc::clone(&shared), rx.clone(), tls.clone());
                        tokio::spawn(async move {
                            served.await;
                            drop(open);
                        });
                    }
                }
            }
        }
        drop(listener);
        drop(done_tx);
    });
    Ok(StopHandle { tx, done })
}

/// One accepted connection: its number, whether it is TLS, and the signal that resets it.
struct Conn {
    id: u64,
    tls: bool,
    reset: Notify,
}

async fn serve(
    stream: tokio::net::TcpStream,
    id: u64,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let _ = stream.set_nodelay(true);
    // A second descriptor of the same socket, to turn a close into a reset on request.
    let control = stream
        .into_std()
        .and_then(|s| s.try_clone().map(|c| (s, c)));
    let Ok((std_stream, control)) = control else {
        return;
    };
    let Ok(stream) = tokio::net::TcpStream::from_std(std_stream) else {
        return;
    };
    let conn_info = Arc::new(Conn {
        id,
        tls: tls.is_some(),
        reset: Notify::new(),
    });
    let service = {
        let conn_info = Arc::clone(&conn_info);
        hyper::service::service_fn(move |req| {
            handle(Arc::clone(&shared), req, Arc::clone(&conn_info))
        })
    };
    let conn: std::pin::Pin<Box<dyn Future<Output = ()> + Send>> = match tls {
        None => {
            let c = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            Box::pin(async move {
                let _ = c.await;
            })
        }
        Some(acceptor) => Box::pin(async move {
            // A failed handshake (the client refused the certificate) just ends the connection.
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            let builder =
                hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
            let _ = builder.serve_connection(TokioIo::new(tls), service).await;
        }),
    };
    // Biased: once the gateway is stopped, this connection answers nothing more.
    tokio::select! {
        biased;
        _ = stop.changed() => {}
        _ = conn => {}
        _ = conn_info.reset.notified() => {
            // Linger 0 makes the last close send RST instead of FIN.
            let _ = socket2::SockRef::from(&control).set_linger(Some(Duration::ZERO));
        }
    }
}

fn full(status: u16, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(
        Full::new(body.into())
            .map_err(|never| match never {})
            .boxed(),
    );
    *r.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(hyper::header::CONTENT_TYPE, v);
    }
    r
}

fn json_reply(status: u16, body: &Value, request_id: &str) -> Response<Body> {
    let mut r = full(status, "application/json; charset=utf-8", body.to_string());
    if let Ok(v) = request_id.parse() {
        r.headers_mut().insert("x-request-id", v);
    }
    r
}

/// Sends half of `body` under a Content-Length for all of it, then fails the body (hyper then
/// aborts the connection).
fn truncated(status: u16, body: String, request_id: &str) -> Response<Body> {
    let bytes = Bytes::from(body);
    let total = bytes.len() as u64;
    let half = Some(bytes.slice(..bytes.len() / 2));
    let pause = Box::pin(tokio::time::sleep(Duration::from_millis(30)));
    let mut r = Response::new(BodyExt::boxed(Truncated { half, total, pause }));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::OK);
    let h = r.headers_mut();
    h.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    h.insert(hyper::header::CONTENT_LENGTH, total.into());
    if let Ok(v) = request_id.parse() {
        h.insert("x-request-id", v);
    }
    r
}

/// A body that yields its first half, pauses (so hyper flushes it), then fails.
struct Truncated {
    half: Option<Bytes>,
    total: u64,
    pause: std::pin::Pin<Box<tokio::time::Sleep>>,
}

impl hyper::body::Body for Truncated {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::result::Result<Frame<Bytes>, std::io::Error>>> {
        if let Some(b) = self.half.take() {
            return std::task::Poll::Ready(Some(Ok(Frame::data(b))));
        }
        match self.pause.as_mut().poll(cx) {
            std::task::Poll::Pending => std::task::Poll::Pending,
            std::task::Poll::Ready(()) => {
                std::task::Poll::Ready(Some(Err(std::io::Error::other("mock: body truncated"))))
            }
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.total)
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
    conn: Arc<Conn>,
) -> std::result::Result<Response<Body>, Infallible> {
    let method = req.method().as_str().to_owned();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let key = req
        .headers()
        .get(crate::API_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut headers = BTreeMap::new();
    if let Some(authority) = req.uri().authority() {
        // HTTP/2 carries the host as `:authority`, not a Host header.
        headers.insert("host".to_owned(), authority.as_str().to_owned());
    }
    let version = format!("{:?}", req.version());
    for (name, value) in req.headers() {
        let shown = if name.as_str().eq_ignore_ascii_case(crate::API_KEY_HEADER) {
            "***".to_owned()
        } else {
            value.to_str().unwrap_or("<binary>").to_owned()
        };
        headers.insert(name.as_str().to_owned(), shown);
    }
    let body = match Limited::new(req.into_body(), 2 * crate::MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(json_reply(
                413,
                &json!({"hasErrors": true, "errors": ["Request body too large."], "data": null}),
                "",
            ));
        }
    };

    // Only POSTs to a session endpoint take a scripted fault; everything is recorded.
    let op = (method == "POST")
        .then(|| Operation::from_path(req_path(&path)))
        .flatten();
    let fault = if op.is_some() {
        shared.script().next()
    } else {
        Fault::None
    };
    let request_id = shared.gateway().next_request_id();
    let api_key_valid = key.as_deref() == Some(shared.gateway().api_key.as_str());
    // Only loopback names are served: a page on another origin whose name resolves to
    // 127.0.0.1 (DNS rebinding) must not reach the mock's sessions or scripts.
    if !loopback_host(&headers) {
        let env = json!({"hasErrors": true, "errors": [{"propertyName": "Host", "errorMessage": "The mock gateway answers only 127.0.0.1, localhost and [::1]."}], "data": null});
        return Ok(json_reply(421, &env, ""));
    }
    let size = body.len()
        + path.len()
        + headers
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>();
    let recorded = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        headers,
        api_key_valid,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        received_ms: shared.started.elapsed().as_millis() as u64,
        fault: (fault != Fault::None).then(|| fault.clone()),
        connection: conn.id,
        version,
        tls: conn.tls,
    };
    // Bounded in count and bytes: a soak or a long-lived demo must not grow without end.
    let cross_site = cross_site(&recorded.headers, &shared.base);
    shared.log().push(
        recorded,
        size,
        shared.max_recorded,
        super::MAX_RECORDED_BYTES,
    );
    if method == "GET" {
        return Ok(get(&shared, &path));
    }
    if let (Some(id), "POST") = (completion_path(&path), method.as_str()) {
        if cross_site {
            // The customer's button is on the mock's own page: another site's form must not
            // complete a session (and fire a signed webhook) on a visitor's behalf.
            let body = "<p class=\"error\">Refused: this page completes a session only from the \
                        mock's own session page (a cross-site request was refused).</p>";
            return Ok(full(
                403,
                "text/html; charset=utf-8",
                page::page("Refused", body),
            ));
        }
        return Ok(completed(
            super::webhooks::complete(Arc::clone(&shared), id.to_owned()).await,
        ));
    }
    let Some(op) = op else {
        let env = json!({"hasErrors": true, "errors": [{"propertyName": "", "errorMessage": format!("No endpoint {method} {path}.")}], "data": null});
        return Ok(json_reply(404, &env, ""));
    };
    let process = |shared: &Shared| {
        shared
            .gateway()
            .process(op, key.as_deref(), &body, &shared.base)
    };
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let reply = match fault {
        Fault::None => {
            let (status, env) = process(&shared);
            json_reply(status, &env, &request_id)
        }
        Fault::Delay { ms } => {
            let (status, env) = process(&shared);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            json_reply(status, &env, &request_id)
        }
        Fault::Truncate => {
            let (status, env) = process(&shared);
            truncated(status, env.to_string(), &request_id)
        }
        Fault::Reset => {
            conn.reset.notify_one();
            // The connection task resets the socket and drops this future.
            std::future::pending::<Response<Body>>().await
        }
        Fault::Status {
            status,
            retry_after,
            retry_after_date_in_s,
            body,
        } => {
            let env = json!({"hasErrors": true, "errors": [{"propertyName": "", "errorMessage": format!("Scripted failure {status}.")}], "data": null});
            let mut r = match body {
                Some(b) => full(status, "application/json", b),
                None => json_reply(status, &env, &request_id),
            };
            let date = retry_after_date_in_s
                .and_then(|s| SystemTime::now().checked_add(Duration::from_secs(s)))
                .map(httpdate::fmt_http_date);
            if let Some(v) = retry_after.or(date).and_then(|v| v.parse().ok()) {
                r.headers_mut().insert(hyper::header::RETRY_AFTER, v);
            }
            r
        }
        Fault::NonJson { status } => full(
            status,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        ),
        Fault::Redirect { status, location } => {
            let mut r = full(status, "text/plain", "");
            if let Ok(v) = location.parse() {
                r.headers_mut().insert(hyper::header::LOCATION, v);
            }
            r
        }
        Fault::Oversize { chunked } => {
            let pad = "x".repeat(crate::MAX_BODY_BYTES + 1024);
            let env = json!({"hasErrors": false, "errors": [], "data": {"Padding": pad}});
            if chunked {
                let mut r = Response::new(BodyExt::boxed(Chunked(Bytes::from(env.to_string()))));
                r.headers_mut().insert(
                    hyper::header::CONTENT_TYPE,
                    hyper::header::HeaderValue::from_static("application/json"),
                );
                r
            } else {
                json_reply(200, &env, &request_id)
            }
        }
        Fault::Raw { status, body } => full(status, "application/json", body),
    };
    Ok(reply)
}

/// A body sent in 64 KiB frames with no declared length (chunked transfer encoding).
struct Chunked(Bytes);

impl hyper::body::Body for Chunked {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<std::result::Result<Frame<Bytes>, std::io::Error>>> {
        if self.0.is_empty() {
            return std::task::Poll::Ready(None);
        }
        let n = self.0.len().min(64 * 1024);
        let frame = self.0.split_to(n);
        std::task::Poll::Ready(Some(Ok(Frame::data(frame))))
    }
}

/// Whether the `Host` header names a loopback address (any port).
fn loopback_host(headers: &BTreeMap<String, String>) -> bool {
    let Some(host) = headers.get("host") else {
        return true; // HTTP/1.0 without Host: only reachable directly on loopback
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host
            .rsplit_once(':')
            .map_or(host.as_str(), |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a browser sent this request from another site: its `Sec-Fetch-Site` says
/// `cross-site` or `same-site`, or its `Origin` is not the mock's own (`base`'s scheme, a
/// loopback name and the port). A request with neither header (curl, a test, a server) is not
/// a browser's cross-site request.
fn cross_site(headers: &BTreeMap<String, String>, base: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        if !matches!(site.as_str(), "same-origin" | "none") {
            return true;
        }
    }
    let Some(origin) = headers.get("origin") else {
        return false;
    };
    let (Ok(origin), Ok(own)) = (url::Url::parse(origin), url::Url::parse(base)) else {
        return true; // "null" (a sandboxed frame, a file) and anything unreadable
    };
    let loopback = match origin.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    !(loopback
        && origin.scheme() == own.scheme()
        && origin.port_or_known_default() == own.port_or_known_default())
}

fn req_path(path_and_query: &str) -> &str {
    path_and_query.split('?').next().unwrap_or_default()
}

/// The session id of `/app/embedded/{slug}/session/{id}/complete` (the page's button).
fn completion_path(path: &str) -> Option<&str> {
    let parts: Vec<&str> = req_path(path).trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["app", "embedded", _, "session", id, "complete"] => Some(id),
        _ => None,
    }
}

/// The answer to the page's button: on to `SuccessUrl`/`ReturnUrl` (303), or a page saying
/// what happened.
fn completed(result: Result<super::Completion>) -> Response<Body> {
    let c = match result {
        Ok(c) => c,
        Err(e) => {
            let body = format!("<p class=\"bad\">{}</p>", page::escape(e.message()));
            return full(
                409,
                "text/html; charset=utf-8",
                page::page("Not completed", &body),
            );
        }
    };
    if let Some(next) = c.next_url.as_deref().and_then(|u| u.parse().ok()) {
        let mut r = full(303, "text/plain", "");
        r.headers_mut().insert(hyper::header::LOCATION, next);
        return r;
    }
    let deliveries: String = c
        .deliveries
        .iter()
        .map(|d| match (d.status, &d.error) {
            (Some(s), _) => format!("<li>delivered: HTTP {s}</li>"),
            (None, e) => format!(
                "<li>not delivered: {}</li>",
                page::escape(e.as_deref().unwrap_or_default())
            ),
        })
        .collect();
    let body = format!(
        "<p class=\"ok\" id=\"completed\">Completed: reference number {}.</p><p>Webhook {}:</p><ul>{deliveries}</ul>",
        page::escape(&c.reference_number),
        page::escape(c.event.as_deref().unwrap_or("(none documented)")),
    );
    full(
        200,
        "text/html; charset=utf-8",
        page::page("Completed", &body),
    )
}

fn get(shared: &Shared, path: &str) -> Response<Body> {
    let path = req_path(path);
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if let ["app", "embedded", _slug, "session", id] = parts.as_slice() {
        let g = shared.gateway();
        let (status, html) = page::session_page(g.sessions.get(*id).map(|s| (*id, s)), g.now());
        return full(status, "text/html; charset=utf-8", html);
    }
    if path == "/__mock/stats" {
        let stats = json!({
            "connections": shared.connections.load(std::sync::atomic::Ordering::Relaxed),
            "sessions": shared.gateway().sessions.len(),
        });
        return json_reply(200, &stats, "");
    }
    if path == "/" {
        let g = shared.gateway();
        let mut rows: Vec<_> = g.sessions.iter().collect();
        rows.sort_by_key(|(_, s)| s.created);
        let links: String = rows
            .iter()
            .map(|(id, s)| {
                let (slug, id) = (page::escape(&s.slug), page::escape(id));
                format!(
                    "<li><a href=\"/app/embedded/{slug}/session/{id}\">{} {id}</a></li>",
                    s.kind.as_str()
                )
            })
            .collect();
        return full(
            200,
            "text/html; charset=utf-8",
            format!(
                "<!doctype html><title>Paystar mock</title><h1>Paystar mock gateway</h1><ul>{links}</ul>"
            ),
        );
    }
    full(404, "text/plain", "not found")
}
