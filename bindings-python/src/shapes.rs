//! Core's shapes (`paystar::bridge`) onto the Python classes that live in the package
//! (`paystar._errors`, `paystar._session`, `paystar._log`): one function call each.

use paystar::LogLevel;
use paystar::bridge::records::{LogRecord, to_value};
use paystar::bridge::{Dialect, error_value, receipt_value, session_value};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyList;

use crate::convert::to_py;

/// A function of the Python package, imported once.
fn function<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || py.import(module)?.getattr(name).map(Bound::unbind))
        .map(|f| f.bind(py))
}

/// The `paystar.PaystarError` subclass for the error's code, every attribute set.
pub fn to_pyerr(py: Python<'_>, error: &paystar::Error) -> PyErr {
    error_from_value(py, &error_value(error, Dialect::PYTHON))
        .map(PyErr::from_value)
        .unwrap_or_else(|e| e)
}

/// The exception (not raised) for core's error value.
pub fn error_from_value<'py>(
    py: Python<'py>,
    value: &serde_json::Value,
) -> PyResult<Bound<'py, PyAny>> {
    static FROM_VALUE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let value = to_py(py, value)?;
    function(py, &FROM_VALUE, "paystar._errors", "_from_value")?.call1((value,))
}

/// Extension: `result.map_err(py_err(py))`.
pub fn py_err(py: Python<'_>) -> impl Fn(paystar::Error) -> PyErr + '_ {
    move |e| to_pyerr(py, &e)
}

/// A `paystar.Session`.
pub fn session<'py>(py: Python<'py>, s: &paystar::Session) -> PyResult<Bound<'py, PyAny>> {
    static FROM_VALUE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let value = to_py(py, &session_value(s, Dialect::PYTHON))?;
    function(py, &FROM_VALUE, "paystar._session", "_from_value")?.call1((value,))
}

/// A `paystar.EventReceipt`.
pub fn receipt<'py>(py: Python<'py>, r: &paystar::EventReceipt) -> PyResult<Bound<'py, PyAny>> {
    static FROM_VALUE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let value = to_py(py, &receipt_value(r, Dialect::PYTHON))?;
    function(py, &FROM_VALUE, "paystar._session", "_receipt_from_value")?.call1((value,))
}

/// The `paystar` class of a call's result. A value the package cannot turn into its class is
/// a `paystar.InternalError` (a bug in paystar), never a bare Python exception.
pub fn reply<'py>(py: Python<'py>, r: &paystar::Reply) -> PyResult<Bound<'py, PyAny>> {
    match r {
        paystar::Reply::Session(s) => session(py, s),
        paystar::Reply::Event(e) => receipt(py, e),
    }
    .map_err(|e| {
        let message = format!("paystar could not convert the gateway's answer (a bug): {e}");
        to_pyerr(py, &paystar::Error::internal(message))
    })
}

/// The level the `paystar` logger has enabled (checked on the caller's thread, before a call).
pub fn log_level(py: Python<'_>) -> LogLevel {
    static LEVEL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let level = function(py, &LEVEL, "paystar._log", "_level")
        .and_then(|f| f.call0())
        .and_then(|l| l.extract::<u8>());
    match level {
        Ok(2) => LogLevel::Debug,
        Ok(1) => LogLevel::Warn,
        _ => LogLevel::Off,
    }
}

/// Logs a call's events to the `paystar` logger, on the caller's thread, after the call. A
/// broken logging setup never breaks the call (Python reports it as unraisable).
pub fn emit(py: Python<'_>, events: &[LogRecord]) {
    static EMIT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    if events.is_empty() {
        return;
    }
    let run = || -> PyResult<()> {
        let list = PyList::empty(py);
        for e in events {
            list.append(to_py(py, &to_value(e, Dialect::PYTHON))?)?;
        }
        function(py, &EMIT, "paystar._log", "_emit")?.call1((list,))?;
        Ok(())
    };
    if let Err(e) = run() {
        e.write_unraisable(py, None);
    }
}

/// The running event loop's completion queue (`paystar._aio.completions()`, made on first use
/// per loop).
pub fn completions(
    py: Python<'_>,
) -> PyResult<std::sync::Arc<crate::aio::Queue<crate::aio::Finished>>> {
    static COMPLETIONS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let native = function(py, &COMPLETIONS, "paystar._aio", "completions")?.call0()?;
    Ok(std::sync::Arc::clone(
        &native.cast::<crate::aio::Completions>()?.get().queue,
    ))
}
