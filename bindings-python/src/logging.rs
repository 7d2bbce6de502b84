//! Core's per-attempt events -> `logging.getLogger("paystar")`: DEBUG per attempt, WARNING when
//! a retry follows. Never the key, never bodies (events carry neither).

use paystar::AttemptEvent;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

const DEBUG: u8 = 10;
const WARNING: u8 = 30;

/// The observer given to every client built from Python.
pub fn observer(event: &AttemptEvent) {
    Python::attach(|py| {
        if let Err(e) = log(py, event) {
            // A broken logging setup must not break the call; Python reports it as unraisable.
            e.write_unraisable(py, None);
        }
    });
}

fn log(py: Python<'_>, e: &AttemptEvent) -> PyResult<()> {
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let logger = LOGGER
        .get_or_try_init(py, || {
            py.import("logging")?
                .call_method1("getLogger", ("paystar",))
                .map(Bound::unbind)
        })?
        .bind(py);
    let level = if e.retry_in.is_some() { WARNING } else { DEBUG };
    if !logger.call_method1("isEnabledFor", (level,))?.is_truthy()? {
        return Ok(());
    }
    let status = e
        .status
        .map_or_else(|| "no answer".to_owned(), |s| s.to_string());
    let outcome = e
        .error_code
        .map(|c| format!(" {}", c.as_str()))
        .unwrap_or_default();
    let request_id = e.request_id.as_deref().unwrap_or("-");
    let elapsed_ms = e.elapsed.as_secs_f64() * 1000.0;
    let extra = PyDict::new(py);
    extra.set_item("paystar_operation", e.operation.name())?;
    extra.set_item("paystar_attempt", e.attempt)?;
    extra.set_item("paystar_status", e.status)?;
    extra.set_item("paystar_elapsed_ms", elapsed_ms)?;
    extra.set_item("paystar_request_id", e.request_id.as_deref())?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("extra", extra)?;
    let retry = e
        .retry_in
        .map(|wait| format!("; retrying in {:.2} s", wait.as_secs_f64()))
        .unwrap_or_default();
    logger.call_method(
        "log",
        (
            level,
            "%s %s -> %s%s (attempt %d, %.1f ms, request id %s)%s",
            e.method,
            e.path,
            status,
            outcome,
            e.attempt,
            elapsed_ms,
            request_id,
            retry,
        ),
        Some(&kwargs),
    )?;
    Ok(())
}
