//! Requests (records that serialize to the wire shape), results and options.

use std::collections::HashMap;

use paystar::Rule;
use serde::{Deserialize, Serialize};
use serde_json::Value;

// BEGIN GENERATED records (core/tests/generated.rs): the request records

/// A postal address (every field optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Address {
    /// Street line 1.
    #[uniffi(default)]
    pub street_address: Option<String>,
    /// Street line 2.
    #[uniffi(default)]
    pub street_address2: Option<String>,
    /// City.
    #[uniffi(default)]
    pub city: Option<String>,
    /// State.
    #[uniffi(default)]
    pub state: Option<String>,
    /// ZIP code.
    #[uniffi(default)]
    pub zip_code: Option<String>,
}

/// The biller's account for the customer (the account number is required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ClientAccount {
    /// The account number.
    pub account_number: String,
    /// Sub-account number.
    #[uniffi(default)]
    pub sub_account_number: Option<String>,
    /// Account holder's name.
    #[uniffi(default)]
    pub name: Option<String>,
    /// Balance in integer cents (may be negative).
    #[uniffi(default)]
    pub balance: Option<i64>,
    /// Phone number.
    #[uniffi(default)]
    pub phone_number: Option<String>,
    /// Due date (RFC 3339).
    #[uniffi(default)]
    pub due_date: Option<String>,
    /// Issue date (RFC 3339).
    #[uniffi(default)]
    pub issue_date: Option<String>,
    /// A note (never updated once set).
    #[uniffi(default)]
    pub note: Option<String>,
    /// A JSON document, as text.
    #[uniffi(default)]
    pub meta_json: Option<String>,
    /// Postal address.
    #[uniffi(default)]
    pub address: Option<Address>,
}

/// One charge: the amount in integer cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Charge {
    /// Integer cents, 1 to 2^53 - 1.
    pub amount: i64,
    /// Description.
    #[uniffi(default)]
    pub description: Option<String>,
    /// The account it pays.
    #[uniffi(default)]
    pub client_account: Option<ClientAccount>,
    /// Charge type.
    #[uniffi(default)]
    pub charge_type: Option<String>,
}

/// The customer (the email address is required; names are kept as first seen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ClientUser {
    /// Email address.
    pub email_address: String,
    /// First name.
    #[uniffi(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[uniffi(default)]
    pub last_name: Option<String>,
}

/// The request of create_payment_session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct PaymentSessionRequest {
    /// Business unit slug.
    pub business_unit_slug: String,
    /// QuickPay or POS (case-sensitive).
    pub channel: String,
    /// The charges: 1 to 25.
    pub charges: Vec<Charge>,
    /// The customer.
    #[uniffi(default)]
    pub client_user: Option<ClientUser>,
    /// The POS user (POS channel).
    #[uniffi(default)]
    pub pos_user: Option<String>,
    /// Your unique reference (a reuse is refused).
    #[uniffi(default)]
    pub client_reference: Option<String>,
    /// Statement descriptor.
    #[uniffi(default)]
    pub payment_descriptor: Option<String>,
    /// Custom payment fields (keys are data: sent as given).
    #[uniffi(default)]
    pub payment_fields: Option<HashMap<String, String>>,
    /// Where the page goes after a payment.
    #[uniffi(default)]
    pub success_url: Option<String>,
    /// Where the page goes when the customer leaves.
    #[uniffi(default)]
    pub return_url: Option<String>,
    /// A saved payment source to use.
    #[uniffi(default)]
    pub payment_source_identifier: Option<String>,
    /// Unmodelled top-level wire fields, merged as given (never replacing a modelled one) (a JSON object, as text)
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

/// The request of create_autopay_session and create_paperless_session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct AccountSessionRequest {
    /// Business unit slug.
    pub business_unit_slug: String,
    /// The account.
    pub client_account: ClientAccount,
    /// The customer.
    pub client_user: ClientUser,
    /// Create or update the account on the gateway (true for a new account).
    #[uniffi(default)]
    pub sync_account: Option<bool>,
    /// Unmodelled top-level wire fields, merged as given (never replacing a modelled one) (a JSON object, as text)
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

/// The request of create_wallet_session and create_notification_session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CustomerSessionRequest {
    /// Business unit slug.
    pub business_unit_slug: String,
    /// The customer.
    pub client_user: ClientUser,
    /// Unmodelled top-level wire fields, merged as given (never replacing a modelled one) (a JSON object, as text)
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

/// The request of update_customer (the Events API's Accounts.ManageCustomer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct UpdateCustomerRequest {
    /// Business unit slug.
    pub business_unit_slug: String,
    /// The customer's account.
    pub account_number: String,
    /// The sub-account, when you use them (sent as "" when absent).
    #[uniffi(default)]
    pub sub_account_number: Option<String>,
    /// The first name to set.
    pub first_name: String,
    /// The last name to set.
    pub last_name: String,
    /// The email address to set (the new one, for an email change).
    pub email_address: String,
    /// The email address Paystar knows the customer by: only for an email change.
    #[uniffi(default)]
    pub original_email_address: Option<String>,
}

