//! A call's telemetry onto `paystar._otel` (the `opentelemetry` API), when the client has
//! telemetry on and the API is installed; nothing is imported, collected or sent otherwise.
//! The spans are made with the GIL, on the caller's thread, from core's report.

use paystar::bridge::records::to_value;
use paystar::bridge::{Dialect, TelemetryRecord};
use paystar::telemetry::TraceContext;
use paystar::{Config, Operation, RequestOptions};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::convert::to_py;

/// A function of `paystar._otel`, imported once.
fn function<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || {
        py.import("paystar._otel")?.getattr(name).map(Bound::unbind)
    })
    .map(|f| f.bind(py))
}

/// Whether `opentelemetry` can be imported (looked up once per process, not imported).
fn available(py: Python<'_>) -> bool {
    static AVAILABLE: PyOnceLock<bool> = PyOnceLock::new();
    *AVAILABLE.get_or_init(py, || {
        static F: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        function(py, &F, "_available")
            .and_then(|f| f.call0())
            .and_then(|v| v.extract::<bool>())
            .unwrap_or(false)
    })
}

/// Starts the call's span (`paystar.<operation>`) when telemetry is on and puts its trace
/// context into `options` (unless the caller gave one). `None`: record nothing (telemetry off,
/// no API, or an API with neither a recording tracer nor a meter: the context still goes out).
pub fn start(
    py: Python<'_>,
    config: &Config,
    op: Operation,
    options: &mut RequestOptions,
) -> Option<Py<PyAny>> {
    if !config.telemetry() || !available(py) {
        return None;
    }
    static START: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let started = function(py, &START, "_start")
        .and_then(|f| f.call1((paystar::bridge::call_span_name(op),)))
        .and_then(|r| r.extract::<(Option<Py<PyAny>>, Option<String>, Option<String>)>());
    match started {
        Ok((span, parent, state)) => {
            if options.trace.is_none() {
                options.trace = parent.and_then(|p| TraceContext::new(p, state).ok());
            }
            span
        }
        Err(e) => {
            // A broken telemetry setup never breaks the call.
            e.write_unraisable(py, None);
            None
        }
    }
}

/// Ends the call's span after recording its attempts and metric points from core's record.
pub fn finish(py: Python<'_>, span: Py<PyAny>, record: Option<&TelemetryRecord>) {
    static FINISH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let Some(record) = record else {
        return;
    };
    let run = || -> PyResult<()> {
        let value = to_py(py, &to_value(record, Dialect::PYTHON))?;
        function(py, &FINISH, "_finish")?.call1((span, value))?;
        Ok(())
    };
    if let Err(e) = run() {
        e.write_unraisable(py, None);
    }
}
