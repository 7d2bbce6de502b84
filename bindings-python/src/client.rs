//! `paystar.Client` (sync, GIL released for the whole call) and `paystar.AsyncClient` (asyncio
//! awaitables; the call runs on core's shared runtime, no thread per call). Options, results,
//! errors and log lines are core's (`paystar::bridge`); this file only moves them.

use std::sync::atomic::{AtomicBool, Ordering};

use paystar::Collect;
use paystar::bridge::{self, Dialect};
use paystar::{AttemptEvent, Operation, Reply, RequestOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::Value;

use crate::aio::Finished;
use crate::convert::{self, to_py};
use crate::shapes::{self, py_err};

/// What both clients hold.
struct Core {
    client: paystar::Client,
    closed: AtomicBool,
}

impl Core {
    /// Builds from `api_key` and the keyword options (core reads and checks every one).
    fn new(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Core> {
        let all = match options {
            Some(o) => o.copy()?,
            None => PyDict::new(py),
        };
        if let Some(key) = api_key {
            all.set_item("api_key", key)?;
        }
        let build = || -> paystar::Result<Core> {
            let opts = convert::options(Some(all.as_any()))?;
            let v = py.version_info();
            let binding = format!("python {}.{}", v.major, v.minor);
            let client = bridge::client(&opts, Dialect::PYTHON, &binding)?;
            Ok(Core {
                client,
                closed: AtomicBool::new(false),
            })
        };
        bridge::guard(build).map_err(py_err(py))
    }

    /// The request and per-call options as core takes them, checked before anything is sent.
    fn prepare(
        &self,
        py: Python<'_>,
        input: Option<&Bound<'_, PyAny>>,
        options: &CallOptions,
    ) -> paystar::Result<(Value, RequestOptions)> {
        self.check_open()?;
        let options = if options.iter().all(|(_, v)| v.is_none()) {
            RequestOptions::default()
        } else {
            let given = PyDict::new(py);
            for (name, v) in options {
                if let Some(v) = v {
                    given
                        .set_item(name, v.bind(py))
                        .map_err(|e| paystar::Error::internal(e.to_string()))?;
                }
            }
            bridge::call_options(&convert::options(Some(given.as_any()))?, Dialect::PYTHON)?
        };
        Ok((convert::value(input)?, options))
    }

    fn describe<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(
            py,
            &bridge::client_value(self.client.config(), Dialect::PYTHON),
        )
    }

    fn repr(&self, py: Python<'_>, class: &str) -> PyResult<String> {
        let info = self.describe(py)?;
        let get = |k: &str| -> PyResult<String> { info.get_item(k)?.repr().map(|r| r.to_string()) };
        Ok(format!(
            "{class}(environment={}, base_url={}, timeout={}, max_retries={}, api_key='***'{})",
            get("environment")?,
            get("base_url")?,
            get("timeout")?,
            get("max_retries")?,
            if self.closed.load(Ordering::Acquire) {
                ", closed"
            } else {
                ""
            },
        ))
    }
}

/// Logs the call's events (caller's thread), then returns the session (or receipt) or raises.
/// The per-call keyword options, by name (`timeout`, `max_retries`, `traceparent`,
/// `tracestate`: core's `CALL_OPTIONS`).
type CallOptions = [(&'static str, Option<Py<PyAny>>); 4];

/// What a call collects, asked on the caller's thread before it starts: the `paystar`
/// logger's level, and its telemetry (the call's span, started) when the client records it.
struct Listening {
    collect: Collect,
    span: Option<Py<PyAny>>,
}

impl Listening {
    fn start(
        py: Python<'_>,
        config: &paystar::Config,
        op: Operation,
        options: &mut RequestOptions,
    ) -> Listening {
        let span = crate::otel::start(py, config, op, options);
        Listening {
            collect: Collect {
                log: shapes::log_level(py),
                telemetry: span.is_some(),
            },
            span,
        }
    }
}

/// Logs the call's events and records its telemetry (on the caller's thread, with the GIL),
/// then returns its result or raises its error.
fn finish(
    py: Python<'_>,
    client: &paystar::Client,
    op: Operation,
    listening: Listening,
    (result, events): (paystar::Result<Reply>, Vec<AttemptEvent>),
) -> PyResult<Py<PyAny>> {
    if listening.collect.any() {
        let report = bridge::call_report(client.config(), op, &result, &events, listening.collect);
        shapes::emit(py, &report.logs);
        if let Some(span) = listening.span {
            crate::otel::finish(py, span, report.telemetry.as_ref());
        }
    }
    match result {
        Ok(reply) => shapes::reply(py, &reply).map(Bound::unbind),
        Err(e) => Err(shapes::to_pyerr(py, &e)),
    }
}

/// The synchronous client. Thread-safe: share one per process. The GIL is released while a
/// call waits on the network, so other Python threads keep running.
#[pyclass(module = "paystar._native", name = "Client", frozen)]
pub struct Client(Core);

/// The asyncio client: each operation is a coroutine. The HTTP work runs on paystar's shared
/// runtime; the event loop is never blocked.
#[pyclass(module = "paystar._native", name = "AsyncClient", frozen)]
pub struct AsyncClient(Core);

/// `#[new]`, `close`, the attributes and `__repr__`, the same for both clients.
macro_rules! common {
    ($ty:ident) => {
        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (api_key = None, **options))]
            fn new(
                py: Python<'_>,
                api_key: Option<&Bound<'_, PyAny>>,
                options: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Self> {
                Core::new(py, api_key, options).map($ty)
            }

            /// Marks the client closed: later calls raise `ConfigurationError`. Connections
            /// are pooled per process and shared, so nothing else needs releasing.
            fn close(&self) {
                self.0.closed.store(true, Ordering::Release);
            }

            /// The base URL calls go to.
            #[getter]
            fn base_url(&self) -> String {
                self.0.client.config().base_url().to_string()
            }

            /// The base URL Events API calls go to (`https://gateway.paystar.io/` in
            /// production; the `base_url` when one was given).
            #[getter]
            fn events_base_url(&self) -> String {
                self.0.client.config().events_base_url().to_string()
            }

            /// `"development"` or `"production"`; `None` when a `base_url` was given.
            #[getter]
            fn environment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.0.describe(py)?.get_item("environment")
            }

            /// The URL of Paystar's JavaScript loader for this environment (the page's
            /// `<script src>`); `None` when a `base_url` was given.
            #[getter]
            fn loader_url<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.0.describe(py)?.get_item("loader_url")
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                self.0.repr(py, stringify!($ty))
            }
        }
    };
}
common!(Client);
common!(AsyncClient);

