//! Create Payment Session (`POST /integrations/embedded/initiate`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiRequest, Channel, ClientAccount, ClientUser, Operation};
use crate::error::Rule;
use crate::validate::{Validate, Violations, limits};

/// One charge (`EmbeddedCharges` item).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Charge {
    /// Amount in cents (US): a positive integer. Required.
    pub amount: i64,
    /// What the charge is for, shown to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The account the charge belongs to (synced automatically). Its presence on the charges
    /// selects the accountless, single-account or multi-account mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_account: Option<ClientAccount>,
    /// A charge type (older schema; values undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_type: Option<String>,
}

impl Charge {
    /// A charge of `amount` cents with a description.
    pub fn new(amount: i64, description: impl Into<String>) -> Self {
        Charge {
            amount,
            description: Some(description.into()),
            ..Default::default()
        }
    }

    /// The same charge for an account.
    pub fn with_account(mut self, account: ClientAccount) -> Self {
        self.client_account = Some(account);
        self
    }
}

/// The body of Create Payment Session. `BusinessUnitSlug`, `Channel` and 1–25 `Charges` are
/// required; `POS` needs `PosUser` and forbids `ClientUser`, `QuickPay` forbids `PosUser`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PaymentSessionRequest {
    /// Your business unit, issued by Paystar (e.g. `acme-utilities`).
    pub business_unit_slug: String,
    /// `QuickPay` or `POS`; required, no default (docs/decisions.md#channel).
    pub channel: Channel,
    /// 1 to 25 charges.
    pub charges: Vec<Charge>,
    /// The signed-in customer (QuickPay only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_user: Option<ClientUser>,
    /// The agent's Paystar email (required for POS, forbidden for QuickPay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pos_user: Option<String>,
    /// Your own reference; must be unique across your sessions when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_reference: Option<String>,
    /// A custom descriptor shown on the payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_descriptor: Option<String>,
    /// Custom fields set up with your Account Manager: name → value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_fields: Option<BTreeMap<String, String>>,
    /// Where to go after a successful payment (absolute http(s) URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_url: Option<String>,
    /// Where to return when the customer leaves (absolute http(s) URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// A saved payment source to preselect (older schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_source_identifier: Option<String>,
    /// Fields we do not model yet, merged into the body as they are (wire names).
    #[serde(rename = "Extra", default, skip_serializing)]
    pub extra: Map<String, Value>,
}

impl PaymentSessionRequest {
    /// A request with the required fields; set the optional ones on the returned value.
    pub fn new(
        business_unit_slug: impl Into<String>,
        channel: Channel,
        charges: Vec<Charge>,
    ) -> Self {
        PaymentSessionRequest {
            business_unit_slug: business_unit_slug.into(),
            channel,
            charges,
            client_user: None,
            pos_user: None,
            client_reference: None,
            payment_descriptor: None,
            payment_fields: None,
            success_url: None,
            return_url: None,
            payment_source_identifier: None,
            extra: Map::new(),
        }
    }
}

impl Validate for PaymentSessionRequest {
    fn check(&self, v: &mut Violations) {
        v.required_text(
            "BusinessUnitSlug",
            &self.business_unit_slug,
            limits::IDENTIFIER,
        );
        match &self.channel {
            Channel::QuickPay => {
                if self.pos_user.is_some() {
                    v.add(
                        "PosUser",
                        Rule::Forbidden,
                        "must not be set when Channel is QuickPay",
                    );
                }
            }
            Channel::Pos => {
                match &self.pos_user {
                    Some(agent) => v.email("PosUser", agent),
                    None => v.add(
                        "PosUser",
                        Rule::Required,
                        "is required when Channel is POS (the agent's Paystar email)",
                    ),
                }
                if self.client_user.is_some() {
                    v.add(
                        "ClientUser",
                        Rule::Forbidden,
                        "must not be set when Channel is POS",
                    );
                }
            }
            Channel::Other(other) => {
                v.add(
                    "Channel",
                    Rule::OneOf,
                    format!("must be QuickPay or POS (got {other:?})"),
                );
            }
        }
        if self.charges.is_empty() {
            v.add("Charges", Rule::MinItems, "must hold at least 1 charge");
        } else if self.charges.len() > limits::MAX_CHARGES {
            v.add(
                "Charges",
                Rule::MaxItems,
                format!(
                    "must hold at most {} charges (got {})",
                    limits::MAX_CHARGES,
                    self.charges.len()
                ),
            );
        }
        for (i, c) in self.charges.iter().enumerate() {
            let at = format!("Charges[{i}]");
            v.positive_cents(&format!("{at}.Amount"), c.amount);
            if let Some(d) = &c.description {
                v.text(&format!("{at}.Description"), d, limits::DESCRIPTION, true);
            }
            v.optional_identifier(
                &format!("{at}.ChargeType"),
                c.charge_type.as_deref(),
                limits::IDENTIFIER,
            );
            if let Some(a) = &c.client_account {
                a.check(&format!("{at}.ClientAccount"), v);
            }
        }
        if let Some(u) = &self.client_user {
            u.check("ClientUser", v);
        }
        v.optional_identifier(
            "ClientReference",
            self.client_reference.as_deref(),
            limits::IDENTIFIER,
        );
        v.optional_text(
            "PaymentDescriptor",
            self.payment_descriptor.as_deref(),
            limits::NAME,
        );
        v.optional_identifier(
            "PaymentSourceIdentifier",
            self.payment_source_identifier.as_deref(),
            limits::IDENTIFIER,
        );
        if let Some(fields) = &self.payment_fields {
            if fields.len() > limits::PAYMENT_FIELDS {
                v.add(
                    "PaymentFields",
                    Rule::MaxItems,
                    format!("must hold at most {} fields", limits::PAYMENT_FIELDS),
                );
            }
            for (name, value) in fields {
                v.required_text(&format!("PaymentFields.{name}"), name, limits::IDENTIFIER);
                v.text(
                    &format!("PaymentFields.{name}"),
                    value,
                    limits::PAYMENT_FIELD_VALUE,
                    false,
                );
            }
        }
        if let Some(u) = &self.success_url {
            v.web_url("SuccessUrl", u);
        }
        if let Some(u) = &self.return_url {
            v.web_url("ReturnUrl", u);
        }
        super::check_extra(Self::OPERATION, &self.extra, v);
    }
}

impl ApiRequest for PaymentSessionRequest {
    const OPERATION: Operation = Operation::CreatePaymentSession;
    type Output = super::Session;
    fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}
