//! The wire JSON of the request records (generated in `requests.rs`), and their typed form
//! for the vector runner.

use paystar::Rule;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::requests::{
    AccountSessionRequest, CustomerSessionRequest, EventRequest, PaymentSessionRequest,
    UpdateCustomerRequest,
};

fn invalid(path: &str, rule: Rule, message: String) -> paystar::Error {
    paystar::Error::validation(vec![paystar::FieldError {
        path: path.into(),
        rule,
        message,
    }])
}

/// The wire JSON of a typed request, with its JSON-text field (`Extra`, `Payload`) parsed
/// into `key`.
pub(crate) fn wire<T: Serialize>(
    request: &T,
    key: &str,
    json_text: Option<&str>,
) -> paystar::Result<Value> {
    let mut value =
        serde_json::to_value(request).map_err(|e| invalid("", Rule::Type, e.to_string()))?;
    if let (Some(text), Value::Object(map)) = (json_text, &mut value) {
        let parsed: Value = serde_json::from_str(text)
            .map_err(|e| invalid(key, Rule::Json, format!("must be a JSON object ({e})")))?;
        map.insert(key.into(), parsed);
    }
    Ok(value)
}

/// Parses a raw JSON request or script (serde_json stops at 128 levels: no input can
/// overflow the stack).
pub(crate) fn parse_json(text: &str) -> paystar::Result<Value> {
    serde_json::from_str(text).map_err(|e| invalid("", Rule::Json, format!("is not JSON ({e})")))
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
