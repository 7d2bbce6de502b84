//! The `paystar._native` extension module: a thin pyo3 shim over the `paystar` core crate.
//! It converts values, moves core's shapes (`paystar::bridge`) onto the package's classes and
//! bridges async; every Paystar rule, option, attribute and log text is in core. The Python
//! package (`python/paystar`) re-exports it.

mod aio;
mod client;
mod convert;
mod mock;
mod otel;
mod shapes;
#[cfg(feature = "testing")]
mod testing;
mod webhook;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// The tracer's and meter's name and version, and the instruments (core's), as a dict.
#[pyfunction]
fn telemetry_scope(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let scope = paystar::bridge::telemetry_scope();
    convert::to_py(
        py,
        &paystar::bridge::records::to_value(&scope, paystar::bridge::Dialect::PYTHON),
    )
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "ERROR_CODES",
        PyTuple::new(py, paystar::ErrorCode::ALL.iter().map(|c| c.as_str()))?,
    )?;
    m.add(
        "RULES",
        PyTuple::new(py, paystar::Rule::ALL.iter().map(|r| r.as_str()))?,
    )?;
    m.add(
        "OPERATIONS",
        PyTuple::new(py, paystar::Operation::ALL.iter().map(|o| o.name()))?,
    )?;
    m.add("MAX_DEPTH", paystar::bridge::MAX_DEPTH)?;
    m.add("DEFAULT_MOCK_API_KEY", paystar::mock::DEFAULT_MOCK_API_KEY)?;
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(telemetry_scope, m)?)?;
    m.add_class::<client::Client>()?;
    m.add_class::<client::AsyncClient>()?;
    m.add_class::<mock::MockGateway>()?;
    m.add_class::<aio::Completions>()?;
    #[cfg(feature = "testing")]
    testing::add(m)?;
    m.add(
        "WEBHOOK_REASONS",
        PyTuple::new(
            py,
            paystar::webhook::WebhookReason::ALL
                .iter()
                .map(|r| r.as_str()),
        )?,
    )?;
    m.add(
        "WEBHOOK_SCHEMES",
        PyTuple::new(py, paystar::webhook::Scheme::ALL.iter().map(|s| s.as_str()))?,
    )?;
    m.add("MAX_WEBHOOK_BYTES", paystar::webhook::MAX_WEBHOOK_BYTES)?;
    m.add_class::<webhook::WebhookVerifier>()?;
    m.add_class::<webhook::MemoryStore>()?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_after_claim, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_claim_of_existing, m)?)?;
    m.add(
        "WEBHOOK_ANSWERS",
        convert::to_py(
            py,
            &paystar::bridge::webhook_answers(paystar::bridge::Dialect::PYTHON),
        )?,
    )?;
    m.add(
        "WEBHOOK_STORE",
        convert::to_py(
            py,
            &paystar::bridge::webhook_store_facts(paystar::bridge::Dialect::PYTHON),
        )?,
    )?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_parse, m)?)?;
    m.add_function(wrap_pyfunction!(webhook::_webhook_sign, m)?)?;
    Ok(())
}

/// Runs the `paystar` command line `argv` (program name first) with the GIL released and
/// returns its exit code: the `paystar` console script and `python -m paystar`.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| paystar::cli::run(argv))
}
