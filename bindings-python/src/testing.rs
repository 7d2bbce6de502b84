//! The test harness (`paystar::testing`), exported only by test builds (feature `testing`):
//! the wheel a user installs has none of it.

use pyo3::prelude::*;

use crate::convert::{self, to_py};
use crate::shapes::py_err;

fn value(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    convert::value(Some(obj)).map_err(py_err(py))
}

/// The wire field paths of an operation's request (`Charges[].ClientAccount.Address.City`) with
/// whether each is required; lets the test suite keep the TypedDicts in step with core.
#[pyfunction]
fn _request_fields(operation: &str) -> PyResult<Vec<(String, bool)>> {
    let op = paystar::Operation::from_name(operation).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err(format!("unknown operation {operation}"))
    })?;
    Ok(paystar::models::input::field_paths(op))
}

/// Raises a sample error of `code` through the same mapping every call uses (for the test that
/// each code has its own class; `internal_error` cannot be caused through a real call).
#[pyfunction]
fn _raise_sample(py: Python<'_>, code: &str) -> PyResult<()> {
    let code = paystar::ErrorCode::from_str_code(code)
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err(format!("unknown code {code}")))?;
    Err(crate::shapes::to_pyerr(
        py,
        &paystar::testing::sample_error(code),
    ))
}

/// The problems of a conformance vector's outcome against a mock's snapshot.
#[pyfunction]
fn _check_vector(
    py: Python<'_>,
    case: &Bound<'_, PyAny>,
    outcome: &Bound<'_, PyAny>,
    snapshot: &Bound<'_, PyAny>,
    skip: usize,
) -> PyResult<Vec<String>> {
    Ok(paystar::testing::check_vector(
        &value(py, case)?,
        &value(py, outcome)?,
        &value(py, snapshot)?,
        skip,
    ))
}

/// The mock's script for the soak's seeded random faults.
#[pyfunction]
fn _soak_script<'py>(py: Python<'py>, seed: u64, rate: f64) -> PyResult<Bound<'py, PyAny>> {
    to_py(py, &paystar::testing::soak_script(seed, rate))
}

/// Core's audit of soak outcomes against the mock's requests.
#[pyfunction]
fn _audit_soak<'py>(
    py: Python<'py>,
    outcomes: &Bound<'_, PyAny>,
    requests: &Bound<'_, PyAny>,
    max_retries: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let report = paystar::testing::audit_soak_value(
        &value(py, outcomes)?,
        &value(py, requests)?,
        max_retries,
    );
    to_py(py, &report)
}

/// Core's audit of a soak through the mock's fault proxy (`network=`).
#[pyfunction]
fn _audit_network_soak<'py>(
    py: Python<'py>,
    outcomes: &Bound<'_, PyAny>,
    requests: &Bound<'_, PyAny>,
    max_retries: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let report = paystar::testing::audit_network_soak_value(
        &value(py, outcomes)?,
        &value(py, requests)?,
        max_retries,
    );
    to_py(py, &report)
}

/// The problems of a webhook vector's outcome.
#[pyfunction]
fn _check_webhook_vector(
    py: Python<'_>,
    case: &Bound<'_, PyAny>,
    outcome: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    Ok(paystar::testing::check_webhook_vector(
        &value(py, case)?,
        &value(py, outcome)?,
    ))
}

/// The problems of an endpoint vector step's outcome.
#[pyfunction]
fn _check_endpoint_step(
    py: Python<'_>,
    step: &Bound<'_, PyAny>,
    outcome: &Bound<'_, PyAny>,
) -> PyResult<Vec<String>> {
    Ok(paystar::testing::check_endpoint_step(
        &value(py, step)?,
        &value(py, outcome)?,
    ))
}

/// A vector's body bytes.
#[pyfunction]
fn _vector_body(py: Python<'_>, case: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    Ok(paystar::testing::vector_body(&value(py, case)?))
}

/// Adds the harness to the module.
pub fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_request_fields, m)?)?;
    m.add_function(wrap_pyfunction!(_raise_sample, m)?)?;
    m.add_function(wrap_pyfunction!(_check_vector, m)?)?;
    m.add_function(wrap_pyfunction!(_soak_script, m)?)?;
    m.add_function(wrap_pyfunction!(_audit_soak, m)?)?;
    m.add_function(wrap_pyfunction!(_audit_network_soak, m)?)?;
    m.add_function(wrap_pyfunction!(_check_webhook_vector, m)?)?;
    m.add_function(wrap_pyfunction!(_check_endpoint_step, m)?)?;
    m.add_function(wrap_pyfunction!(_vector_body, m)?)?;
    Ok(())
}
