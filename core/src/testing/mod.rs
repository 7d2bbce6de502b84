//! The conformance, soak and vector harness (feature `testing`): what each language's test
//! suite runs against core's shared checks. Everything here is a pure function over data (a
//! case, an outcome, a mock's [`snapshot`](crate::mock::MockGateway::snapshot)), so a binding's
//! *test* build can export it while the shipped wheel, npm package and JAR carry none of it.

mod soak;
mod vectors;
mod webhooks;

pub use soak::{audit_network_soak, audit_soak};
pub use vectors::{VECTOR_DATA_KEYS, check_vector, vector_input};
pub use webhooks::{check_endpoint_step, check_webhook_vector, vector_body};

use serde_json::Value;

use crate::error::Error;
use crate::mock::{RecordedRequest, soak_faults};

/// An error of each code, for bindings' tests that every code maps to its own class
/// (`internal_error` cannot be caused through a real call).
pub fn sample_error(code: crate::ErrorCode) -> Error {
    if code == crate::ErrorCode::Webhook {
        return Error::webhook(
            crate::webhook::WebhookReason::SignatureMismatch,
            "a sample webhook_error",
        );
    }
    Error::new(code, format!("a sample {code}"))
}

/// The script (`MockGateway::script`'s argument) of the soak's faults at `rate` with `seed`.
pub fn soak_script(seed: u64, rate: f64) -> Value {
    serde_json::json!({ "random": soak_faults(seed, rate) })
}

/// [`audit_soak`] over JSON: `outcomes` (a list) against `requests` (the mock's, as
/// `MockGateway::requests` gives them).
pub fn audit_soak_value(outcomes: &Value, requests: &Value, max_retries: u32) -> Value {
    let outcomes = outcomes.as_array().map(Vec::as_slice).unwrap_or_default();
    audit_soak(outcomes, &recorded(requests), max_retries)
}

/// [`audit_network_soak`] over JSON, as [`audit_soak_value`].
pub fn audit_network_soak_value(outcomes: &Value, requests: &Value, max_retries: u32) -> Value {
    let outcomes = outcomes.as_array().map(Vec::as_slice).unwrap_or_default();
    audit_network_soak(outcomes, &recorded(requests), max_retries)
}

fn recorded(requests: &Value) -> Vec<RecordedRequest> {
    requests
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| serde_json::from_value(r.clone()).ok())
        .collect()
}
