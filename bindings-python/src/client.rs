//! `paystar.Client` (sync, GIL released for the whole call) and `paystar.AsyncClient` (asyncio
//! awaitables; the call runs on core's shared runtime, no thread per call).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use paystar::{Case, Operation, RequestOptions};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert;
use crate::errors::{py_err, to_pyerr};
use crate::session::Session;

/// What both clients hold.
struct Core {
    client: paystar::Client,
    closed: AtomicBool,
}

/// Constructor arguments shared by both clients (seconds as floats).
#[allow(clippy::too_many_arguments)]
fn build(
    py: Python<'_>,
    api_key: Option<String>,
    environment: Option<String>,
    base_url: Option<String>,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    max_retries: Option<i64>,
    deadline: Option<f64>,
    user_agent_suffix: Option<String>,
    proxy: Option<String>,
    client_validation: Option<bool>,
) -> paystar::Result<Core> {
    let v = py.version_info();
    let mut b = paystar::Client::builder()
        .binding(format!("python {}.{}", v.major, v.minor))
        .on_attempt(crate::logging::observer);
    if let Some(s) = user_agent_suffix {
        b = b.user_agent_suffix(s);
    }
    if let Some(k) = api_key {
        b = b.api_key(k);
    }
    if let Some(e) = environment {
        b = b.environment_name(e);
    }
    if let Some(u) = base_url {
        b = b.base_url(u);
    }
    if let Some(t) = timeout {
        b = b.timeout(paystar::duration_from_units("timeout", t, 1.0)?);
    }
    if let Some(t) = connect_timeout {
        b = b.connect_timeout(paystar::duration_from_units("connect_timeout", t, 1.0)?);
    }
    if let Some(r) = max_retries {
        b = b.max_retries(retries(r)?);
    }
    if let Some(d) = deadline {
        b = b.deadline(paystar::duration_from_units("deadline", d, 1.0)?);
    }
    if let Some(p) = proxy {
        b = b.proxy(p);
    }
    if let Some(v) = client_validation {
        b = b.client_validation(v);
    }
    Ok(Core {
        client: b.build()?,
        closed: AtomicBool::new(false),
    })
}

fn retries(r: i64) -> paystar::Result<u32> {
    u32::try_from(r).map_err(|_| {
        paystar::Error::configuration(format!(
            "max_retries: must be a whole number from 0 up (got {r})"
        ))
    })
}

fn options(timeout: Option<f64>, max_retries: Option<i64>) -> paystar::Result<RequestOptions> {
    Ok(RequestOptions {
        timeout: timeout
            .map(|t| paystar::duration_from_units("timeout", t, 1.0))
            .transpose()?,
        max_retries: max_retries.map(retries).transpose()?,
    })
}

impl Core {
    fn check_open(&self) -> paystar::Result<()> {
        if self.closed.load(Ordering::Acquire) {
            return Err(paystar::Error::configuration("this client is closed"));
        }
        Ok(())
    }

    fn repr(&self, class: &str) -> String {
        let c = self.client.config();
        format!(
            "{class}(environment={}, base_url={:?}, timeout={}, max_retries={}, api_key='***'{})",
            c.environment()
                .map_or_else(|| "None".into(), |e| format!("{:?}", e.as_str())),
            c.base_url().as_str(),
            secs(c.timeout()),
            c.max_retries(),
            if self.closed.load(Ordering::Acquire) {
                ", closed"
            } else {
                ""
            },
        )
    }
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The synchronous client. Thread-safe: share one per process. The GIL is released while a
/// call waits on the network, so other Python threads keep running.
#[pyclass(module = "paystar._native", name = "Client", frozen)]
pub struct Client(Core);

/// The asyncio client: each operation is a coroutine. The HTTP work runs on paystar's shared
/// runtime; the event loop is never blocked.
#[pyclass(module = "paystar._native", name = "AsyncClient", frozen)]
pub struct AsyncClient(Core);

/// `#[new]`, `close` and `__repr__`, the same for both clients.
macro_rules! common {
    ($ty:ident) => {
        #[pymethods]
        impl $ty {
            #[new]
            #[pyo3(signature = (
                        api_key = None, *, environment = None, base_url = None, timeout = None,
                        connect_timeout = None, max_retries = None, deadline = None,
                        user_agent_suffix = None, proxy = None, client_validation = None
                    ))]
            #[allow(clippy::too_many_arguments)]
            fn new(
                py: Python<'_>,
                api_key: Option<String>,
                environment: Option<String>,
                base_url: Option<String>,
                timeout: Option<f64>,
                connect_timeout: Option<f64>,
                max_retries: Option<i64>,
                deadline: Option<f64>,
                user_agent_suffix: Option<String>,
                proxy: Option<String>,
                client_validation: Option<bool>,
            ) -> PyResult<Self> {
                build(
                    py,
                    api_key,
                    environment,
                    base_url,
                    timeout,
                    connect_timeout,
                    max_retries,
                    deadline,
                    user_agent_suffix,
                    proxy,
                    client_validation,
                )
                .map($ty)
                .map_err(py_err(py))
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

            /// `"development"` or `"production"`; `None` when a `base_url` was given.
            #[getter]
            fn environment(&self) -> Option<&'static str> {
                self.0.client.config().environment().map(|e| e.as_str())
            }

