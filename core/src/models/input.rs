//! Requests given as JSON in a binding's case style (snake_case for Python, camelCase for Node
//! and Kotlin, PascalCase as on the wire), checked against the schema of each operation.
//!
//! This is how every binding (and the conformance vectors) reach core: the binding turns its
//! native dict/object into a `serde_json::Value`, and everything else happens here. Unknown
//! keys (typos) are errors with a "did you mean" hint; wrong types, floats or booleans for
//! amounts, and missing required fields are reported with every other violation at once, by
//! wire path (`Charges[0].Amount`). A `null` optional is the same as leaving it out.

use serde_json::{Map, Value};

use super::{
    AutopaySessionRequest, NotificationSessionRequest, Operation, PaperlessSessionRequest,
    PaymentSessionRequest, SessionRequest, WalletSessionRequest,
};
use crate::error::{Error, FieldError, Result};
use crate::validate::{Violations, limits};

/// The key style of a request given as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Case {
    /// `BusinessUnitSlug` (the wire style).
    Pascal,
    /// `business_unit_slug` (Python).
    Snake,
    /// `businessUnitSlug` (JavaScript, Kotlin).
    Camel,
}

impl Case {
    /// Converts a PascalCase wire name to this style.
    pub fn convert(self, wire: &str) -> String {
        match self {
            Case::Pascal => wire.to_owned(),
            Case::Camel => {
                let mut chars = wire.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_ascii_lowercase().to_string() + chars.as_str()
                })
            }
            Case::Snake => {
                let mut out = String::with_capacity(wire.len() + 4);
                for (i, c) in wire.chars().enumerate() {
                    if c.is_ascii_uppercase() {
                        if i > 0 {
                            out.push('_');
                        }
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

#[derive(Debug)]
enum Ty {
    Str,
    Int,
    Bool,
    DateTime,
    Obj(&'static [Field]),
    List(&'static Ty),
    StrMap,
    Json,
}

#[derive(Debug)]
struct Field {
    wire: &'static str,
    ty: Ty,
    required: bool,
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

fn schema(op: Operation) -> &'static [Field] {
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

/// Checks `input` (keys in `case`) for `op` and returns the JSON body to send.
///
/// With `validate`, every rule is checked and any violation is a `validation_error` listing all
/// of them. Without it, only the key style is converted (unknown keys and odd values go to the
/// gateway as they are), so the gateway's own validation can be exercised.
pub fn prepare(
    op: Operation,
    input: &Value,
    case: Case,
    validate: bool,
) -> Result<Map<String, Value>> {
    if !validate {
        let mut ignored = Violations::default();
        return match walk(input, &Ty::Obj(schema(op)), "", case, false, &mut ignored) {
            Value::Object(map) => Ok(map),
            _ => Err(Error::validation(vec![FieldError {
                path: String::new(),
                rule: "type".into(),
                message: "the request must be an object".into(),
            }])),
        };
    }
    match op {
        Operation::CreatePaymentSession => typed::<PaymentSessionRequest>(input, case),
        Operation::CreateAutopaySession => typed::<AutopaySessionRequest>(input, case),
        Operation::CreateWalletSession => typed::<WalletSessionRequest>(input, case),
        Operation::CreatePaperlessSession => typed::<PaperlessSessionRequest>(input, case),
        Operation::CreateNotificationSession => typed::<NotificationSessionRequest>(input, case),
    }
}

/// Parses and validates `input` as a typed request.
fn typed<R: SessionRequest>(input: &Value, case: Case) -> Result<Map<String, Value>> {
    let mut shape = Violations::default();
    let repaired = walk(
        input,
        &Ty::Obj(schema(R::OPERATION)),
        "",
        case,
        true,
        &mut shape,
    );
    let shape = shape.into_vec();
    let request: R = serde_json::from_value(repaired).map_err(|e| {
        Error::validation(vec![FieldError {
            path: String::new(),
            rule: "type".into(),
            message: e.to_string(),
        }])
    })?;
    let mut rules = Violations::default();
    request.check(&mut rules);
    // A field already reported for its shape is not reported again for what the placeholder
    // put in its place (nor are its children).
    let mut all = shape.clone();
    all.extend(rules.into_vec().into_iter().filter(|e| {
        !shape.iter().any(|s| {
            e.path == s.path
                || e.path.starts_with(&format!("{}.", s.path))
                || e.path.starts_with(&format!("{}[", s.path))
        })
    }));
    if all.is_empty() {
        Ok(request.to_body())
    } else {
        Err(Error::validation(all))
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn placeholder(ty: &Ty) -> Value {
    match ty {
        Ty::Str => Value::String(String::new()),
        // Only ever optional: a bad one is dropped.
        Ty::DateTime => Value::Null,
        Ty::Int => Value::from(0),
        Ty::Bool => Value::Bool(false),
        Ty::Obj(fields) => Value::Object(
            fields
                .iter()
                .filter(|f| f.required)
                .map(|f| (f.wire.to_owned(), placeholder(&f.ty)))
                .collect(),
        ),
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::StrMap | Ty::Json => Value::Object(Map::new()),
    }
}

/// Walks `v` as `ty`: converts keys to wire names and records shape violations. With `repair`,
/// the result is always deserializable (bad values become placeholders, unknown keys are
/// dropped, missing required fields are filled); without it, everything is kept as given.
fn walk(v: &Value, ty: &Ty, path: &str, case: Case, repair: bool, errs: &mut Violations) -> Value {
    let mut bad = |rule: &str, message: String| {
        errs.add(path, rule, message);
        if repair { placeholder(ty) } else { v.clone() }
    };
    match (ty, v) {
        (Ty::Str, Value::String(_)) | (Ty::Bool, Value::Bool(_)) | (Ty::Json, Value::Object(_)) => {
            v.clone()
        }
        (Ty::Str, _) => bad("type", format!("must be a string (got {})", type_name(v))),
        (Ty::Bool, _) => bad(
            "type",
            format!("must be true or false (got {})", type_name(v)),
        ),
        (Ty::Json, _) => bad("type", format!("must be an object (got {})", type_name(v))),
        (Ty::Int, Value::Number(n)) => match (n.as_i64(), n.as_u64()) {
            (Some(_), _) => v.clone(),
            (None, Some(_)) => bad(
                "max_value",
                format!("must be at most {}", limits::MAX_SAFE_INTEGER),
            ),
            _ => bad(
                "integer",
                format!("must be an integer number of cents (got {n})"),
            ),
        },
        (Ty::Int, _) => bad(
            "integer",
            format!("must be an integer number of cents (got {})", type_name(v)),
        ),
        (Ty::DateTime, Value::String(s)) => {
            if time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .is_ok()
            {
                v.clone()
            } else {
                bad(
                    "datetime",
                    "must be an RFC 3339 date-time such as 2026-08-24T14:15:22Z".into(),
                )
            }
        }
        (Ty::DateTime, _) => bad(
            "datetime",
            format!(
                "must be an RFC 3339 date-time string (got {})",
                type_name(v)
            ),
        ),
        (Ty::StrMap, Value::Object(map)) => {
            let mut out = Map::new();
            for (k, item) in map {
                if item.is_string() || !repair {
                    out.insert(k.clone(), item.clone());
                }
                if !item.is_string() {
                    errs.add(
                        join(path, k),
                        "type",
                        format!("must be a string (got {})", type_name(item)),
                    );
                }
            }
            Value::Object(out)
        }
        (Ty::StrMap, _) => bad(
            "type",
            format!("must be an object of strings (got {})", type_name(v)),
        ),
        (Ty::List(item_ty), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| walk(item, item_ty, &format!("{path}[{i}]"), case, repair, errs))
                .collect(),
        ),
        (Ty::List(_), _) => bad("type", format!("must be a list (got {})", type_name(v))),
        (Ty::Obj(fields), Value::Object(map)) => walk_object(map, fields, path, case, repair, errs),
        (Ty::Obj(_), _) => bad("type", format!("must be an object (got {})", type_name(v))),
    }
}

fn walk_object(
    map: &Map<String, Value>,
    fields: &'static [Field],
    path: &str,
    case: Case,
    repair: bool,
    errs: &mut Violations,
) -> Value {
    let mut out = Map::new();
    for (key, value) in map {
        let Some(field) = fields.iter().find(|f| case.convert(f.wire) == *key) else {
            let hint = suggest(key, fields, case)
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            errs.add(
                join(path, key),
                "unknown_field",
                format!("is not a known field{hint}"),
            );
            if !repair {
                out.insert(key.clone(), value.clone());
            }
            continue;
        };
        if value.is_null() {
            continue;
        }
        let at = join(path, field.wire);
        let walked = walk(value, &field.ty, &at, case, repair, errs);
        if !walked.is_null() {
            out.insert(field.wire.to_owned(), walked);
        }
    }
    let missing: Vec<&Field> = fields
        .iter()
        .filter(|f| f.required && !out.contains_key(f.wire))
        .collect();
    for f in missing {
        errs.add(join(path, f.wire), "required", "is required");
        if repair {
            out.insert(f.wire.to_owned(), placeholder(&f.ty));
        }
    }
    Value::Object(out)
}

/// The known field closest to a mistyped key (edit distance ≤ 2, ignoring case and `_`).
fn suggest(key: &str, fields: &[Field], case: Case) -> Option<String> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "");
    let k = norm(key);
    fields
        .iter()
        .map(|f| case.convert(f.wire))
        .map(|name| (distance(&k, &norm(&name)), name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, name)| name)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(e: &Error) -> Vec<(&str, &str)> {
        e.field_errors()
            .iter()
            .map(|f| (f.path.as_str(), f.rule.as_str()))
            .collect()
    }

    #[test]
    fn case_conversion() {
        assert_eq!(
            Case::Snake.convert("BusinessUnitSlug"),
            "business_unit_slug"
        );
        assert_eq!(Case::Snake.convert("StreetAddress2"), "street_address2");
        assert_eq!(Case::Camel.convert("PosUser"), "posUser");
        assert_eq!(Case::Pascal.convert("MetaJson"), "MetaJson");
    }

    #[test]
    fn snake_input_becomes_the_wire_body() {
        let input = json!({
            "business_unit_slug": "acme-utilities", "channel": "QuickPay",
            "charges": [{"amount": 15000, "description": "Water", "client_account": {"account_number": "A-1", "balance": -325}}],
            "client_user": {"email_address": "j@example.com", "first_name": null},
            "extra": {"PaymentMethods": ["ACH"]}
        });
        let body = prepare(Operation::CreatePaymentSession, &input, Case::Snake, true).unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"BusinessUnitSlug": "acme-utilities", "Channel": "QuickPay",
                   "Charges": [{"Amount": 15000, "Description": "Water", "ClientAccount": {"AccountNumber": "A-1", "Balance": -325}}],
                   "ClientUser": {"EmailAddress": "j@example.com"}, "PaymentMethods": ["ACH"]})
        );
    }

    #[test]
    fn every_violation_at_once_without_duplicates() {
        let input = json!({
            "channel": "POS",
            "charges": [{"amout": 5}, {"amount": 1.5}, {"amount": true, "description": 3}],
            "client_user": {"email_address": "nope"},
        });
        let e = prepare(Operation::CreatePaymentSession, &input, Case::Snake, true).unwrap_err();
        assert_eq!(
            paths(&e),
            vec![
                ("Charges[0].amout", "unknown_field"),
                ("Charges[0].Amount", "required"),
                ("Charges[1].Amount", "integer"),
                ("Charges[2].Amount", "integer"),
                ("Charges[2].Description", "type"),
                ("BusinessUnitSlug", "required"),
                ("PosUser", "required"),
                ("ClientUser", "forbidden"),
                ("ClientUser.EmailAddress", "email"),
            ]
        );
        assert!(e.message().contains("did you mean amount?"), "{e}");
    }

    #[test]
    fn without_validation_everything_is_sent_as_given() {
        let input = json!({"BusinessUnitSlug": "x", "Channel": "Mail", "Charges": [{"Amount": -5, "Odd": 1}], "PosUser": null});
        let body = prepare(Operation::CreatePaymentSession, &input, Case::Pascal, false).unwrap();
        assert_eq!(
            Value::Object(body),
            json!({"BusinessUnitSlug": "x", "Channel": "Mail", "Charges": [{"Amount": -5, "Odd": 1}]})
        );
    }

    #[test]
    fn extra_cannot_replace_modelled_fields() {
        let input = json!({"businessUnitSlug": "x", "clientUser": {"emailAddress": "a@b.co"}, "extra": {"BusinessUnitSlug": "y"}});
        let e = prepare(Operation::CreateWalletSession, &input, Case::Camel, true).unwrap_err();
        assert_eq!(paths(&e), vec![("Extra.BusinessUnitSlug", "conflict")]);
    }

    /// Every key path of a JSON value (`Charges[].ClientAccount.Address.City`).
    fn value_paths(v: &Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = join(at, k);
                    out.insert(p.clone());
                    value_paths(x, &p, out);
                }
            }
            Value::Array(a) => a
                .iter()
                .for_each(|x| value_paths(x, &format!("{at}[]"), out)),
            _ => {}
        }
    }

