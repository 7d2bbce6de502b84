//! The request records (uniffi records that serialize to the wire shape). Generated from
//! core's request schema by core/tests/generated: do not edit.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

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
