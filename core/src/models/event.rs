//! The Events API (`POST /integrations/events`): data pushed into Paystar, outside the session
//! API. `Accounts.ManageCustomer` is the only documented way to change a customer's names or
//! email address after the first session (session requests never change them).
//!
//! The wire body is `{"eventType", "payload", "businessUnitSlug"}`, and `payload` is the event's
//! fields as **JSON text**, not a nested object (documented). Decisions where the page is silent
//! (docs/decisions.md#events-response, #event-types, #unenroll-payload, #original-email):
//! - the answer's shape is undocumented: any 2xx is acceptance; when the body is the session
//!   API's envelope, `hasErrors: true` is an `api_error` and `data` is kept as
//!   [`EventReceipt::raw`]; an empty body or other JSON is accepted as it is; a 2xx body that
//!   is not JSON (an HTML page from a proxy) is a `decode_error`;
//! - `event_type` must be one of [`EVENT_TYPES`] (the documented enum) unless client
//!   validation is off; `Accounts.ManageCustomer` sent through `send_event` is checked by the
//!   same rules as `update_customer`;
//! - `Accounts.UnenrollAutopay`'s payload fields were cut off in the stored page: its payload
//!   is any JSON object;
//! - `originalEmailAddress` equal to `emailAddress` is refused (`conflict`): it is only for an
//!   email change.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiRequest, Operation};
use crate::error::Rule;
use crate::validate::{Validate, Violations, limits};

/// `Accounts.ManageCustomer`: create or update a customer (and its account).
pub const MANAGE_CUSTOMER: &str = "Accounts.ManageCustomer";
/// `Accounts.UnenrollAutopay`: end an account's AutoPay enrolment.
pub const UNENROLL_AUTOPAY: &str = "Accounts.UnenrollAutopay";
/// The documented event types.
pub const EVENT_TYPES: [&str; 2] = [MANAGE_CUSTOMER, UNENROLL_AUTOPAY];

/// Update a customer's names or email address (`Accounts.ManageCustomer`), the only documented
/// way to change them: session requests keep the names first seen for an email.
///
/// Creates the customer and account when `account_number` is new to Paystar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateCustomerRequest {
    /// Your business unit, issued by Paystar. Required.
    pub business_unit_slug: String,
    /// The account the customer belongs to. Required.
    pub account_number: String,
    /// The sub-account, when you use them; sent as `""` when `None` (documented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_number: Option<String>,
    /// The customer's first name. Required.
    pub first_name: String,
    /// The customer's last name. Required.
    pub last_name: String,
    /// The customer's email address (the new one, for an email change). Required.
    pub email_address: String,
    /// The email address Paystar knows the customer by, only for an email change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_email_address: Option<String>,
}

impl UpdateCustomerRequest {
    /// A request with the required fields (no sub-account, no email change).
    pub fn new(
        business_unit_slug: impl Into<String>,
        account_number: impl Into<String>,
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email_address: impl Into<String>,
    ) -> Self {
        UpdateCustomerRequest {
            business_unit_slug: business_unit_slug.into(),
            account_number: account_number.into(),
            sub_account_number: None,
            first_name: first_name.into(),
            last_name: last_name.into(),
            email_address: email_address.into(),
            original_email_address: None,
        }
    }
}

/// The `ManageCustomer` rules, on fields given by their paths (`AccountNumber` for
/// `update_customer`, `Payload.accountNumber` for `send_event`).
fn check_manage_customer(fields: [(&str, Option<&str>); 6], v: &mut Violations) {
    let [account, sub, first, last, email, original] = fields;
    let required = |v: &mut Violations, (path, value): (&str, Option<&str>), max| match value {
        Some(s) => v.required_text(path, s, max),
        None => v.add(path, Rule::Required, "is required"),
    };
    required(v, account, limits::IDENTIFIER);
    if let (path, Some(s)) = sub {
        v.text(path, s, limits::IDENTIFIER, false);
    }
    required(v, first, limits::NAME);
    required(v, last, limits::NAME);
    match email {
        (path, Some(s)) => v.email(path, s),
        (path, None) => v.add(path, Rule::Required, "is required"),
    }
    if let (path, Some(s)) = original {
        v.email(path, s);
        if email
            .1
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(s.trim()))
        {
            v.add(
                path,
                Rule::Conflict,
                "is only for an email change: it equals the email address (leave it out)",
            );
        }
    }
}

