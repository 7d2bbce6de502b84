//! Tests of the JSON input path.

use super::schema::{Field, Ty, schema};
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

/// `extra` is merged into the body with validation off exactly as with it on: beside the
/// modelled fields (never a nested `Extra` object), never replacing one.
#[test]
fn extra_merges_the_same_way_with_validation_off() {
    let input = json!({
        "business_unit_slug": "acme", "client_user": {"email_address": "a@b.co"},
        "extra": {"Locale": "fr-CA", "BusinessUnitSlug": "other"},
    });
    let on = prepare(
        Operation::CreateWalletSession,
        &json!({
            "business_unit_slug": "acme", "client_user": {"email_address": "a@b.co"},
            "extra": {"Locale": "fr-CA"},
        }),
        Case::Snake,
        true,
    )
    .unwrap();
    let off = prepare(Operation::CreateWalletSession, &input, Case::Snake, false).unwrap();
    assert_eq!(off.get("Locale"), Some(&json!("fr-CA")));
    assert_eq!(
        off.get("BusinessUnitSlug"),
        Some(&json!("acme")),
        "extra never replaces"
    );
    assert!(!off.contains_key("Extra"), "{off:?}");
    assert_eq!(on.get("Locale"), off.get("Locale"));
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
            Ty::Obj(inner) => schema_paths(inner.fields, &p, out),
            Ty::List(Ty::Obj(inner)) => schema_paths(inner.fields, &format!("{p}[]"), out),
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
    // Events API requests: the typed fields (their wire body is the Events API envelope).
    let mut update = UpdateCustomerRequest::new("s", "a", "f", "l", "a@b.co");
    update.sub_account_number = Some("1".into());
    update.original_email_address = Some("o@b.co".into());
    let event = EventRequest::new("s", UNENROLL_AUTOPAY, serde_json::Map::new());
    let events = [
        (
            Operation::UpdateCustomer,
            serde_json::to_value(&update).unwrap(),
        ),
        (Operation::SendEvent, serde_json::to_value(&event).unwrap()),
    ];
    for (op, body) in cases.into_iter().chain(events) {
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
