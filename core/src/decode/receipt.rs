//! An Events API answer to an [`EventReceipt`] (its shape is undocumented:
//! docs/decisions.md#events-response).

use serde_json::Value;

use super::{decode_error, has_errors_error, status_error};
use crate::models::EventReceipt;
use crate::transport::{AttemptError, HttpAnswer};

/// Turns an Events API answer into a receipt, or into the error it stands for.
pub(crate) fn decode_receipt(
    event_type: &str,
    answer: &HttpAnswer,
) -> Result<EventReceipt, AttemptError> {
    if let Some(e) = status_error(answer) {
        return Err(e);
    }
    let body = answer.body.as_slice();
    let raw = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice::<Value>(body) {
            Err(_) => {
                return Err(decode_error(answer, "the body is not JSON"));
            }
            Ok(Value::Object(envelope))
                if envelope.get("hasErrors").is_some_and(Value::is_boolean) =>
            {
                if envelope["hasErrors"] == Value::Bool(true) {
                    return Err(has_errors_error(answer));
                }
                envelope.get("data").filter(|d| !d.is_null()).cloned()
            }
            Ok(other) => Some(other),
        }
    };
    Ok(EventReceipt {
        event_type: event_type.to_owned(),
        http_status: answer.status,
        raw,
        attempts: 0,
        request_id: answer.request_id(),
        ambiguous: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{MANAGE_CUSTOMER, UNENROLL_AUTOPAY};
    use proptest::prelude::*;

    fn answer(status: u16, body: &str) -> HttpAnswer {
        HttpAnswer::of(status, body)
    }

    proptest::proptest! {
        /// Any status and body give a receipt (2xx only) or a typed error carrying the status:
        /// never a panic.
        #[test]
        fn any_answer_is_a_receipt_or_an_error(
            status in 100u16..600,
            body in proptest::prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..100),
                "[{}\\[\\]\":,a-zA-Z0-9 ]{0,100}".prop_map(String::into_bytes),
            ],
        ) {
            let a = HttpAnswer::of(status, body);
            match decode_receipt(MANAGE_CUSTOMER, &a) {
                Ok(r) => proptest::prop_assert!((200..300).contains(&status) && r.http_status == status),
                Err(e) => proptest::prop_assert_eq!(e.error.status(), Some(status)),
            }
        }
    }

    #[test]
    fn answers_without_the_envelope_are_accepted() {
        let r = decode_receipt(UNENROLL_AUTOPAY, &answer(204, "")).unwrap();
        assert_eq!((r.http_status, r.raw), (204, None));
        let r = decode_receipt(MANAGE_CUSTOMER, &answer(200, "\"ok\"")).unwrap();
        assert_eq!(r.raw, Some(Value::from("ok")));
        let r = decode_receipt(
            MANAGE_CUSTOMER,
            &answer(200, r#"{"hasErrors":false,"errors":[],"data":null}"#),
        )
        .unwrap();
        assert_eq!(r.raw, None);
    }
}
