//! The test harness (`paystar::testing`), exported only by test builds (feature `testing`, the
//! debug build `npm run build` makes): the npm package's release addon has none of it.

use napi_derive::napi;
use paystar::bridge::{self, Dialect};
use serde_json::Value;

/// A webhook or endpoint vector's body.
#[napi(catch_unwind)]
pub fn vector_body(vector: Value) -> napi::bindgen_prelude::Buffer {
    paystar::testing::vector_body(&vector).into()
}

/// The problems of a webhook vector's outcome.
#[napi(catch_unwind)]
pub fn check_webhook_vector(vector: Value, outcome: Value) -> Vec<String> {
    paystar::testing::check_webhook_vector(&vector, &outcome)
}

/// The problems of an endpoint vector step's outcome.
#[napi(catch_unwind)]
pub fn check_endpoint_step(step: Value, outcome: Value) -> Vec<String> {
    paystar::testing::check_endpoint_step(&step, &outcome)
}

/// The problems of a conformance vector's outcome against a mock's snapshot.
#[napi(catch_unwind)]
pub fn check_vector(
    mut vector_case: Value,
    mut outcome: Value,
    mut snapshot: Value,
    skip: u32,
) -> Vec<String> {
    // JavaScript numbers cross as floats: whole ones are integers again, as core compares them.
    for v in [&mut vector_case, &mut outcome, &mut snapshot] {
        bridge::integral_numbers(v);
    }
    paystar::testing::check_vector(&vector_case, &outcome, &snapshot, skip as usize)
}

/// The mock's script for the soak's seeded random faults.
#[napi(catch_unwind)]
pub fn soak_script(seed: u32, rate: f64) -> Value {
    paystar::testing::soak_script(u64::from(seed), rate)
}

/// Core's audit of soak outcomes against the mock's requests.
#[napi(catch_unwind)]
pub fn audit_soak(mut outcomes: Value, mut requests: Value, max_retries: u32) -> Value {
    bridge::integral_numbers(&mut outcomes);
    bridge::integral_numbers(&mut requests);
    paystar::testing::audit_soak_value(&outcomes, &requests, max_retries)
}

/// Core's audit of a soak through the mock's fault proxy (`network`).
#[napi(catch_unwind)]
pub fn audit_network_soak(mut outcomes: Value, mut requests: Value, max_retries: u32) -> Value {
    bridge::integral_numbers(&mut outcomes);
    bridge::integral_numbers(&mut requests);
    paystar::testing::audit_network_soak_value(&outcomes, &requests, max_retries)
}

/// A sample error of `code`, shaped as every call's errors are.
#[napi(catch_unwind)]
pub fn sample_error(code: String) -> Value {
    paystar::ErrorCode::from_str_code(&code).map_or(Value::Null, |c| {
        bridge::error_value(&paystar::testing::sample_error(c), Dialect::NODE)
    })
}

/// The wire field paths of an operation's request with whether each is required.
#[napi(catch_unwind)]
pub fn request_fields(operation: String) -> Vec<(String, bool)> {
    paystar::Operation::from_name(&operation)
        .map(paystar::models::input::field_paths)
        .unwrap_or_default()
}
