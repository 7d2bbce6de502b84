//! The four management sessions: AutoPay, Paperless (customer + account), Wallet and
//! Notifications (customer only).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ApiRequest, ClientAccount, ClientUser, Operation};
use crate::validate::{Validate, Violations, limits};

/// Declares a management request with an account (`ClientAccount` + `SyncAccount`).
macro_rules! account_session {
    ($(#[$doc:meta])* $name:ident, $op:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name {
            /// Your business unit, issued by Paystar. Required.
            pub business_unit_slug: String,
            /// The account to manage; `AccountNumber` is required.
            pub client_account: ClientAccount,
            /// The signed-in customer; `EmailAddress` is required.
            pub client_user: ClientUser,
            /// Sync the account into Paystar first. Must be `true` for an account Paystar has
            /// not seen yet. Not sent when `None` (the gateway's default applies;
            /// docs/decisions.md#sync-account).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sync_account: Option<bool>,
            /// Fields we do not model yet, merged into the body as they are (wire names).
            #[serde(rename = "Extra", default, skip_serializing)]
            pub extra: Map<String, Value>,
        }

        impl $name {
            /// A request with the required fields.
            pub fn new(business_unit_slug: impl Into<String>, client_account: ClientAccount, client_user: ClientUser) -> Self {
                $name { business_unit_slug: business_unit_slug.into(), client_account, client_user, sync_account: None, extra: Map::new() }
            }
        }

        impl Validate for $name {
            fn check(&self, v: &mut Violations) {
                v.required_text("BusinessUnitSlug", &self.business_unit_slug, limits::IDENTIFIER);
                self.client_account.check("ClientAccount", v);
                self.client_user.check("ClientUser", v);
                super::check_extra(Self::OPERATION, &self.extra, v);
            }
        }

        impl ApiRequest for $name {
            const OPERATION: Operation = $op;
            type Output = super::Session;
            fn extra(&self) -> &Map<String, Value> { &self.extra }
        }
    };
}

/// Declares a management request for a customer only (no accounts).
macro_rules! customer_session {
    ($(#[$doc:meta])* $name:ident, $op:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name {
            /// Your business unit, issued by Paystar. Required.
            pub business_unit_slug: String,
            /// The signed-in customer; `EmailAddress` is required.
            pub client_user: ClientUser,
            /// Fields we do not model yet, merged into the body as they are (wire names).
            #[serde(rename = "Extra", default, skip_serializing)]
            pub extra: Map<String, Value>,
        }

        impl $name {
            /// A request with the required fields.
            pub fn new(business_unit_slug: impl Into<String>, client_user: ClientUser) -> Self {
                $name { business_unit_slug: business_unit_slug.into(), client_user, extra: Map::new() }
            }
        }

        impl Validate for $name {
            fn check(&self, v: &mut Violations) {
                v.required_text("BusinessUnitSlug", &self.business_unit_slug, limits::IDENTIFIER);
                self.client_user.check("ClientUser", v);
                super::check_extra(Self::OPERATION, &self.extra, v);
            }
        }

        impl ApiRequest for $name {
            const OPERATION: Operation = $op;
            type Output = super::Session;
            fn extra(&self) -> &Map<String, Value> { &self.extra }
        }
    };
}

account_session!(
    /// Create AutoPay Session (`POST /integrations/embedded/initiate-manage-autopay`): enrol in
    /// AutoPay or manage an enrolment. Opened in the browser with `Paystar.startFlow`.
    AutopaySessionRequest,
    Operation::CreateAutopaySession
);

account_session!(
    /// Create Paperless Session (`POST /integrations/embedded/initiate-manage-paperless`).
    PaperlessSessionRequest,
    Operation::CreatePaperlessSession
);

customer_session!(
    /// Create Wallet Session (`POST /integrations/embedded/initiate-manage-wallet`): the
    /// customer's saved payment methods. Wallets are per customer: no account.
    WalletSessionRequest,
    Operation::CreateWalletSession
);

customer_session!(
    /// Create Notification Session (`POST /integrations/embedded/initiate-manage-notifications`):
    /// the customer's email/SMS preferences. No account.
    NotificationSessionRequest,
    Operation::CreateNotificationSession
);
