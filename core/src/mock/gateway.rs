//! The mock's business logic: the documented gateway, implemented independently of the
//! client's validation (so that either can be tested against the other).
//!
//! Decisions where the API is silent (docs/decisions.md#mock-failure-shape and #mock-events):
//! - validation failures and a duplicate `ClientReference` answer **200** with
//!   `hasErrors: true` (the only documented failure shape, OAS sample);
//! - a missing or wrong API key answers **401** with the envelope;
//! - a body that is not JSON answers **400** with the envelope;
//! - AutoPay/Paperless for an account the mock has not seen, without `SyncAccount: true`,
//!   is refused (the documented "must be true for a new account").

use std::collections::{HashMap, HashSet};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::models::{Operation, SessionKind};

use super::checks::{check, need};
use super::page::escape;

/// How far [`Gateway::advance`] may move the clock in all: 100 years.
pub(crate) const MAX_CLOCK_OFFSET: time::Duration = time::Duration::days(36_525);

/// A session the mock created.
#[derive(Debug, Clone)]
pub(crate) struct StoredSession {
    pub kind: SessionKind,
    pub slug: String,
    pub created: OffsetDateTime,
    pub expires: OffsetDateTime,
    pub total_cents: i64,
    pub email: Option<String>,
    pub reference: Option<String>,
    /// `(AccountNumber, SubAccountNumber, Name)` of the first account in the request.
    pub account: Option<(String, String, String)>,
    /// Where the session page sends the browser once completed (`SuccessUrl`, else
    /// `ReturnUrl`).
    pub next_url: Option<String>,
    /// Paystar's reference number, once the customer completed the session.
    pub completed: Option<String>,
}

/// Everything the mock remembers.
pub(crate) struct Gateway {
    pub api_key: String,
    pub sessions: HashMap<String, StoredSession>,
    pub customers: HashMap<String, Value>,
    pub accounts: HashMap<(String, String), Value>,
    references: HashSet<String>,
    rng: SmallRng,
    pub clock_offset: time::Duration,
    served: u64,
    max_sessions: usize,
}

/// `(status, envelope)`.
pub(crate) type Reply = (u16, Value);

fn refuse(status: u16, errors: Vec<(String, String)>) -> Reply {
    let items: Vec<Value> = errors
        .into_iter()
        .map(|(p, m)| json!({"propertyName": p, "errorMessage": m}))
        .collect();
    (
        status,
        json!({"hasErrors": true, "errors": items, "data": null}),
    )
}