    fn schema_paths(fields: &[Field], at: &str, out: &mut std::collections::BTreeSet<String>) {
        for f in fields.iter().filter(|f| f.wire != "Extra") {
            let p = join(at, f.wire);
            out.insert(p.clone());
            match &f.ty {
                Ty::Obj(inner) => schema_paths(inner, &p, out),
                Ty::List(Ty::Obj(inner)) => schema_paths(inner, &format!("{p}[]"), out),
                _ => {}
            }
        }
    }

    /// The typed structs and the schema tables describe the same fields: a field added to one
    /// and not the other fails here (bindings would otherwise reject it as unknown).
    #[test]
    fn schema_tables_match_the_typed_models() {
        use crate::models::*;
        let full_account = ClientAccount {
            account_number: "A".into(),
            sub_account_number: Some("1".into()),
            name: Some("n".into()),
            balance: Some(1),
            phone_number: Some("p".into()),
            due_date: Some(time::OffsetDateTime::UNIX_EPOCH),
            issue_date: Some(time::OffsetDateTime::UNIX_EPOCH),
            note: Some("n".into()),
            meta_json: Some("{}".into()),
            address: Some(Address {
                street_address: Some("s".into()),
                street_address2: Some("s".into()),
                city: Some("c".into()),
                state: Some("s".into()),
                zip_code: Some("z".into()),
            }),
        };
        let user = ClientUser {
            email_address: "a@b.co".into(),
            first_name: Some("f".into()),
            last_name: Some("l".into()),
        };
        let mut payment = PaymentSessionRequest::new(
            "s",
            Channel::Pos,
            vec![Charge {
                amount: 1,
                description: Some("d".into()),
                client_account: Some(full_account.clone()),
                charge_type: Some("t".into()),
            }],
        );
        payment.client_user = Some(user.clone());
        payment.pos_user = Some("p@b.co".into());
        payment.client_reference = Some("r".into());
        payment.payment_descriptor = Some("d".into());
        payment.payment_fields = Some(std::collections::BTreeMap::new());
        payment.success_url = Some("https://x.io".into());
        payment.return_url = Some("https://x.io".into());
        payment.payment_source_identifier = Some("p".into());
        let mut autopay = AutopaySessionRequest::new("s", full_account, user.clone());
        autopay.sync_account = Some(true);
        let wallet = WalletSessionRequest::new("s", user);
        let cases = [
            (
                Operation::CreatePaymentSession,
                Value::Object(payment.to_body()),
            ),
            (
                Operation::CreateAutopaySession,
                Value::Object(autopay.to_body()),
            ),
            (
                Operation::CreateWalletSession,
                Value::Object(wallet.to_body()),
            ),
        ];
        for (op, body) in cases {
            let (mut from_model, mut from_schema) = Default::default();
            value_paths(&body, "", &mut from_model);
            schema_paths(schema(op), "", &mut from_schema);
            assert_eq!(from_model, from_schema, "{}", op.name());
        }
    }