impl Client {
    fn call(
        &self,
        py: Python<'_>,
        operation: Operation,
        input: Option<&Bound<'_, PyAny>>,
        options: &CallOptions,
    ) -> PyResult<Py<PyAny>> {
        let (body, mut options) =
            bridge::guard(|| self.0.prepare(py, input, options)).map_err(py_err(py))?;
        let listening = Listening::start(py, self.0.client.config(), operation, &mut options);
        let collect = listening.collect;
        let client = self.0.client.clone();
        let outcome = py.detach(move || {
            paystar::runtime::block_on(async move {
                client
                    .execute_logged(operation, &body, Dialect::PYTHON.case, &options, collect)
                    .await
            })
            .unwrap_or_else(|e| (Err(e), Vec::new()))
        });
        finish(py, &self.0.client, operation, listening, outcome)
    }
}

impl AsyncClient {
    /// Converts the arguments (with the GIL, on the first poll), then runs core's call as a
    /// task on the shared runtime. The task hands its outcome to this event loop's
    /// [`Completions`](crate::aio::Completions) (no GIL, no Python on the runtime's threads);
    /// the loop's reader callback delivers it, so the coroutine wakes on the loop's thread.
    /// Dropping the coroutine (task cancelled) aborts the call. Logs and results are made with
    /// the GIL, on the loop's thread, after the call.
    async fn call(
        &self,
        operation: Operation,
        input: Option<Py<PyAny>>,
        options: CallOptions,
    ) -> PyResult<Py<PyAny>> {
        let (body, options, listening, queue) = Python::attach(|py| -> PyResult<_> {
            let input = input.as_ref().map(|v| v.bind(py).clone());
            let (body, mut options) =
                bridge::guard(|| self.0.prepare(py, input.as_ref(), &options))
                    .map_err(py_err(py))?;
            let queue = shapes::completions(py)?;
            let listening = Listening::start(py, self.0.client.config(), operation, &mut options);
            Ok((body, options, listening, queue))
        })?;
        let collect = listening.collect;
        let handle = paystar::runtime::handle().map_err(|e| Python::attach(|py| py_err(py)(e)))?;
        let (to, outcome) = tokio::sync::oneshot::channel();
        let client = self.0.client.clone();
        let task = handle.spawn(async move {
            let done = client
                .execute_logged(operation, &body, Dialect::PYTHON.case, &options, collect)
                .await;
            queue.push(to, Finished::Call(done));
        });
        let _abort = AbortOnDrop(task.abort_handle());
        let outcome = match outcome.await {
            Ok(Finished::Call(done)) => done,
            _ => {
                let e = paystar::Error::internal("the call stopped before it finished (a bug)");
                (Err(e), Vec::new())
            }
        };
        Python::attach(|py| finish(py, &self.0.client, operation, listening, outcome))
    }
}

