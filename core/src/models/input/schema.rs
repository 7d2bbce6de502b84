//! The schema of each operation's request: wire names, types, required-ness. Kept in
//! agreement with the typed models by `tests::schema_tables_match_the_typed_models`.

use crate::models::Operation;

/// A field's JSON type.
#[derive(Debug)]
pub(super) enum Ty {
    Str,
    Int,
    Bool,
    DateTime,
    Obj(&'static [Field]),
    List(&'static Ty),
    StrMap,
    Json,
}

/// One field of an object.
#[derive(Debug)]
pub(super) struct Field {
    pub wire: &'static str,
    pub ty: Ty,
    pub required: bool,
}

const fn opt(wire: &'static str, ty: Ty) -> Field {
    Field {
        wire,
        ty,
        required: false,
    }
}
const fn req(wire: &'static str, ty: Ty) -> Field {
    Field {
        wire,
        ty,
        required: true,
    }
}

const ADDRESS: &[Field] = &[
    opt("StreetAddress", Ty::Str),
    opt("StreetAddress2", Ty::Str),
    opt("City", Ty::Str),
    opt("State", Ty::Str),
    opt("ZipCode", Ty::Str),
];
const CLIENT_ACCOUNT: &[Field] = &[
    req("AccountNumber", Ty::Str),
    opt("SubAccountNumber", Ty::Str),
    opt("Name", Ty::Str),
    opt("Balance", Ty::Int),
    opt("PhoneNumber", Ty::Str),
    opt("DueDate", Ty::DateTime),
    opt("IssueDate", Ty::DateTime),
    opt("Note", Ty::Str),
    opt("MetaJson", Ty::Str),
    opt("Address", Ty::Obj(ADDRESS)),
];
const CLIENT_USER: &[Field] = &[
    req("EmailAddress", Ty::Str),
    opt("FirstName", Ty::Str),
    opt("LastName", Ty::Str),
];
const CHARGE: &[Field] = &[
    req("Amount", Ty::Int),
    opt("Description", Ty::Str),
    opt("ClientAccount", Ty::Obj(CLIENT_ACCOUNT)),
    opt("ChargeType", Ty::Str),
];
const PAYMENT: &[Field] = &[
    req("BusinessUnitSlug", Ty::Str),
    req("Channel", Ty::Str),
    req("Charges", Ty::List(&Ty::Obj(CHARGE))),
    opt("ClientUser", Ty::Obj(CLIENT_USER)),
    opt("PosUser", Ty::Str),
    opt("ClientReference", Ty::Str),
    opt("PaymentDescriptor", Ty::Str),
    opt("PaymentFields", Ty::StrMap),
    opt("SuccessUrl", Ty::Str),
    opt("ReturnUrl", Ty::Str),
    opt("PaymentSourceIdentifier", Ty::Str),
    opt("Extra", Ty::Json),
];
const ACCOUNT_SESSION: &[Field] = &[
    req("BusinessUnitSlug", Ty::Str),
    req("ClientAccount", Ty::Obj(CLIENT_ACCOUNT)),
    req("ClientUser", Ty::Obj(CLIENT_USER)),
    opt("SyncAccount", Ty::Bool),
    opt("Extra", Ty::Json),
];
const CUSTOMER_SESSION: &[Field] = &[
    req("BusinessUnitSlug", Ty::Str),
    req("ClientUser", Ty::Obj(CLIENT_USER)),
    opt("Extra", Ty::Json),
];

pub(super) fn schema(op: Operation) -> &'static [Field] {
    match op {
        Operation::CreatePaymentSession => PAYMENT,
        Operation::CreateAutopaySession | Operation::CreatePaperlessSession => ACCOUNT_SESSION,
        Operation::CreateWalletSession | Operation::CreateNotificationSession => CUSTOMER_SESSION,
    }
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
                Ty::Obj(inner) => walk(inner, &path, out),
                Ty::List(Ty::Obj(inner)) => walk(inner, &format!("{path}[]"), out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(schema(op), "", &mut out);
    out
}
