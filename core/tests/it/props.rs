//! Property tests: valid generated requests always pass validation, and round-trip through
//! serde and through the JSON input path of every key style.

use paystar::models::input::{Case, prepare};
use paystar::{
    ApiRequest, Channel, Charge, ClientAccount, ClientUser, Operation, PaymentSessionRequest,
    Validate,
};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9][A-Za-z0-9 .,#'é-]{{0,{}}}", max - 1))
        .unwrap()
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9+]{0,12}(\\.[a-z0-9]{1,8})?",
        "[a-z][a-z0-9-]{0,10}[a-z0-9]",
        "(com|io|co\\.uk)",
    )
        .prop_map(|(l, d, t)| format!("{l}@{d}.{t}"))
}

fn account() -> impl Strategy<Value = ClientAccount> {
    (
        text(100),
        proptest::option::of(text(100)),
        proptest::option::of(text(200)),
        proptest::option::of(-1_000_000_000i64..1_000_000_000),
    )
        .prop_map(|(n, sub, name, balance)| ClientAccount {
            sub_account_number: sub,
            name,
            balance,
            ..ClientAccount::new(n)
        })
}

fn charge() -> impl Strategy<Value = Charge> {
    (
        1i64..=9_007_199_254_740_991,
        proptest::option::of(text(500)),
        proptest::option::of(account()),
    )
        .prop_map(|(amount, description, client_account)| Charge {
            amount,
            description,
            client_account,
            charge_type: None,
        })
}

fn payment() -> impl Strategy<Value = PaymentSessionRequest> {
    (
        text(100),
        proptest::collection::vec(charge(), 1..=25),
        any::<bool>(),
        email(),
        proptest::option::of(text(100)),
    )
        .prop_map(|(slug, charges, pos, mail, reference)| {
            let mut r = PaymentSessionRequest::new(
                slug,
                if pos { Channel::Pos } else { Channel::QuickPay },
                charges,
            );
            if pos {
                r.pos_user = Some(mail);
            } else {
                r.client_user = Some(ClientUser::new(mail));
            }
            r.client_reference = reference;
            r
        })
}

/// Re-keys a wire body into another style (not inside PaymentFields/Extra).
fn rekey(v: &Value, case: Case) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (case.convert(k), rekey(v, case)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| rekey(x, case)).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_requests_pass_and_round_trip(req in payment()) {
        prop_assert!(req.validate().is_ok(), "{:?}", req.validate());
        let body = Value::Object(req.to_body());
        let back: PaymentSessionRequest = serde_json::from_value(body.clone()).unwrap();
        prop_assert_eq!(&back, &req);
        for case in [Case::Pascal, Case::Snake, Case::Camel] {
            let again = prepare(Operation::CreatePaymentSession, &rekey(&body, case), case, true).unwrap();
            prop_assert_eq!(Value::Object(again), body.clone());
        }
    }

    #[test]
    fn any_json_input_gives_a_body_or_a_validation_error(v in proptest::arbitrary::any::<(bool, i64, String)>()) {
        let (flag, n, s) = v;
        let input = serde_json::json!({"BusinessUnitSlug": s, "Channel": if flag { "POS" } else { "QuickPay" }, "Charges": [{"Amount": n}], "PosUser": s});
        match prepare(Operation::CreatePaymentSession, &input, Case::Pascal, true) {
            Ok(_) => prop_assert!(n > 0),
            Err(e) => prop_assert_eq!(e.code(), paystar::ErrorCode::Validation),
        }
    }
}
