//! Requests and results. Wire names are PascalCase; absent optionals are never sent as `null`.

mod common;
mod event;
pub mod input;
mod manage;
mod payment;
mod session;

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub use common::{Address, Channel, ClientAccount, ClientUser};
pub(crate) use event::event_wire_body;
pub use event::{
    EVENT_TYPES, EventReceipt, EventRequest, MANAGE_CUSTOMER, UNENROLL_AUTOPAY,
    UpdateCustomerRequest,
};
pub use manage::{
    AutopaySessionRequest, NotificationSessionRequest, PaperlessSessionRequest,
    WalletSessionRequest,
};
pub use payment::{Charge, PaymentSessionRequest};
pub use session::Session;

use crate::error::Rule;
use crate::validate::{Validate, Violations};

/// The kind of session an operation creates (serialized as `payment`, `autopay`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionKind {
    /// A one-time payment (opened with `Paystar.completePayment`).
    Payment,
    /// AutoPay enrolment (opened with `Paystar.startFlow`, like the others below).
    Autopay,
    /// Saved payment methods.
    Wallet,
    /// Paperless billing.
    Paperless,
    /// Notification preferences.
    Notification,
}

impl SessionKind {
    /// `payment`, `autopay`, `wallet`, `paperless` or `notification`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SessionKind::Payment => "payment",
            SessionKind::Autopay => "autopay",
            SessionKind::Wallet => "wallet",
            SessionKind::Paperless => "paperless",
            SessionKind::Notification => "notification",
        }
    }

    /// Documented lifetime: 30 minutes for payments, 60 for management sessions.
    pub const fn lifetime(self) -> Duration {
        match self {
            SessionKind::Payment => Duration::from_secs(30 * 60),
            _ => Duration::from_secs(60 * 60),
        }
    }

    /// The front-end SDK call that opens it: `completePayment` or `startFlow`.
    pub const fn loader_call(self) -> &'static str {
        match self {
            SessionKind::Payment => "completePayment",
            _ => "startFlow",
        }
    }
}

/// One endpoint of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `POST /integrations/embedded/initiate`
    CreatePaymentSession,
    /// `POST /integrations/embedded/initiate-manage-autopay`
    CreateAutopaySession,
    /// `POST /integrations/embedded/initiate-manage-wallet`
    CreateWalletSession,
    /// `POST /integrations/embedded/initiate-manage-paperless`
    CreatePaperlessSession,
    /// `POST /integrations/embedded/initiate-manage-notifications`
    CreateNotificationSession,
    /// `POST /integrations/events` with `Accounts.ManageCustomer` (the Events API).
    UpdateCustomer,
    /// `POST /integrations/events` with any event type (the Events API).
    SendEvent,
}

impl Operation {
    /// Every operation: the five sessions, then the two Events API calls.
    pub const ALL: [Operation; 7] = [
        Operation::CreatePaymentSession,
        Operation::CreateAutopaySession,
        Operation::CreateWalletSession,
        Operation::CreatePaperlessSession,
        Operation::CreateNotificationSession,
        Operation::UpdateCustomer,
        Operation::SendEvent,
    ];

    /// The operations that create a session.
    pub const SESSIONS: [Operation; 5] = [
        Operation::CreatePaymentSession,
        Operation::CreateAutopaySession,
        Operation::CreateWalletSession,
        Operation::CreatePaperlessSession,
        Operation::CreateNotificationSession,
    ];

    /// Whether it is an Events API call (answered with an [`EventReceipt`], sent to the
    /// environment's Events API host), not a session.
    pub const fn is_event(self) -> bool {
        matches!(self, Operation::UpdateCustomer | Operation::SendEvent)
    }

    /// The snake_case name, e.g. `create_payment_session` (bindings case it their way).
    pub const fn name(self) -> &'static str {
        match self {
            Operation::CreatePaymentSession => "create_payment_session",
            Operation::CreateAutopaySession => "create_autopay_session",
            Operation::CreateWalletSession => "create_wallet_session",
            Operation::CreatePaperlessSession => "create_paperless_session",
            Operation::CreateNotificationSession => "create_notification_session",
            Operation::UpdateCustomer => "update_customer",
            Operation::SendEvent => "send_event",
        }
    }

    /// The operation called `name` (snake_case).
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The path below the base URL, e.g. `/integrations/embedded/initiate`.
    pub const fn path(self) -> &'static str {
        match self {
            Operation::CreatePaymentSession => "/integrations/embedded/initiate",
            Operation::CreateAutopaySession => "/integrations/embedded/initiate-manage-autopay",
            Operation::CreateWalletSession => "/integrations/embedded/initiate-manage-wallet",
            Operation::CreatePaperlessSession => "/integrations/embedded/initiate-manage-paperless",
            Operation::CreateNotificationSession => {
                "/integrations/embedded/initiate-manage-notifications"
            }
            Operation::UpdateCustomer | Operation::SendEvent => "/integrations/events",
        }
    }

    /// The operation answering at `path` (`send_event` for the Events API, which serves every
    /// event type).
    pub fn from_path(path: &str) -> Option<Operation> {
        if path == Operation::SendEvent.path() {
            return Some(Operation::SendEvent);
        }
        Operation::SESSIONS.into_iter().find(|o| o.path() == path)
    }

    /// The kind of session it creates (`None` for the Events API calls).
    pub const fn kind(self) -> Option<SessionKind> {
        match self {
            Operation::CreatePaymentSession => Some(SessionKind::Payment),
            Operation::CreateAutopaySession => Some(SessionKind::Autopay),
            Operation::CreateWalletSession => Some(SessionKind::Wallet),
            Operation::CreatePaperlessSession => Some(SessionKind::Paperless),
            Operation::CreateNotificationSession => Some(SessionKind::Notification),
            Operation::UpdateCustomer | Operation::SendEvent => None,
        }
    }
}

