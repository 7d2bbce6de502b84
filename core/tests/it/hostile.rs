//! Hostile input (RELIABILITY.md), the rows Rust can express as JSON: each a `validation_error`
//! naming the field, nothing sent.

use paystar::mock::MockGateway;
use paystar::{Case, Client, ErrorCode, Operation, RequestOptions};
use serde_json::{Value, json};

fn deep(n: usize) -> Value {
    (0..n).fold(json!(1), |inner, _| json!([inner]))
}

#[tokio::test]
async fn hostile_input_is_a_typed_error_naming_the_field() {
    let mb = "x".repeat(1_000_000);
    let charges: Vec<Value> = (0..10_000).map(|_| json!({"Amount": 1})).collect();
    let rows: Vec<(&str, Value, &str, &str)> = vec![
        (
            "amount as text",
            json!({"Charges": [{"Amount": "150"}]}),
            "Charges[0].Amount",
            "integer",
        ),
        (
            "amount fractional",
            json!({"Charges": [{"Amount": 150.5}]}),
            "Charges[0].Amount",
            "integer",
        ),
        (
            "amount boolean",
            json!({"Charges": [{"Amount": true}]}),
            "Charges[0].Amount",
            "integer",
        ),
        (
            "amount 2^53",
            json!({"Charges": [{"Amount": 9_007_199_254_740_992_i64}]}),
            "Charges[0].Amount",
            "max_value",
        ),
        (
            "amount u64::MAX",
            json!({"Charges": [{"Amount": u64::MAX}]}),
            "Charges[0].Amount",
            "max_value",
        ),
        (
            "null where required",
            json!({"BusinessUnitSlug": null}),
            "BusinessUnitSlug",
            "required",
        ),
        ("unknown key", json!({"amout": 1}), "amout", "unknown_field"),
        (
            "1 MB description",
            json!({"Charges": [{"Amount": 1, "Description": mb}]}),
            "Charges[0].Description",
            "max_length",
        ),
        (
            "1 MB extra value",
            json!({"Extra": {"Blob": mb}}),
            "Extra.Blob",
            "max_length",
        ),
        (
            "control character",
            json!({"ClientReference": "INV\u{0}-1"}),
            "ClientReference",
            "control_characters",
        ),
        (
            "bidi override",
            json!({"ClientReference": "INV\u{202e}1-VNI"}),
            "ClientReference",
            "control_characters",
        ),
        (
            "10,000 charges",
            json!({"Charges": charges}),
            "Charges",
            "max_items",
        ),
        (
            "deep extra",
            json!({"Extra": {"Deep": deep(100)}}),
            "Extra.Deep",
            "max_depth",
        ),
        (
            "javascript: URL",
            json!({"SuccessUrl": "javascript:alert(1)"}),
            "SuccessUrl",
            "url",
        ),
        (
            "relative URL",
            json!({"ReturnUrl": "/pay"}),
            "ReturnUrl",
            "url",
        ),
        (
            "wrong type for an object",
            json!({"ClientUser": "jane"}),
            "ClientUser",
            "type",
        ),
    ];
    let mock = MockGateway::start().unwrap();
    let client = Client::builder().mock(&mock).build().unwrap();
    for (name, overrides, path, rule) in rows {
        let mut input = json!({"BusinessUnitSlug": "acme", "Channel": "QuickPay", "Charges": [{"Amount": 15000}]});
        for (k, v) in overrides.as_object().unwrap() {
            input[k] = v.clone();
        }
        let e = client
            .execute(
                Operation::CreatePaymentSession,
                &input,
                Case::Pascal,
                &RequestOptions::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::Validation, "{name}: {e}");
        assert!(
            e.field_errors()
                .iter()
                .any(|f| f.path == path && f.rule.as_str() == rule),
            "{name}: {:?}",
            e.field_errors()
        );
    }
    assert!(mock.requests().is_empty());
}