impl Gateway {
    pub fn new(api_key: String, seed: u64, max_sessions: usize) -> Gateway {
        Gateway {
            max_sessions,
            api_key,
            sessions: HashMap::new(),
            customers: HashMap::new(),
            accounts: HashMap::new(),
            references: HashSet::new(),
            rng: SmallRng::seed_from_u64(seed),
            clock_offset: time::Duration::ZERO,
            served: 0,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.checked_add(self.clock_offset).unwrap_or(now)
    }

    /// Moves the clock forward; refused past [`MAX_CLOCK_OFFSET`] in all (checked arithmetic:
    /// no input can overflow the mock's clock).
    pub fn advance(&mut self, by: std::time::Duration) -> bool {
        let next = time::Duration::try_from(by)
            .ok()
            .and_then(|by| self.clock_offset.checked_add(by))
            .filter(|total| *total <= MAX_CLOCK_OFFSET);
        match next {
            Some(total) => {
                self.clock_offset = total;
                true
            }
            None => false,
        }
    }

    /// Forgets every session and used `ClientReference`.
    pub fn forget_sessions(&mut self) {
        self.sessions = HashMap::new();
        self.references = HashSet::new();
    }

    pub fn next_request_id(&mut self) -> String {
        self.served = self.served.saturating_add(1);
        format!("req_mock_{:06}", self.served)
    }

    /// Handles one POST to a session endpoint.
    pub fn process(&mut self, op: Operation, key: Option<&str>, body: &[u8], base: &str) -> Reply {
        if self.sessions.len() >= self.max_sessions {
            self.forget_sessions();
        }
        if key != Some(self.api_key.as_str()) {
            let why = if key.is_none() {
                "The API key header is missing."
            } else {
                "The API key is not valid."
            };
            return refuse(401, vec![("X-Paystar-Api-Key".into(), why.into())]);
        }
        let Ok(Value::Object(req)) = serde_json::from_slice::<Value>(body) else {
            return refuse(
                400,
                vec![(
                    String::new(),
                    "The request body is not a valid JSON object.".into(),
                )],
            );
        };
        let Some(kind) = op.kind() else {
            return self.process_event(&req);
        };
        let errors = check(op, &req);
        if !errors.is_empty() {
            return refuse(200, errors);
        }
        let reference = req
            .get("ClientReference")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(r) = &reference {
            if self.references.contains(r) {
                return refuse(
                    200,
                    vec![(
                        "ClientReference".into(),
                        format!("ClientReference '{r}' has already been used."),
                    )],
                );
            }
        }
        let slug = req["BusinessUnitSlug"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        // Accounts: charges sync automatically; AutoPay/Paperless only with SyncAccount.
        let mut total = 0i64;
        if let Some(charges) = req.get("Charges").and_then(Value::as_array) {
            for c in charges {
                total = total.saturating_add(c["Amount"].as_i64().unwrap_or(0));
                if let Some(Value::Object(acct)) = c.get("ClientAccount") {
                    self.sync_account(acct);
                }
            }
        }
        if let Some(Value::Object(acct)) = req.get("ClientAccount") {
            let sync = req
                .get("SyncAccount")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if sync {
                self.sync_account(acct);
            } else if !self.accounts.contains_key(&account_key(acct)) {
                return refuse(200, vec![(
                    "SyncAccount".into(),
                    "The account is not known to Paystar; set SyncAccount to true to create it.".into(),
                )]);
            }
        }
        let email = req
            .get("ClientUser")
            .and_then(|u| u.as_object())
            .map(|u| self.sync_customer(u));
        if let Some(r) = &reference {
            self.references.insert(r.clone());
        }
        let id = self.new_id();
        let account = req
            .get("Charges")
            .and_then(|c| c.get(0))
            .and_then(|c| c.get("ClientAccount"))
            .or_else(|| req.get("ClientAccount"))
            .and_then(Value::as_object)
            .map(|a| {
                let text = |k: &str| {
                    a.get(k)
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned()
                };
                (
                    text("AccountNumber"),
                    text("SubAccountNumber"),
                    text("Name"),
                )
            });
        let next_url = ["SuccessUrl", "ReturnUrl"]
            .iter()
            .find_map(|k| req.get(*k).and_then(Value::as_str))
            .map(str::to_owned);
        let created = self.now();
        let expires =
            created + time::Duration::try_from(kind.lifetime()).unwrap_or(time::Duration::HOUR);
        let link = format!("{}app/embedded/{slug}/session/{id}", base);
        self.sessions.insert(
            id.clone(),
            StoredSession {
                kind,
                slug,
                created,
                expires,
                total_cents: total,
                email,
                reference,
                account,
                next_url,
                completed: None,
            },
        );
        let data = match kind {
            SessionKind::Payment => json!({
                "PaymentSessionIdentifier": id,
                "PaymentLogInLink": link,
                "Status": "RequiresPaymentSource",
            }),
            _ => json!({
                "SessionLink": link,
                "SessionStatus": "Active",
                "ValidUntil": expires.format(&Rfc3339).unwrap_or_default(),
            }),
        };
        (200, json!({"hasErrors": false, "errors": [], "data": data}))
    }

    /// A reference number shaped like the documented one (`NYDVNT-WSQPG`).
    pub fn new_reference_number(&mut self) -> String {
        let mut letters = |n: usize| -> String {
            (0..n)
                .map(|_| char::from(b'A' + self.rng.random_range(0..26u8)))
                .collect()
        };
        let first = letters(6);
        format!("{first}-{}", letters(5))
    }

    fn new_id(&mut self) -> String {
        let a: u128 = self.rng.random();
        let h = format!("{a:032x}");
        format!(
            "{}-{}-4{}-8{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[17..20],
            &h[20..32]
        )
    }

    /// Handles one Events API call (`POST /integrations/events`): the documented body, with
    /// `payload` as JSON text; `Accounts.ManageCustomer` creates or updates the customer (names
    /// and email, found by `originalEmailAddress` for an email change) and creates its account
    /// when new. Answers the session API's envelope with `data: null` (the real answer's shape
    /// is undocumented).
    fn process_event(&mut self, req: &Map<String, Value>) -> Reply {
        let mut errors = Vec::new();
        let text = |key: &str, errors: &mut Vec<(String, String)>| -> String {
            match req.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                Some(Value::String(_)) | None | Some(Value::Null) => {
                    errors.push((key.to_owned(), format!("'{key}' must not be empty.")));
                    String::new()
                }
                Some(_) => {
                    errors.push((key.to_owned(), format!("'{key}' must be a string.")));
                    String::new()
                }
            }
        };
        let event_type = text("eventType", &mut errors);
        let _slug = text("businessUnitSlug", &mut errors);
        let payload = match req.get("payload") {
            Some(Value::String(t)) => match serde_json::from_str::<Value>(t) {
                Ok(Value::Object(p)) => Some(p),
                _ => {
                    errors.push((
                        "payload".into(),
                        "'payload' must be a serialized JSON object.".into(),
                    ));
                    None
                }
            },
            Some(Value::Object(_) | Value::Array(_)) => {
                errors.push((
                    "payload".into(),
                    "'payload' must be a serialized JSON string, not an object.".into(),
                ));
                None
            }
            _ => {
                errors.push(("payload".into(), "'payload' must not be empty.".into()));
                None
            }
        };
        if !event_type.is_empty() && !crate::models::EVENT_TYPES.contains(&event_type.as_str()) {
            errors.push((
                "eventType".into(),
                format!("'{}' is not a known event type.", escape(&event_type)),
            ));
        }
        let (Some(payload), true) = (payload, errors.is_empty()) else {
            return refuse(200, errors);
        };
        if event_type == crate::models::MANAGE_CUSTOMER {
            let field = |k: &str| payload.get(k).and_then(Value::as_str);
            for k in ["accountNumber", "firstName", "lastName", "emailAddress"] {
                need(&mut errors, &payload, "payload.", k);
            }
            if field("subAccountNumber").is_none() {
                errors.push((
                    "payload.subAccountNumber".into(),
                    "'subAccountNumber' is required (use \"\" when not applicable).".into(),
                ));
            }
            if !errors.is_empty() {
                return refuse(200, errors);
            }
            let email = field("emailAddress").unwrap_or_default();
            let found_by = field("originalEmailAddress").unwrap_or(email);
            let mut record = match self.customers.remove(&found_by.to_ascii_lowercase()) {
                Some(Value::Object(r)) => r,
                _ => Map::new(),
            };
            for (wire, k) in [
                ("EmailAddress", "emailAddress"),
                ("FirstName", "firstName"),
                ("LastName", "lastName"),
            ] {
                record.insert(
                    wire.into(),
                    Value::String(field(k).unwrap_or_default().into()),
                );
            }
            self.customers
                .insert(email.to_ascii_lowercase(), Value::Object(record));
            let account = (
                field("accountNumber").unwrap_or_default().to_owned(),
                field("subAccountNumber").unwrap_or_default().to_owned(),
            );
            self.accounts
                .entry(account)
                .or_insert_with_key(|(number, sub)| {
                    let mut record = Map::new();
                    record.insert("AccountNumber".into(), Value::String(number.clone()));
                    if !sub.is_empty() {
                        record.insert("SubAccountNumber".into(), Value::String(sub.clone()));
                    }
                    Value::Object(record)
                });
        }
        (200, json!({"hasErrors": false, "errors": [], "data": null}))
    }

    fn sync_account(&mut self, acct: &Map<String, Value>) {
        let key = account_key(acct);
        let mut record = acct.clone();
        if let Some(old) = self.accounts.get(&key) {
            // Note and custom fields do not sync: the first value stays.
            for keep in ["Note", "MetaJson"] {
                match old.get(keep) {
                    Some(v) => record.insert(keep.into(), v.clone()),
                    None => record.remove(keep),
                };
            }
        }
        self.accounts.insert(key, Value::Object(record));
    }

    /// Names are immutable after the first sight of an email.
    fn sync_customer(&mut self, user: &Map<String, Value>) -> String {
        let email = user
            .get("EmailAddress")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        self.customers
            .entry(email.to_ascii_lowercase())
            .or_insert_with(|| Value::Object(user.clone()));
        email
    }
}

fn account_key(acct: &Map<String, Value>) -> (String, String) {
    let s = |k: &str| {
        acct.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    (s("AccountNumber"), s("SubAccountNumber"))
}

/// The webhook event completing a session of `kind` sends: only the documented ones
/// (`Payment.Succeeded`, `AutoPay.Enrolled`; paystar-api.md §6.3).
pub(crate) fn webhook_action(kind: SessionKind) -> Option<&'static str> {
    match kind {
        SessionKind::Payment => Some("Payment.Succeeded"),
        SessionKind::Autopay => Some("AutoPay.Enrolled"),
        _ => None,
    }
}