impl Validate for UpdateCustomerRequest {
    fn check(&self, v: &mut Violations) {
        v.required_text(
            "BusinessUnitSlug",
            &self.business_unit_slug,
            limits::IDENTIFIER,
        );
        check_manage_customer(
            [
                ("AccountNumber", Some(&self.account_number)),
                ("SubAccountNumber", self.sub_account_number.as_deref()),
                ("FirstName", Some(&self.first_name)),
                ("LastName", Some(&self.last_name)),
                ("EmailAddress", Some(&self.email_address)),
                (
                    "OriginalEmailAddress",
                    self.original_email_address.as_deref(),
                ),
            ],
            v,
        );
    }
}

static NO_EXTRA: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

impl ApiRequest for UpdateCustomerRequest {
    const OPERATION: Operation = Operation::UpdateCustomer;
    type Output = EventReceipt;

    fn extra(&self) -> &Map<String, Value> {
        &NO_EXTRA
    }

    fn to_body(&self) -> Map<String, Value> {
        typed_wire_body(self)
    }
}

/// Any Events API call (`Accounts.UnenrollAutopay`, or a type Paystar adds later): the payload
/// is sent as JSON text. Prefer [`UpdateCustomerRequest`] for `Accounts.ManageCustomer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventRequest {
    /// Your business unit, issued by Paystar. Required.
    pub business_unit_slug: String,
    /// One of [`EVENT_TYPES`], e.g. `Accounts.UnenrollAutopay`. Required.
    pub event_type: String,
    /// The event's fields, in the Events API's own names (camelCase), sent as they are.
    pub payload: Map<String, Value>,
}

impl EventRequest {
    /// An event of `event_type` with `payload`.
    pub fn new(
        business_unit_slug: impl Into<String>,
        event_type: impl Into<String>,
        payload: Map<String, Value>,
    ) -> Self {
        EventRequest {
            business_unit_slug: business_unit_slug.into(),
            event_type: event_type.into(),
            payload,
        }
    }
}

impl Validate for EventRequest {
    fn check(&self, v: &mut Violations) {
        v.required_text(
            "BusinessUnitSlug",
            &self.business_unit_slug,
            limits::IDENTIFIER,
        );
        if self.event_type.trim().is_empty() {
            v.add(
                "EventType",
                Rule::Required,
                "is required and must not be blank",
            );
        } else if !EVENT_TYPES.contains(&self.event_type.as_str()) {
            v.add(
                "EventType",
                Rule::OneOf,
                format!(
                    "must be one of {} (the documented event types)",
                    EVENT_TYPES.join(", ")
                ),
            );
        }
        super::check_json_size(
            "Payload",
            &Value::Object(self.payload.clone()),
            limits::EVENT_PAYLOAD_BYTES,
            v,
        );
        if self.event_type == MANAGE_CUSTOMER {
            check_manage_customer_payload(&self.payload, v);
        }
    }
}

/// `Accounts.ManageCustomer` sent through `send_event`: the same rules, on the payload's own
/// (camelCase) names.
fn check_manage_customer_payload(payload: &Map<String, Value>, v: &mut Violations) {
    const KNOWN: [&str; 6] = [
        "accountNumber",
        "subAccountNumber",
        "firstName",
        "lastName",
        "emailAddress",
        "originalEmailAddress",
    ];
    let path = |k: &str| format!("Payload.{k}");
    let paths = KNOWN.map(path);
    let mut wrong_type = Vec::new();
    for k in KNOWN {
        if payload.get(k).is_some_and(|x| !x.is_string()) {
            v.add(path(k), Rule::Type, "must be text");
            wrong_type.push(path(k));
        }
    }
    if payload.get("subAccountNumber").is_none() {
        v.add(
            path("subAccountNumber"),
            Rule::Required,
            "is required (send \"\" when not applicable)",
        );
    }
    let field = |i: usize| {
        (
            paths[i].as_str(),
            payload.get(KNOWN[i]).and_then(Value::as_str),
        )
    };
    let mut rules = Violations::default();
    check_manage_customer(
        [field(0), field(1), field(2), field(3), field(4), field(5)],
        &mut rules,
    );
    for e in rules.into_vec() {
        // A field of the wrong type is not reported missing as well.
        if !wrong_type.contains(&e.path) {
            v.add(e.path, e.rule, e.message);
        }
    }
    for k in payload.keys().filter(|k| !KNOWN.contains(&k.as_str())) {
        let hint = super::input::did_you_mean(k, KNOWN)
            .map_or_else(String::new, |d| format!(" (did you mean {d}?)"));
        v.add(
            path(k),
            Rule::UnknownField,
            format!("is not a documented ManageCustomer payload field{hint}"),
        );
    }
}

