//! One HTTP attempt: reqwest with rustls, no redirects, a capped body, and failures sorted into
//! what the retry policy needs.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};

use crate::config::{Config, redact_url};
use crate::error::{Error, ErrorCode, Result};
use crate::retry::Failure;
use crate::runtime::PerProcess;

/// Largest answer body read; a longer one is a `decode_error`.
/// Decision: docs/decisions.md#answer-size.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The API key header.
pub const API_KEY_HEADER: &str = "X-Paystar-Api-Key";
/// The header the gateway's request id is read from.
/// Decision: docs/decisions.md#request-id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// A complete answer (any status).
#[derive(Debug)]
pub(crate) struct HttpAnswer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl HttpAnswer {
    /// An answer with no headers (for decoder tests).
    #[cfg(test)]
    pub fn of(status: u16, body: impl Into<Vec<u8>>) -> HttpAnswer {
        HttpAnswer {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn request_id(&self) -> Option<String> {
        self.header(REQUEST_ID_HEADER).map(str::to_owned)
    }
}

/// An attempt that got no complete answer.
#[derive(Debug)]
pub(crate) struct AttemptError {
    pub failure: Failure,
    pub error: Error,
}

/// The reqwest client of this process (rebuilt after a fork, like the runtime).
pub(crate) struct Transport {
    pool: PerProcess<reqwest::Client>,
    /// The key header, built once and marked sensitive (never logged by hyper or h2).
    api_key: HeaderValue,
}

impl Transport {
    /// Builds the HTTP client now, so that a bad proxy or TLS setup is a `configuration_error`
    /// at construction rather than at the first call.
    pub fn new(config: &Config) -> Result<Transport> {
        let client = build_client(config)?;
        let mut api_key = HeaderValue::from_str(config.api_key.expose())
            .map_err(|_| Error::option("api_key", "not a valid header value"))?;
        api_key.set_sensitive(true);
        Ok(Transport {
            pool: PerProcess::new(client),
            api_key,
        })
    }

    /// The connection pool for this process; `config` was checked by the builder.
    fn client(&self, config: &Config) -> Result<reqwest::Client> {
        self.pool.get(|| build_client(config))
    }

    /// Opens a connection to `url` (TCP, TLS and HTTP version negotiation) with a `HEAD`
    /// request that carries no API key, and keeps it in the pool: the answer's status, or why
    /// no connection could be made.
    pub async fn probe(&self, config: &Config, url: &url::Url) -> Result<u16> {
        let client = self.client(config)?;
        let response = client
            .head(url.clone())
            .timeout(config.timeout)
            .send()
            .await
            .map_err(|e| classify(e).error)?;
        Ok(response.status().as_u16())
    }

    /// Sends one POST and reads the whole answer (within the caller's timeout).
    pub async fn post(
        &self,
        config: &Config,
        url: &url::Url,
        body: Vec<u8>,
        trace: Option<&crate::telemetry::TraceContext>,
    ) -> std::result::Result<HttpAnswer, AttemptError> {
        let client = self.client(config).map_err(|error| AttemptError {
            failure: Failure::Fatal,
            error,
        })?;
        let mut request = client
            .post(url.clone())
            .header(API_KEY_HEADER, self.api_key.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json");
        if let Some(trace) = trace {
            // Checked when the call was made (`TraceContext::new`): visible ASCII only.
            request = request.header("traceparent", trace.traceparent());
            if let Some(state) = trace.tracestate() {
                request = request.header("tracestate", state);
            }
        }
        let mut response = request.body(body).send().await.map_err(classify)?;
        let status = response.status().as_u16();
        // Taken, not cloned: the body is read through `chunk`, which needs no headers.
        let headers = std::mem::take(response.headers_mut());
        let declared = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
            return Err(too_large(status));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY_BYTES {
                        return Err(too_large(status));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(AttemptError {
                        failure: Failure::Connection { sent: true },
                        error: Error::new(
                            ErrorCode::Connection,
                            format!(
                                "the connection broke while reading the answer (status {status})"
                            ),
                        )
                        .with_status(status)
                        .with_source(e.without_url()),
                    });
                }
            }
        }
        Ok(HttpAnswer {
            status,
            headers,
            body,
        })
    }
}

fn too_large(status: u16) -> AttemptError {
    AttemptError {
        // Retried only where the status itself is (a 503 with a huge error page, say).
        failure: Failure::Status {
            status,
            retry_after: None,
        },
        error: Error::new(
            ErrorCode::Decode,
            format!("the answer body is over {MAX_BODY_BYTES} bytes (status {status})"),
        )
        .with_status(status),
    }
}

fn build_client(config: &Config) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .user_agent(config.user_agent.clone())
        .pool_idle_timeout(Duration::from_secs(50))
        .tcp_nodelay(true);
    if config.proxy.is_none() && crate::config::is_loopback_host(&config.base_url) {
        // Loopback (a MockGateway, a local sidecar) never goes through HTTP(S)_PROXY.
        builder = builder.no_proxy();
    }
    if let Some(proxy) = &config.proxy {
        let mut proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|e| {
            Error::option(
                "proxy",
                format!("{} is not usable ({e})", redact_url(proxy)),
            )
        })?;
        if let Some(hosts) = &config.no_proxy {
            proxy = proxy.no_proxy(reqwest::NoProxy::from_string(hosts));
        }
        builder = builder.proxy(proxy);
    }
    if !config.extra_roots.is_empty() {
        builder = builder.tls_certs_merge(config.extra_roots.iter().cloned());
    }
    if let Some((host, addrs)) = &config.pinned {
        builder = builder.resolve_to_addrs(host, addrs);
    }
    builder
        .build()
        .map_err(|e| Error::configuration(format!("could not build the HTTP client: {e}")))
}

