//! The test harness (`paystar::testing`), exported only by test builds (feature `testing`, what
//! `make kotlin` builds): the release JAR (`make kotlin-jar`) has none of it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::records::{parse_json, wire};
use crate::requests::{
    AccountSessionRequest, CustomerSessionRequest, EventRequest, PaymentSessionRequest,
    UpdateCustomerRequest,
};
use crate::{NativeError, guarded};

/// A webhook or endpoint vector's body.
#[uniffi::export]
pub fn vector_body(case_json: String) -> Result<Vec<u8>, NativeError> {
    guarded(|| Ok(paystar::testing::vector_body(&parse_json(&case_json)?)))
}

/// Core's checks of a webhook vector's outcome (JSON texts).
#[uniffi::export]
pub fn check_webhook_vector(
    case_json: String,
    outcome_json: String,
) -> Result<Vec<String>, NativeError> {
    guarded(|| {
        Ok(paystar::testing::check_webhook_vector(
            &parse_json(&case_json)?,
            &parse_json(&outcome_json)?,
        ))
    })
}

/// Core's checks of an endpoint vector step's outcome (JSON texts).
#[uniffi::export]
pub fn check_endpoint_step(
    step_json: String,
    outcome_json: String,
) -> Result<Vec<String>, NativeError> {
    guarded(|| {
        Ok(paystar::testing::check_endpoint_step(
            &parse_json(&step_json)?,
            &parse_json(&outcome_json)?,
        ))
    })
}

/// The problems of a conformance vector's outcome against a mock's snapshot (JSON texts).
#[uniffi::export]
pub fn check_vector(
    case_json: String,
    outcome_json: String,
    snapshot_json: String,
    skip: u32,
) -> Result<Vec<String>, NativeError> {
    guarded(|| {
        Ok(paystar::testing::check_vector(
            &parse_json(&case_json)?,
            &parse_json(&outcome_json)?,
            &parse_json(&snapshot_json)?,
            skip as usize,
        ))
    })
}

/// The mock's script (JSON text) for the soak's seeded random faults.
#[uniffi::export]
pub fn soak_script(seed: u64, rate: f64) -> String {
    paystar::testing::soak_script(seed, rate).to_string()
}

/// Core's audit of a soak through the mock's fault proxy (JSON texts).
#[uniffi::export]
pub fn audit_network_soak(
    outcomes_json: String,
    requests_json: String,
    max_retries: u32,
) -> Result<String, NativeError> {
    guarded(|| {
        Ok(paystar::testing::audit_network_soak_value(
            &parse_json(&outcomes_json)?,
            &parse_json(&requests_json)?,
            max_retries,
        )
        .to_string())
    })
}

/// Core's audit of soak outcomes against the mock's requests (JSON texts).
#[uniffi::export]
pub fn audit_soak(
    outcomes_json: String,
    requests_json: String,
    max_retries: u32,
) -> Result<String, NativeError> {
    guarded(|| {
        Ok(paystar::testing::audit_soak_value(
            &parse_json(&outcomes_json)?,
            &parse_json(&requests_json)?,
            max_retries,
        )
        .to_string())
    })
}

/// A sample error of `code`, shaped as every call's errors are.
#[uniffi::export]
pub fn sample_error(code: String) -> Option<crate::ErrorRecord> {
    paystar::ErrorCode::from_str_code(&code)
        .map(|c| crate::error_info(&paystar::testing::sample_error(c)))
}

/// One conformance vector case as the JVM runner reads it: texts parsed in order (org.json
/// does not keep key order, and a payload's order is on the wire).
#[derive(Debug, Clone, uniffi::Record)]
pub struct VectorCaseText {
    /// The whole case.
    pub case_json: String,
    /// Its `input` with camelCase keys (data keys as they are).
    pub input_json: String,
    /// Its `input` as written (PascalCase), for the typed records.
    pub wire_input_json: String,
}

/// The cases of a vector file (for the JVM runner).
#[uniffi::export]
pub fn vector_cases(file_json: String) -> Result<Vec<VectorCaseText>, NativeError> {
    guarded(|| {
        let file = parse_json(&file_json)?;
        Ok(file["cases"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| VectorCaseText {
                case_json: c.to_string(),
                input_json: paystar::testing::vector_input(&c["input"], paystar::Case::Camel)
                    .to_string(),
                wire_input_json: c["input"].to_string(),
            })
            .collect())
    })
}

/// The record of `R` a wire-style (PascalCase) request stands for, when the record expresses
/// it exactly (serializing it back gives the same JSON); for the vector runner's typed pass.
fn expressible<R: Serialize + for<'de> Deserialize<'de>>(
    wire_json: &Value,
    key: &str,
    extra: impl Fn(&mut R, Option<String>),
) -> Option<R> {
    let mut input = wire_json.as_object()?.clone();
    let extra_json = input.remove(key).map(|e| e.to_string());
    let mut record: R = serde_json::from_value(Value::Object(input)).ok()?;
    extra(&mut record, extra_json.clone());
    let mut back = wire(&record, key, extra_json.as_deref()).ok()?;
    drop_nulls(&mut back);
    (back == *wire_json).then_some(record)
}

/// Absent optionals serialize as `null` (core treats them as absent); drop them to compare.
fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|_, x| !x.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The typed request (a Kotlin data class) for a vector's wire-style input, or `None` when the
/// records cannot express it (a typo key, a wrong type): things only JSON can say.
#[uniffi::export]
pub fn typed_request(operation: String, wire_json: String) -> Option<crate::Request> {
    use crate::Request;
    let v: Value = serde_json::from_str(&wire_json).ok()?;
    match paystar::Operation::from_name(&operation)? {
        paystar::Operation::CreatePaymentSession => {
            expressible(&v, "Extra", |r: &mut PaymentSessionRequest, e| {
                r.extra_json = e;
            })
            .map(|request| Request::Payment { request })
        }
        paystar::Operation::CreateAutopaySession | paystar::Operation::CreatePaperlessSession => {
            expressible(&v, "Extra", |r: &mut AccountSessionRequest, e| {
                r.extra_json = e;
            })
            .map(|request| Request::Account { request })
        }
        paystar::Operation::CreateWalletSession | paystar::Operation::CreateNotificationSession => {
            expressible(&v, "Extra", |r: &mut CustomerSessionRequest, e| {
                r.extra_json = e;
            })
            .map(|request| Request::Customer { request })
        }
        paystar::Operation::UpdateCustomer => {
            expressible(&v, "Extra", |_: &mut UpdateCustomerRequest, _| {})
                .map(|request| Request::UpdateCustomer { request })
        }
        paystar::Operation::SendEvent => {
            // The payload crosses as text; a payload that is not an object cannot be a record.
            v.get("Payload").filter(|p| p.is_object())?;
            expressible(&v, "Payload", |r: &mut EventRequest, e| {
                r.payload_json = e.unwrap_or_default();
            })
            .map(|request| Request::Event { request })
        }
    }
}