/// The request of send_event (any Events API event type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EventRequest {
    /// Business unit slug.
    pub business_unit_slug: String,
    /// Accounts.ManageCustomer or Accounts.UnenrollAutopay.
    pub event_type: String,
    /// The event's fields in the Events API's names (camelCase); sent as JSON text (a JSON object, as text)
    #[serde(skip)]
    pub payload_json: String,
}
// END GENERATED records

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

#[cfg(test)]
mod tests {
    use super::*;
    use paystar::Operation;

    fn paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
        if let Value::Object(map) = v {
            for (k, x) in map {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(p.clone());
                match x {
                    Value::Object(_)
                        if !["PaymentFields", "Extra", "Payload"].contains(&k.as_str()) =>
                    {
                        paths(x, &p, out)
                    }
                    Value::Array(items) => {
                        if let Some(first) = items.first() {
                            paths(first, &format!("{p}[]"), out);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn full_account() -> ClientAccount {
        ClientAccount {
            account_number: "A".into(),
            sub_account_number: Some("S".into()),
            name: Some("N".into()),
            balance: Some(1),
            phone_number: Some("P".into()),
            due_date: Some("2026-01-01T00:00:00Z".into()),
            issue_date: Some("2026-01-01T00:00:00Z".into()),
            note: Some("n".into()),
            meta_json: Some("{}".into()),
            address: Some(Address {
                street_address: Some("1".into()),
                street_address2: Some("2".into()),
                city: Some("c".into()),
                state: Some("s".into()),
                zip_code: Some("z".into()),
            }),
        }
    }

    fn user() -> ClientUser {
        ClientUser {
            email_address: "a@b.co".into(),
            first_name: Some("F".into()),
            last_name: Some("L".into()),
        }
    }

    /// Every field of every record reaches the wire under core's name, and every core field has
    /// a record field: the Kotlin data classes cannot drift from core's schema.
    #[test]
    fn records_cover_core_schema_exactly() {
        let payment = PaymentSessionRequest {
            business_unit_slug: "b".into(),
            channel: "QuickPay".into(),
            charges: vec![Charge {
                amount: 1,
                description: Some("d".into()),
                client_account: Some(full_account()),
                charge_type: Some("t".into()),
            }],
            client_user: Some(user()),
            pos_user: Some("p".into()),
            client_reference: Some("r".into()),
            payment_descriptor: Some("d".into()),
            payment_fields: Some(HashMap::from([("k".to_owned(), "v".to_owned())])),
            success_url: Some("https://s".into()),
            return_url: Some("https://r".into()),
            payment_source_identifier: Some("ps".into()),
            extra_json: Some("{}".into()),
        };
        let account = AccountSessionRequest {
            business_unit_slug: "b".into(),
            client_account: full_account(),
            client_user: user(),
            sync_account: Some(true),
            extra_json: Some("{}".into()),
        };
        let customer = CustomerSessionRequest {
            business_unit_slug: "b".into(),
            client_user: user(),
            extra_json: Some("{}".into()),
        };
        let update = UpdateCustomerRequest {
            business_unit_slug: "b".into(),
            account_number: "A".into(),
            sub_account_number: Some("S".into()),
            first_name: "F".into(),
            last_name: "L".into(),
            email_address: "a@b.co".into(),
            original_email_address: Some("o@b.co".into()),
        };
        let event = EventRequest {
            business_unit_slug: "b".into(),
            event_type: "Accounts.UnenrollAutopay".into(),
            payload_json: "{}".into(),
        };
        let cases = [
            (
                Operation::CreatePaymentSession,
                wire(&payment, "Extra", payment.extra_json.as_deref()),
            ),
            (
                Operation::CreateAutopaySession,
                wire(&account, "Extra", account.extra_json.as_deref()),
            ),
            (
                Operation::CreatePaperlessSession,
                wire(&account, "Extra", account.extra_json.as_deref()),
            ),
            (
                Operation::CreateWalletSession,
                wire(&customer, "Extra", customer.extra_json.as_deref()),
            ),
            (
                Operation::CreateNotificationSession,
                wire(&customer, "Extra", customer.extra_json.as_deref()),
            ),
            (Operation::UpdateCustomer, wire(&update, "Extra", None)),
            (
                Operation::SendEvent,
                wire(&event, "Payload", Some(&event.payload_json)),
            ),
        ];
        for (op, body) in cases {
            let body = body.unwrap_or_else(|_| panic!("{} serializes", op.name()));
            let mut ours = Vec::new();
            paths(&body, "", &mut ours);
            ours.sort();
            let mut core: Vec<String> = paystar::models::input::field_paths(op)
                .into_iter()
                .map(|(p, _)| p)
                .collect();
            core.sort();
            assert_eq!(ours, core, "{}", op.name());
        }
    }
}