/// Sorts a reqwest failure into what the retry policy needs.
fn classify(e: reqwest::Error) -> AttemptError {
    if let Some(tls) = tls_failure(&e) {
        // Final: one attempt, not retryable, not ambiguous (the request never left).
        return AttemptError {
            failure: Failure::Tls,
            error: Error::new(ErrorCode::Connection, tls)
                .permanent()
                .with_source(e.without_url()),
        };
    }
    // A connect timeout is a connect failure: the request never left, so it is not ambiguous.
    let (failure, code, what) = if e.is_connect() {
        let what = if e.is_timeout() {
            "connecting timed out"
        } else {
            "could not connect"
        };
        (
            Failure::Connection { sent: false },
            ErrorCode::Connection,
            what,
        )
    } else if e.is_timeout() {
        (
            Failure::Timeout,
            ErrorCode::Timeout,
            "the attempt timed out",
        )
    } else if closed_before_answer(&e) {
        (
            Failure::Dropped,
            ErrorCode::Connection,
            "the connection closed before any answer",
        )
    } else {
        (
            Failure::Connection { sent: true },
            ErrorCode::Connection,
            "the connection failed",
        )
    };
    let detail = root_cause(&e);
    AttemptError {
        failure,
        error: Error::new(code, format!("{what}: {detail}")).with_source(e.without_url()),
    }
}

/// Why the TLS layer refused the connection, in a sentence, when it did: a certificate the
/// client does not accept, or a handshake that failed. Found as rustls's error in the chain
/// (an `io::Error` wraps it: its `source()` skips the wrapped error, so it is opened here).
fn tls_failure(e: &reqwest::Error) -> Option<String> {
    find_tls(e, 0).map(tls_reason)
}

/// rustls's error anywhere below `err`: through `source()`, and into what an `io::Error`
/// wraps (its `source()` skips the wrapped error itself). Bounded in depth.
fn find_tls<'a>(
    err: &'a (dyn std::error::Error + 'static),
    depth: usize,
) -> Option<&'a rustls::Error> {
    if depth > 16 {
        return None;
    }
    if let Some(tls) = err.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    if let Some(inner) = err
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
    {
        if let Some(tls) = find_tls(inner, depth + 1) {
            return Some(tls);
        }
    }
    err.source().and_then(|next| find_tls(next, depth + 1))
}

fn tls_reason(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    const TRUST: &str = "add its CA with the ca_bundle option, SSL_CERT_FILE or the system store";
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let why = match c {
                C::UnknownIssuer => format!("its issuer is not trusted ({TRUST})"),
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "it is not valid for the gateway's host name".to_owned()
                }
                C::Expired | C::ExpiredContext { .. } => "it has expired".to_owned(),
                C::NotValidYet | C::NotValidYetContext { .. } => "it is not valid yet".to_owned(),
                C::Revoked => "it is revoked".to_owned(),
                C::BadSignature | C::BadEncoding => "it is malformed or badly signed".to_owned(),
                other => format!("{other:?}"),
            };
            format!("TLS: the gateway's certificate was refused: {why}; not retried")
        }
        other => format!("TLS: the handshake with the gateway failed ({other}); not retried"),
    }
}

/// hyper's "connection closed before message completed": the server closed the socket (often a
/// pooled keep-alive one) before any byte of the answer came back.
fn closed_before_answer(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() {
                return true;
            }
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
            ) {
                return true;
            }
        }
        source = err.source();
    }
    false
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}
