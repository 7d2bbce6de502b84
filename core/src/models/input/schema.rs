//! The schema of each operation's request: wire names, types, required-ness. Kept in
//! agreement with the typed models by `tests::schema_tables_match_the_typed_models`.

use crate::models::Operation;

/// A field's JSON type.
#[derive(Debug)]
pub enum Ty {
    /// Text.
    Str,
    /// A whole number (amounts: integer cents).
    Int,
    /// `true` / `false`.
    Bool,
    /// An RFC 3339 date-time string.
    DateTime,
    /// A nested object.
    Obj(&'static Shape),
    /// A list of one type.
    List(&'static Ty),
    /// An object of strings whose keys are data (`PaymentFields`).
    StrMap,
    /// Any JSON object, merged into the body as it is (`Extra`).
    Json,
}

/// A named object type of the request schema (the name every generated surface uses).
#[derive(Debug)]
pub struct Shape {
    /// `ClientAccount`, `PaymentSessionRequest`, ...
    pub name: &'static str,
    /// One sentence for generated docs.
    pub doc: &'static str,
    /// Its fields, in wire order.
    pub fields: &'static [Field],
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    /// The wire (PascalCase) name.
    pub wire: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Whether it must be present (where its parent is).
    pub required: bool,
    /// One sentence for generated docs.
    pub doc: &'static str,
}

const fn opt(wire: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        wire,
        ty,
        required: false,
        doc,
    }
}
const fn req(wire: &'static str, ty: Ty, doc: &'static str) -> Field {
    Field {
        wire,
        ty,
        required: true,
        doc,
    }
}

const ADDRESS: Shape = Shape {
    name: "Address",
    doc: "A postal address (every field optional).",
    fields: &[
        opt("StreetAddress", Ty::Str, "Street line 1."),
        opt("StreetAddress2", Ty::Str, "Street line 2."),
        opt("City", Ty::Str, "City."),
        opt("State", Ty::Str, "State."),
        opt("ZipCode", Ty::Str, "ZIP code."),
    ],
};
const CLIENT_ACCOUNT: Shape = Shape {
    name: "ClientAccount",
    doc: "The biller's account for the customer (the account number is required).",
    fields: &[
        req("AccountNumber", Ty::Str, "The account number."),
        opt("SubAccountNumber", Ty::Str, "Sub-account number."),
        opt("Name", Ty::Str, "Account holder's name."),
        opt(
            "Balance",
            Ty::Int,
            "Balance in integer cents (may be negative).",
        ),
        opt("PhoneNumber", Ty::Str, "Phone number."),
        opt("DueDate", Ty::DateTime, "Due date (RFC 3339)."),
        opt("IssueDate", Ty::DateTime, "Issue date (RFC 3339)."),
        opt("Note", Ty::Str, "A note (never updated once set)."),
        opt("MetaJson", Ty::Str, "A JSON document, as text."),
        opt("Address", Ty::Obj(&ADDRESS), "Postal address."),
    ],
};
const CLIENT_USER: Shape = Shape {
    name: "ClientUser",
    doc: "The customer (the email address is required; names are kept as first seen).",
    fields: &[
        req("EmailAddress", Ty::Str, "Email address."),
        opt("FirstName", Ty::Str, "First name."),
        opt("LastName", Ty::Str, "Last name."),
    ],
};
const CHARGE: Shape = Shape {
    name: "Charge",
    doc: "One charge: the amount in integer cents.",
    fields: &[
        req("Amount", Ty::Int, "Integer cents, 1 to 2^53 - 1."),
        opt("Description", Ty::Str, "Description."),
        opt(
            "ClientAccount",
            Ty::Obj(&CLIENT_ACCOUNT),
            "The account it pays.",
        ),
        opt("ChargeType", Ty::Str, "Charge type."),
    ],
};
const EXTRA: &str =
    "Unmodelled top-level wire fields, merged as given (never replacing a modelled one).";
const PAYMENT: Shape = Shape {
    name: "PaymentSessionRequest",
    doc: "The request of create_payment_session.",
    fields: &[
        req("BusinessUnitSlug", Ty::Str, "Business unit slug."),
        req("Channel", Ty::Str, "QuickPay or POS (case-sensitive)."),
        req(
            "Charges",
            Ty::List(&Ty::Obj(&CHARGE)),
            "The charges: 1 to 25.",
        ),
        opt("ClientUser", Ty::Obj(&CLIENT_USER), "The customer."),
        opt("PosUser", Ty::Str, "The POS user (POS channel)."),
        opt(
            "ClientReference",
            Ty::Str,
            "Your unique reference (a reuse is refused).",
        ),
        opt("PaymentDescriptor", Ty::Str, "Statement descriptor."),
        opt(
            "PaymentFields",
            Ty::StrMap,
            "Custom payment fields (keys are data: sent as given).",
        ),
        opt(
            "SuccessUrl",
            Ty::Str,
            "Where the page goes after a payment.",
        ),
        opt(
            "ReturnUrl",
            Ty::Str,
            "Where the page goes when the customer leaves.",
        ),
        opt(
            "PaymentSourceIdentifier",
            Ty::Str,
            "A saved payment source to use.",
        ),
        opt("Extra", Ty::Json, EXTRA),
    ],
};
const ACCOUNT_SESSION: Shape = Shape {
    name: "AccountSessionRequest",
    doc: "The request of create_autopay_session and create_paperless_session.",
    fields: &[
        req("BusinessUnitSlug", Ty::Str, "Business unit slug."),
        req("ClientAccount", Ty::Obj(&CLIENT_ACCOUNT), "The account."),
        req("ClientUser", Ty::Obj(&CLIENT_USER), "The customer."),
        opt(
            "SyncAccount",
            Ty::Bool,
            "Create or update the account on the gateway (true for a new account).",
        ),
        opt("Extra", Ty::Json, EXTRA),
    ],
};
const CUSTOMER_SESSION: Shape = Shape {
    name: "CustomerSessionRequest",
    doc: "The request of create_wallet_session and create_notification_session.",
    fields: &[
        req("BusinessUnitSlug", Ty::Str, "Business unit slug."),
        req("ClientUser", Ty::Obj(&CLIENT_USER), "The customer."),
        opt("Extra", Ty::Json, EXTRA),
    ],
};

const UPDATE_CUSTOMER: Shape = Shape {
    name: "UpdateCustomerRequest",
    doc: "The request of update_customer (the Events API's Accounts.ManageCustomer).",
    fields: &[
        req("BusinessUnitSlug", Ty::Str, "Business unit slug."),
        req("AccountNumber", Ty::Str, "The customer's account."),
        opt(
            "SubAccountNumber",
            Ty::Str,
            "The sub-account, when you use them (sent as \"\" when absent).",
        ),
        req("FirstName", Ty::Str, "The first name to set."),
        req("LastName", Ty::Str, "The last name to set."),
        req(
            "EmailAddress",
            Ty::Str,
            "The email address to set (the new one, for an email change).",
        ),
        opt(
            "OriginalEmailAddress",
            Ty::Str,
            "The email address Paystar knows the customer by: only for an email change.",
        ),
    ],
};
const EVENT: Shape = Shape {
    name: "EventRequest",
    doc: "The request of send_event (any Events API event type).",
    fields: &[
        req("BusinessUnitSlug", Ty::Str, "Business unit slug."),
        req(
            "EventType",
            Ty::Str,
            "Accounts.ManageCustomer or Accounts.UnenrollAutopay.",
        ),
        req(
            "Payload",
            Ty::Json,
            "The event's fields in the Events API's names (camelCase); sent as JSON text.",
        ),
    ],
};

/// The request shape of an operation: every binding's typed request surface is generated from
/// these (see `core/tests/generated.rs`).
pub fn shape(op: Operation) -> &'static Shape {
    match op {
        Operation::CreatePaymentSession => &PAYMENT,
        Operation::CreateAutopaySession | Operation::CreatePaperlessSession => &ACCOUNT_SESSION,
        Operation::CreateWalletSession | Operation::CreateNotificationSession => &CUSTOMER_SESSION,
        Operation::UpdateCustomer => &UPDATE_CUSTOMER,
        Operation::SendEvent => &EVENT,
    }
}

pub(super) fn schema(op: Operation) -> &'static [Field] {
    shape(op).fields
}

/// The modelled top-level wire names of an operation (which `Extra` must not replace).
pub fn top_level_fields(op: Operation) -> Vec<&'static str> {
    schema(op).iter().map(|f| f.wire).collect()
}

/// Every wire field path of an operation's request, depth first, with whether it is required
/// where its parent is present (`Charges[].Amount`, `ClientUser.EmailAddress`). Bindings use it
/// to keep their typed request shapes (TypedDicts, interfaces) in step with core.
pub fn field_paths(op: Operation) -> Vec<(String, bool)> {
    fn walk(fields: &[Field], prefix: &str, out: &mut Vec<(String, bool)>) {
        for f in fields {
            let path = if prefix.is_empty() {
                f.wire.to_owned()
            } else {
                format!("{prefix}.{}", f.wire)
            };
            out.push((path.clone(), f.required));
            match &f.ty {
                Ty::Obj(inner) => walk(inner.fields, &path, out),
                Ty::List(Ty::Obj(inner)) => walk(inner.fields, &format!("{path}[]"), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(schema(op), "", &mut out);
    out
}
