//! Requests (records that serialize to the wire shape), results and options.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use paystar::RequestOptions;
use serde::Serialize;
use serde_json::Value;

use crate::NativeError;

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
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

/// The biller's account for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
pub struct ClientAccount {
    /// The account number (required).
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
    /// A note.
    #[uniffi(default)]
    pub note: Option<String>,
    /// A JSON document, as text.
    #[uniffi(default)]
    pub meta_json: Option<String>,
    /// Postal address.
    #[uniffi(default)]
    pub address: Option<Address>,
}

/// The customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
pub struct ClientUser {
    /// Email address (required).
    pub email_address: String,
    /// First name.
    #[uniffi(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[uniffi(default)]
    pub last_name: Option<String>,
}

/// One charge, in integer cents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
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

/// `create_payment_session`'s request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
pub struct PaymentSessionRequest {
    /// Business unit slug (required).
    pub business_unit_slug: String,
    /// `QuickPay` or `POS` (required, case-sensitive).
    pub channel: String,
    /// The charges (required, at least one).
    pub charges: Vec<Charge>,
    /// The customer.
    #[uniffi(default)]
    pub client_user: Option<ClientUser>,
    /// POS user.
    #[uniffi(default)]
    pub pos_user: Option<String>,
    /// Your unique reference.
    #[uniffi(default)]
    pub client_reference: Option<String>,
    /// Statement descriptor.
    #[uniffi(default)]
    pub payment_descriptor: Option<String>,
    /// Extra fields (data: keys sent as given).
    #[uniffi(default)]
    pub payment_fields: Option<HashMap<String, String>>,
    /// Where to go after success.
    #[uniffi(default)]
    pub success_url: Option<String>,
    /// Where to go on cancel.
    #[uniffi(default)]
    pub return_url: Option<String>,
    /// A saved payment source.
    #[uniffi(default)]
    pub payment_source_identifier: Option<String>,
    /// Extra top-level wire fields as a JSON object (text).
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

/// `create_autopay_session` / `create_paperless_session`'s request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
pub struct AccountSessionRequest {
    /// Business unit slug (required).
    pub business_unit_slug: String,
    /// The account (required).
    pub client_account: ClientAccount,
    /// The customer (required).
    pub client_user: ClientUser,
    /// Create or update the account on the gateway.
    #[uniffi(default)]
    pub sync_account: Option<bool>,
    /// Extra top-level wire fields as a JSON object (text).
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

/// `create_wallet_session` / `create_notification_session`'s request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
#[serde(rename_all = "PascalCase")]
pub struct CustomerSessionRequest {
    /// Business unit slug (required).
    pub business_unit_slug: String,
    /// The customer (required).
    pub client_user: ClientUser,
    /// Extra top-level wire fields as a JSON object (text).
    #[uniffi(default)]
    #[serde(skip)]
    pub extra_json: Option<String>,
}

fn invalid(path: &str, rule: &str, message: String) -> NativeError {
    paystar::Error::validation(vec![paystar::FieldError {
        path: path.into(),
        rule: rule.into(),
        message,
    }])
    .into()
}

/// The wire JSON of a typed request (`Extra` parsed from its JSON text).
pub(crate) fn wire<T: Serialize>(
    request: &T,
    extra_json: Option<&str>,
) -> Result<Value, NativeError> {
    let mut value =
        serde_json::to_value(request).map_err(|e| invalid("", "type", e.to_string()))?;
    if let (Some(text), Value::Object(map)) = (extra_json, &mut value) {
        let extra: Value = serde_json::from_str(text)
            .map_err(|e| invalid("Extra", "json", format!("must be a JSON object ({e})")))?;
        map.insert("Extra".into(), extra);
    }
    Ok(value)
}

/// Parses a raw JSON request or script.
pub(crate) fn parse_json(text: &str) -> Result<Value, NativeError> {
    serde_json::from_str(text).map_err(|e| invalid("", "json", format!("is not JSON ({e})")))
}

/// A created session.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Session {
    /// `payment`, `autopay`, `wallet`, `paperless` or `notification`.
    pub kind: String,
    /// The payment session id, when sent.
    pub id: Option<String>,
    /// The short-lived session URL.
    pub url: String,
    /// The gateway's status, when sent.
    pub status: Option<String>,
    /// When the link stops working.
    pub expires_at: SystemTime,
    /// The gateway's `data` object (JSON text).
    pub raw_json: String,
    /// HTTP attempts the call took.
    pub attempts: i32,
    /// The gateway's request id, when sent.
    pub request_id: Option<String>,
    /// The loader function that opens it (`completePayment` or `startFlow`).
    pub loader_call: String,
}

impl From<paystar::Session> for Session {
    fn from(s: paystar::Session) -> Self {
        let nanos = s.expires_at.unix_timestamp_nanos();
        let expires_at = u64::try_from(nanos)
            .map(|n| SystemTime::UNIX_EPOCH + Duration::from_nanos(n))
            .unwrap_or(SystemTime::UNIX_EPOCH);
        Session {
            kind: s.kind.as_str().to_owned(),
            loader_call: s.kind.loader_call().to_owned(),
            id: s.id,
            url: s.url,
            status: s.status,
            expires_at,
            raw_json: Value::Object(s.raw).to_string(),
            attempts: i32::try_from(s.attempts).unwrap_or(i32::MAX),
            request_id: s.request_id,
        }
    }
}

/// Client options (the Kotlin `PaystarConfig` converts to this; its `toString` hides the key).
#[derive(Clone, Default, uniffi::Record)]
pub struct ClientOptions {
    /// Default: `PAYSTAR_API_KEY`.
    #[uniffi(default)]
    pub api_key: Option<String>,
    /// `development` or `production`.
    #[uniffi(default)]
    pub environment: Option<String>,
    /// Any https URL (http only for loopback).
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// Per-attempt timeout.
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// Connect timeout.
    #[uniffi(default)]
    pub connect_timeout: Option<Duration>,
    /// Retries after the first attempt.
    #[uniffi(default)]
    pub max_retries: Option<i32>,
    /// Bound on the whole call.
    #[uniffi(default)]
    pub deadline: Option<Duration>,
    /// Appended to the User-Agent.
    #[uniffi(default)]
    pub user_agent_suffix: Option<String>,
    /// Explicit proxy URL.
    #[uniffi(default)]
    pub proxy: Option<String>,
    /// Client-side validation (default on).
    #[uniffi(default)]
    pub client_validation: Option<bool>,
    /// The runtime, for the User-Agent (`kotlin; jvm 17`).
    #[uniffi(default)]
    pub binding: Option<String>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// Per-call overrides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Record)]
pub struct CallOptions {
    /// Per-attempt timeout for this call.
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// Retries for this call.
    #[uniffi(default)]
    pub max_retries: Option<i32>,
}

/// A Kotlin `Int` retry count as core's (a negative one is a `configuration_error`).
pub(crate) fn retries(r: i32) -> Result<u32, NativeError> {
    u32::try_from(r).map_err(|_| {
        paystar::Error::configuration(format!("maxRetries: must be 0 or more (got {r})")).into()
    })
}

impl TryFrom<CallOptions> for RequestOptions {
    type Error = NativeError;
    fn try_from(o: CallOptions) -> Result<Self, NativeError> {
        Ok(RequestOptions {
            timeout: o.timeout,
            max_retries: o.max_retries.map(retries).transpose()?,
        })
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
                    Value::Object(_) if k != "PaymentFields" && k != "Extra" => paths(x, &p, out),
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
        let cases = [
            (
                Operation::CreatePaymentSession,
                wire(&payment, payment.extra_json.as_deref()),
            ),
            (
                Operation::CreateAutopaySession,
                wire(&account, account.extra_json.as_deref()),
            ),
            (
                Operation::CreatePaperlessSession,
                wire(&account, account.extra_json.as_deref()),
            ),
            (
                Operation::CreateWalletSession,
                wire(&customer, customer.extra_json.as_deref()),
            ),
            (
                Operation::CreateNotificationSession,
                wire(&customer, customer.extra_json.as_deref()),
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