impl ApiRequest for EventRequest {
    const OPERATION: Operation = Operation::SendEvent;
    type Output = EventReceipt;

    fn extra(&self) -> &Map<String, Value> {
        &NO_EXTRA
    }

    fn to_body(&self) -> Map<String, Value> {
        typed_wire_body(self)
    }
}

/// The Events API body of a typed request: its fields (PascalCase) through [`event_wire_body`].
fn typed_wire_body<R: ApiRequest>(request: &R) -> Map<String, Value> {
    match serde_json::to_value(request) {
        Ok(Value::Object(map)) => event_wire_body(R::OPERATION, map),
        _ => Map::new(),
    }
}

/// The Events API body from a request in wire-style (PascalCase) keys, checked or not:
/// `{"eventType", "payload": <JSON text>, "businessUnitSlug"}`. For `update_customer` the
/// payload is the other fields in camelCase, with `subAccountNumber` `""` when absent.
/// Without client validation, what the caller gave goes as it is (a payload that is not an
/// object is sent as its JSON text, or as is when it is text).
pub(crate) fn event_wire_body(op: Operation, mut map: Map<String, Value>) -> Map<String, Value> {
    let slug = map.remove("BusinessUnitSlug");
    let (event_type, payload) = if op == Operation::UpdateCustomer {
        let mut payload = Map::new();
        let order = [
            "AccountNumber",
            "SubAccountNumber",
            "FirstName",
            "LastName",
            "EmailAddress",
            "OriginalEmailAddress",
        ];
        for key in order {
            match map.remove(key) {
                Some(v) => {
                    payload.insert(super::input::Case::Camel.convert(key), v);
                }
                None if key == "SubAccountNumber" => {
                    payload.insert("subAccountNumber".into(), Value::String(String::new()));
                }
                None => {}
            }
        }
        // Unchecked calls keep any other key, camelCased, after the documented ones.
        for (k, v) in map {
            payload.insert(super::input::Case::Camel.convert(&k), v);
        }
        (
            Some(Value::String(MANAGE_CUSTOMER.into())),
            Value::Object(payload),
        )
    } else {
        (
            map.remove("EventType"),
            map.remove("Payload").unwrap_or(Value::Null),
        )
    };
    let payload = match payload {
        Value::String(text) => text,
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut body = Map::new();
    if let Some(t) = event_type {
        body.insert("eventType".into(), t);
    }
    body.insert("payload".into(), Value::String(payload));
    if let Some(s) = slug {
        body.insert("businessUnitSlug".into(), s);
    }
    body
}

/// What an accepted event comes back as. The answer's shape is undocumented (see the module
/// docs): `raw` is the envelope's `data` when the gateway sent the envelope, else the JSON it
/// sent, else `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReceipt {
    /// The event type sent (`Accounts.ManageCustomer`, ...).
    pub event_type: String,
    /// The HTTP status of the answer (2xx).
    pub http_status: u16,
    /// What the gateway answered (see above).
    pub raw: Option<Value>,
    /// HTTP attempts the call took.
    pub attempts: u32,
    /// The gateway's request id (header `X-Request-Id`), when sent.
    pub request_id: Option<String>,
    /// True when an earlier attempt may have reached the gateway without an answer.
    pub ambiguous: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_body_carries_the_payload_as_text() {
        let mut req = UpdateCustomerRequest::new("bu", "A-1", "Jane", "Doe", "j@example.com");
        req.original_email_address = Some("old@example.com".into());
        let body = req.to_body();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"eventType":"Accounts.ManageCustomer","payload":"{\"accountNumber\":\"A-1\",\"subAccountNumber\":\"\",\"firstName\":\"Jane\",\"lastName\":\"Doe\",\"emailAddress\":\"j@example.com\",\"originalEmailAddress\":\"old@example.com\"}","businessUnitSlug":"bu"}"#
        );
        assert!(req.validate().is_ok());
    }
}