impl Core {
    /// A closed client's `configuration_error`, before a call or a warm-up.
    fn check_open(&self) -> paystar::Result<()> {
        if self.closed.load(Ordering::Acquire) {
            return Err(paystar::Error::client_closed());
        }
        Ok(())
    }
}

#[pymethods]
impl Client {
    /// Opens a connection to the gateway ahead of the first call (TCP, TLS, HTTP/2) and keeps
    /// it in the pool: a `HEAD` of the base URL that carries no API key and creates nothing.
    /// Returns the answer's status (any status proves the connection); raises
    /// `ConnectionError` (an untrusted certificate says so) or `TimeoutError`. Not retried. A
    /// service calls it at start, before it takes traffic, so its first call does not pay the
    /// handshakes. The GIL is released while it runs.
    fn warm_up(&self, py: Python<'_>) -> PyResult<u16> {
        self.0.check_open().map_err(py_err(py))?;
        let client = self.0.client.clone();
        py.detach(move || {
            paystar::runtime::block_on(async move { client.warm_up().await })
                .and_then(|status| status)
        })
        .map_err(py_err(py))
    }
}

#[pymethods]
impl AsyncClient {
    /// Opens a connection to the gateway ahead of the first call (the awaitable twin of
    /// `Client.warm_up`): returns the answer's status. The event loop is never blocked.
    async fn warm_up(&self) -> PyResult<u16> {
        let queue = Python::attach(|py| -> PyResult<_> {
            self.0.check_open().map_err(py_err(py))?;
            shapes::completions(py)
        })?;
        let handle = paystar::runtime::handle().map_err(|e| Python::attach(|py| py_err(py)(e)))?;
        let (to, outcome) = tokio::sync::oneshot::channel();
        let client = self.0.client.clone();
        let task = handle.spawn(async move {
            let status = client.warm_up().await;
            queue.push(to, Finished::WarmUp(status));
        });
        let _abort = AbortOnDrop(task.abort_handle());
        let status = match outcome.await {
            Ok(Finished::WarmUp(status)) => status,
            _ => Err(paystar::Error::internal(
                "the warm-up stopped before it finished (a bug)",
            )),
        };
        status.map_err(|e| Python::attach(|py| py_err(py)(e)))
    }
}