/// What a call comes back with: a session, or an Events API receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Reply {
    /// A created session (the five session operations).
    Session(Session),
    /// An accepted event (`update_customer`, `send_event`).
    Event(EventReceipt),
}

impl Reply {
    /// The gateway's request id, when sent.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Reply::Session(s) => s.request_id.as_deref(),
            Reply::Event(e) => e.request_id.as_deref(),
        }
    }

    pub(crate) fn set_call(&mut self, attempts: u32, ambiguous: bool) {
        match self {
            Reply::Session(s) => {
                s.attempts = attempts;
                s.ambiguous = ambiguous;
            }
            Reply::Event(e) => {
                e.attempts = attempts;
                e.ambiguous = ambiguous;
            }
        }
    }
}

/// A call's typed result, taken out of a [`Reply`].
pub trait FromReply: Sized + Send + 'static {
    /// The result, or an `internal_error` if the reply is of the other kind (a bug).
    fn from_reply(reply: Reply) -> crate::Result<Self>;

    /// Back into a [`Reply`].
    fn into_reply(self) -> Reply;
}

impl FromReply for Session {
    fn from_reply(reply: Reply) -> crate::Result<Self> {
        match reply {
            Reply::Session(s) => Ok(s),
            Reply::Event(_) => Err(crate::Error::internal("expected a session, got a receipt")),
        }
    }

    fn into_reply(self) -> Reply {
        Reply::Session(self)
    }
}

impl FromReply for EventReceipt {
    fn from_reply(reply: Reply) -> crate::Result<Self> {
        match reply {
            Reply::Event(e) => Ok(e),
            Reply::Session(_) => Err(crate::Error::internal("expected a receipt, got a session")),
        }
    }

    fn into_reply(self) -> Reply {
        Reply::Event(self)
    }
}

/// A typed request body for one operation (a session's, or an Events API call's).
pub trait ApiRequest: Serialize + DeserializeOwned + Validate + Send + Sync {
    /// The endpoint it is sent to.
    const OPERATION: Operation;

    /// What the call returns: [`Session`] or [`EventReceipt`].
    type Output: FromReply;

    /// Unmodelled fields merged into the body.
    fn extra(&self) -> &Map<String, Value>;

    /// The JSON body sent: the modelled fields plus `extra`.
    fn to_body(&self) -> Map<String, Value> {
        let mut body = match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        for (k, v) in self.extra() {
            body.entry(k.clone()).or_insert_with(|| v.clone());
        }
        body
    }
}

/// Whether `v` nests deeper than `limit` objects or lists (stops looking at the limit, so the
/// check itself never recurses further).
fn deeper_than(v: &Value, limit: usize) -> bool {
    let children: Box<dyn Iterator<Item = &Value>> = match v {
        Value::Array(items) => Box::new(items.iter()),
        Value::Object(map) => Box::new(map.values()),
        _ => return false,
    };
    limit == 0 || children.into_iter().any(|c| deeper_than(c, limit - 1))
}

/// `extra` may add fields, never replace modelled ones (or sneak in a `null`).
fn check_extra(op: Operation, extra: &Map<String, Value>, v: &mut Violations) {
    // Gateways that read JSON case-insensitively (ASP.NET's web defaults) would take a
    // `channel` or `client_user` here over the validated field: refuse any spelling of one.
    let norm = |k: &str| k.replace('_', "").to_ascii_lowercase();
    let modelled: Vec<String> = input::top_level_fields(op).into_iter().map(norm).collect();
    for (key, value) in extra {
        if modelled.contains(&norm(key)) {
            v.add(
                format!("Extra.{key}"),
                Rule::Conflict,
                format!("{key} is a modelled field: set it directly"),
            );
        } else if key.trim().is_empty() || crate::validate::has_control_chars(key, false) {
            v.add(
                format!("Extra.{key}"),
                Rule::Required,
                "field names must be non-blank text",
            );
        } else if value.is_null() {
            v.add(
                format!("Extra.{key}"),
                Rule::Type,
                "must not be null (leave the field out instead)",
            );
        } else {
            check_json_size(
                &format!("Extra.{key}"),
                value,
                crate::validate::limits::EXTRA_VALUE_BYTES,
                v,
            );
        }
    }
}

/// A JSON value sent as it is (an `Extra` value, an event's payload): at most
/// [`MAX_DEPTH`](crate::validate::limits::MAX_DEPTH) levels deep, then at most `max_bytes` as JSON text.
fn check_json_size(path: &str, value: &Value, max_bytes: usize, v: &mut Violations) {
    if deeper_than(value, crate::validate::limits::MAX_DEPTH) {
        v.add(
            path,
            Rule::MaxDepth,
            format!(
                "nests deeper than {} levels",
                crate::validate::limits::MAX_DEPTH
            ),
        );
    } else if value.to_string().len() > max_bytes {
        v.add(
            path,
            Rule::MaxLength,
            format!("must be at most {max_bytes} bytes as JSON"),
        );
    }
}