            /// The URL of Paystar's JavaScript loader for this environment (the page's
            /// `<script src>`); `None` when a `base_url` was given.
            #[getter]
            fn loader_url(&self) -> Option<&'static str> {
                self.0.client.config().environment().map(|e| e.loader_url())
            }

            fn __repr__(&self) -> String {
                self.0.repr(stringify!($ty))
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
        timeout: Option<f64>,
        max_retries: Option<i64>,
        input: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Session> {
        let prepared = self.0.check_open().and_then(|()| {
            Ok((
                convert::request(input.as_ref())?,
                options(timeout, max_retries)?,
            ))
        });
        let (body, options) = prepared.map_err(py_err(py))?;
        let client = self.0.client.clone();
        let result = py.detach(move || {
            paystar::runtime::block_on(async move {
                client
                    .execute(operation, &body, Case::Snake, &options)
                    .await
            })
            .and_then(|r| r)
        });
        result.map(Session).map_err(py_err(py))
    }
}

impl AsyncClient {
    /// Converts the arguments (with the GIL, on the first poll), then awaits core's call, which
    /// runs on the shared runtime (`paystar::runtime::run`); dropping the coroutine (task
    /// cancelled) aborts it there.
    async fn call(
        &self,
        operation: Operation,
        timeout: Option<f64>,
        max_retries: Option<i64>,
        input: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let (body, options) = Python::attach(|py| -> PyResult<_> {
            let convert_all = || -> paystar::Result<_> {
                self.0.check_open()?;
                let body = convert::request(input.as_ref().map(|i| i.bind(py)))?;
                Ok((body, options(timeout, max_retries)?))
            };
            convert_all().map_err(py_err(py))
        })?;
        let outcome = self
            .0
            .client
            .execute(operation, &body, Case::Snake, &options)
            .await;
        Python::attach(|py| match outcome {
            Ok(session) => Ok(Py::new(py, Session(session))?.into_any()),
            Err(e) => Err(to_pyerr(py, &e)),
        })
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

/// One sync and one async method per operation.
macro_rules! operations {
    ($($name:ident => $op:ident: $doc:literal;)*) => {
        #[pymethods]
        impl Client {
            $(
                #[doc = $doc]
                #[pyo3(signature = (params = None, /, *, timeout = None, max_retries = None, **fields))]
                fn $name(
                    &self,
                    py: Python<'_>,
                    params: Option<&Bound<'_, PyAny>>,
                    timeout: Option<f64>,
                    max_retries: Option<i64>,
                    fields: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Session> {
                    let input = input(params, fields)?;
                    self.call(py, Operation::$op, timeout, max_retries, input)
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
                #[pyo3(signature = (params = None, /, *, timeout = None, max_retries = None, **fields))]
                async fn $name(
                    &self,
                    params: Option<Py<PyAny>>,
                    timeout: Option<f64>,
                    max_retries: Option<i64>,
                    fields: Option<Py<PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    let input = Python::attach(|py| {
                        input(params.as_ref().map(|p| p.bind(py)), fields.as_ref().map(|f| f.bind(py)))
                            .map(|i| i.map(Bound::unbind))
                    })?;
                    self.call(Operation::$op, timeout, max_retries, input).await
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
}