/// Aborts a call's task when its coroutine goes away (cancelled, or never awaited to the end).
struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The request: a positional `params` mapping or keyword arguments, not both (a `TypeError`).
fn input<'py>(
    params: Option<&Bound<'py, PyAny>>,
    fields: Option<&Bound<'py, PyDict>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    match (params, fields) {
        (Some(_), Some(f)) if !f.is_empty() => Err(pyo3::exceptions::PyTypeError::new_err(
            "pass the request either as one dict or as keyword arguments, not both",
        )),
        (Some(p), _) => Ok(Some(p.clone())),
        (None, f) => Ok(f.map(|f| f.clone().into_any())),
    }
}

/// The per-call keyword options by name.
macro_rules! call_options {
    ($($name:ident),*) => {
        [$((stringify!($name), $name)),*]
    };
}

/// One sync and one async method per operation.
macro_rules! operations {
    ($($name:ident => $op:ident: $doc:literal;)*) => {
        #[pymethods]
        impl Client {
            $(
                #[doc = $doc]
                #[pyo3(signature = (params = None, /, *, timeout = None, max_retries = None, traceparent = None, tracestate = None, **fields))]
                #[allow(clippy::too_many_arguments)]
                fn $name(
                    &self,
                    py: Python<'_>,
                    params: Option<&Bound<'_, PyAny>>,
                    timeout: Option<Py<PyAny>>,
                    max_retries: Option<Py<PyAny>>,
                    traceparent: Option<Py<PyAny>>,
                    tracestate: Option<Py<PyAny>>,
                    fields: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    let input = input(params, fields)?;
                    let options = call_options!(timeout, max_retries, traceparent, tracestate);
                    self.call(py, Operation::$op, input.as_ref(), &options)
                }
            )*

            fn __enter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            #[pyo3(signature = (*_args))]
            fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) {
                self.close();
            }
        }

        #[pymethods]
        impl AsyncClient {
            $(
                #[doc = $doc]
                #[pyo3(signature = (params = None, /, *, timeout = None, max_retries = None, traceparent = None, tracestate = None, **fields))]
                #[allow(clippy::too_many_arguments)]
                async fn $name(
                    &self,
                    params: Option<Py<PyAny>>,
                    timeout: Option<Py<PyAny>>,
                    max_retries: Option<Py<PyAny>>,
                    traceparent: Option<Py<PyAny>>,
                    tracestate: Option<Py<PyAny>>,
                    fields: Option<Py<PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    let input = Python::attach(|py| {
                        input(params.as_ref().map(|p| p.bind(py)), fields.as_ref().map(|f| f.bind(py)))
                            .map(|i| i.map(Bound::unbind))
                    })?;
                    let options = call_options!(timeout, max_retries, traceparent, tracestate);
                    self.call(Operation::$op, input, options).await
                }
            )*

            async fn __aenter__(slf: Py<Self>) -> Py<Self> {
                slf
            }

            #[pyo3(signature = (*_args))]
            async fn __aexit__(&self, _args: Py<pyo3::types::PyTuple>) {
                self.close();
            }

            /// Closes the client (the awaitable twin of `close`).
            async fn aclose(&self) {
                self.close();
            }
        }
    };
}

operations! {
    create_payment_session => CreatePaymentSession:
        "Creates a payment session (`POST /integrations/embedded/initiate`).";
    create_autopay_session => CreateAutopaySession:
        "Creates an AutoPay management session.";
    create_wallet_session => CreateWalletSession:
        "Creates a wallet (saved payment methods) session.";
    create_paperless_session => CreatePaperlessSession:
        "Creates a paperless billing session.";
    create_notification_session => CreateNotificationSession:
        "Creates a notification preferences session.";
    update_customer => UpdateCustomer:
        "Updates a customer's names or email address (Events API `Accounts.ManageCustomer`).";
    send_event => SendEvent:
        "Sends an Events API event (`Accounts.UnenrollAutopay`, ...); the payload goes as JSON text.";
}