    /// Arbitrary JSON, with keys biased towards real field names so it reaches deep.
    fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let key = prop_oneof![
            Just("BusinessUnitSlug".to_owned()),
            Just("Channel".to_owned()),
            Just("Charges".to_owned()),
            Just("Amount".to_owned()),
            Just("ClientAccount".to_owned()),
            Just("ClientUser".to_owned()),
            Just("EmailAddress".to_owned()),
            Just("PosUser".to_owned()),
            Just("PaymentFields".to_owned()),
            Just("Extra".to_owned()),
            Just("DueDate".to_owned()),
            Just("Address".to_owned()),
            Just("amount".to_owned()),
            Just("client_user".to_owned()),
            Just("business_unit_slug".to_owned()),
            "[a-zA-Z_]{0,12}",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,20}".prop_map(Value::String),
            Just(Value::String("POS".into())),
            Just(Value::String("a@b.co".into())),
        ];
        leaf.prop_recursive(4, 64, 8, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                proptest::collection::btree_map(key.clone(), inner, 0..8)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        /// Any JSON at all gives a body or a typed error: never a panic.
        #[test]
        fn any_json_gives_a_body_or_a_typed_error(v in arbitrary_json(), op in 0usize..5, validate in proptest::prelude::any::<bool>()) {
            let op = Operation::ALL[op];
            for case in [Case::Pascal, Case::Snake, Case::Camel] {
                if let Err(e) = prepare(op, &v, case, validate) {
                    proptest::prop_assert_eq!(e.code(), crate::ErrorCode::Validation);
                    proptest::prop_assert!(!e.field_errors().is_empty());
                }
            }
        }
    }

    #[test]
    fn huge_and_non_object_inputs() {
        let input = json!({"BusinessUnitSlug": "x", "Channel": "QuickPay", "Charges": [{"Amount": 18446744073709551615u64}]});
        let e = prepare(Operation::CreatePaymentSession, &input, Case::Pascal, true).unwrap_err();
        assert_eq!(paths(&e), vec![("Charges[0].Amount", "max_value")]);
        let e = prepare(
            Operation::CreateWalletSession,
            &json!([1]),
            Case::Pascal,
            true,
        )
        .unwrap_err();
        assert_eq!(paths(&e)[0].1, "type");
    }
}
