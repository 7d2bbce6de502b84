//! Objects shared by several session types: `ClientUser`, `ClientAccount`, `Address`, `Channel`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::error::Rule;
use crate::validate::{Violations, limits};

/// The signed-in end customer (`ClientUser`). Synced on every session type; Paystar keeps the
/// first `FirstName`/`LastName` it sees for an email and never updates them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientUser {
    /// The customer's email: the identity key of Paystar's customer record. Required.
    pub email_address: String,
    /// First name (immutable after the first session that introduces this email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name (immutable after the first session that introduces this email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

impl ClientUser {
    /// A customer with just an email.
    pub fn new(email_address: impl Into<String>) -> Self {
        ClientUser {
            email_address: email_address.into(),
            ..Default::default()
        }
    }

    pub(crate) fn check(&self, at: &str, v: &mut Violations) {
        v.email(&format!("{at}.EmailAddress"), &self.email_address);
        v.optional_text(
            &format!("{at}.FirstName"),
            self.first_name.as_deref(),
            limits::NAME,
        );
        v.optional_text(
            &format!("{at}.LastName"),
            self.last_name.as_deref(),
            limits::NAME,
        );
    }
}

/// A postal address (`Address`, from the older schema).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Address {
    /// First street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// Second street line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address2: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// ZIP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
}

/// The customer's account in the biller's system (`ClientAccount`). Each request carrying it
/// overwrites Paystar's record to match (except `Note` and custom fields): send the whole
/// snapshot every time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientAccount {
    /// Account number: identity key (with `SubAccountNumber`). Required.
    pub account_number: String,
    /// Sub-account number, part of the identity key when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_account_number: Option<String>,
    /// Account holder's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Balance in cents; may be negative (a credit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<i64>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Due date (sent as RFC 3339).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub due_date: Option<OffsetDateTime>,
    /// Issue date (sent as RFC 3339).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub issue_date: Option<OffsetDateTime>,
    /// A note; never synced after the first request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A serialized JSON string of custom data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_json: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl ClientAccount {
    /// An account with just its number.
    pub fn new(account_number: impl Into<String>) -> Self {
        ClientAccount {
            account_number: account_number.into(),
            ..Default::default()
        }
    }

    pub(crate) fn check(&self, at: &str, v: &mut Violations) {
        let p = |f: &str| format!("{at}.{f}");
        v.required_text(
            &p("AccountNumber"),
            &self.account_number,
            limits::IDENTIFIER,
        );
        v.optional_identifier(
            &p("SubAccountNumber"),
            self.sub_account_number.as_deref(),
            limits::IDENTIFIER,
        );
        v.optional_text(&p("Name"), self.name.as_deref(), limits::ACCOUNT_NAME);
        if let Some(b) = self.balance {
            if b.unsigned_abs() > limits::MAX_SAFE_INTEGER.unsigned_abs() {
                v.add(
                    p("Balance"),
                    Rule::MaxValue,
                    format!("must be within ±{}", limits::MAX_SAFE_INTEGER),
                );
            }
        }
        v.optional_text(
            &p("PhoneNumber"),
            self.phone_number.as_deref(),
            limits::PHONE,
        );
        if let Some(note) = &self.note {
            v.text(&p("Note"), note, limits::NOTE, true);
        }
        if let Some(meta) = &self.meta_json {
            v.text(&p("MetaJson"), meta, limits::META_JSON, true);
            if serde_json::from_str::<serde_json::Value>(meta).is_err() {
                v.add(
                    p("MetaJson"),
                    Rule::Json,
                    "must be a serialized JSON document",
                );
            }
        }
        if let Some(a) = &self.address {
            let lines = [
                ("StreetAddress", &a.street_address),
                ("StreetAddress2", &a.street_address2),
                ("City", &a.city),
                ("State", &a.state),
                ("ZipCode", &a.zip_code),
            ];
            for (name, value) in lines {
                v.optional_text(
                    &p(&format!("Address.{name}")),
                    value.as_deref(),
                    limits::ADDRESS_LINE,
                );
            }
        }
    }
}

/// How a payment session is used: by the customer (`QuickPay`) or by an agent (`POS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Channel {
    /// `QuickPay`: customer self-service. `PosUser` must be absent.
    QuickPay,
    /// `POS`: an agent pays for a customer. `PosUser` (the agent's Paystar email) is required
    /// and `ClientUser` must be absent.
    Pos,
    /// Any other value: refused by validation, kept so that it can be sent with validation off.
    Other(String),
}

impl Channel {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Channel::QuickPay => "QuickPay",
            Channel::Pos => "POS",
            Channel::Other(s) => s,
        }
    }
}

impl From<&str> for Channel {
    fn from(s: &str) -> Self {
        match s {
            "QuickPay" => Channel::QuickPay,
            "POS" => Channel::Pos,
            other => Channel::Other(other.to_owned()),
        }
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Channel::from(s.as_str()))
    }
}
