//! Webhook bodies shaped like Paystar's documented templates (paystar-api.md §6.2–6.3): what
//! the mock gateway delivers when a session completes, and what `paystar webhooks trigger`
//! sends to a local endpoint. Every payload value is a string, as the templates quote each
//! placeholder.
//!
//! Only the events Paystar documents have a template here: `Payment.Succeeded`,
//! `AutoPay.Enrolled` and `AutoPay.Unenrolled`. AutoPay's documented example is flat; these
//! wrap it in the same `{action, payload}` envelope as the payment one and add
//! `accountNumber` (a decision: an event must say what it is about; docs/decisions.md,
//! "Mock webhooks").

use serde_json::{Value, json};

use super::cents_to_dollars;
use crate::error::{Error, Result};

/// The events a template exists for, in documentation order.
pub const TEMPLATE_EVENTS: [&str; 3] = [
    "Payment.Succeeded",
    "AutoPay.Enrolled",
    "AutoPay.Unenrolled",
];

/// The account a templated event is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateAccount {
    /// `accountNumber`.
    pub number: String,
    /// `subAccountNumber` (AutoPay events).
    pub sub_number: String,
    /// `accountName`.
    pub name: String,
}

/// A `Payment.Succeeded` body: `{action, payload}` with the documented payment fields.
pub fn payment_succeeded(
    session_identifier: &str,
    reference_number: &str,
    amount_cents: i64,
    account: &TemplateAccount,
) -> Value {
    let amount = cents_to_dollars(amount_cents);
    json!({"action": "Payment.Succeeded", "payload": {
        "sessionIdentifier": session_identifier,
        "status": "Succeeded",
        "referenceNumber": reference_number,
        "amount": amount,
        "accountNumber": account.number,
        "accountName": account.name,
        "paymentIdentifier": "",
        "amountFormatted": format!("${amount}"),
        "serviceFee": "0",
    }})
}

/// An `AutoPay.Enrolled` (`activity` `"Enroll"`) or `AutoPay.Unenrolled` (`"Cancel"`) body.
pub fn autopay(action: &str, activity: &str, account: &TemplateAccount) -> Value {
    json!({"action": action, "payload": {
        "accountName": account.name,
        "accountNumber": account.number,
        "subAccountNumber": account.sub_number,
        "activityType": activity,
        "paymentSource": "Visa ending in 4242",
        "processingLeadTime": "3",
    }})
}

/// A realistic example body for `event` (one of [`TEMPLATE_EVENTS`]), with the documented
/// example's values; a `configuration_error` naming the known events for any other name.
pub fn example(event: &str) -> Result<Value> {
    let account = TemplateAccount {
        number: "123-45".into(),
        sub_number: String::new(),
        name: "John Smith".into(),
    };
    match event {
        "Payment.Succeeded" => Ok(payment_succeeded(
            "a6fb5f42-4280-46af-b04e-2c58067bc111",
            "NYDVNT-WSQPG",
            30034,
            &account,
        )),
        "AutoPay.Enrolled" => Ok(autopay(event, "Enroll", &account)),
        "AutoPay.Unenrolled" => Ok(autopay(event, "Cancel", &account)),
        other => Err(Error::configuration(format!(
            "no template for the event {other:?}: Paystar documents {}",
            TEMPLATE_EVENTS.join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_names_its_event() -> Result<()> {
        for event in TEMPLATE_EVENTS {
            let body = example(event)?.to_string();
            let parsed = super::super::parse(body.as_bytes())?;
            assert_eq!(parsed.action.as_deref(), Some(event));
            assert!(parsed.payload.values().all(Value::is_string), "{body}");
        }
        let e = example("Payment.Refunded").err();
        assert!(e.is_some_and(|e| e.message().contains("Payment.Succeeded")));
        Ok(())
    }

    #[test]
    fn the_payment_example_is_the_documented_one() -> Result<()> {
        let event = super::super::parse(example("Payment.Succeeded")?.to_string().as_bytes())?;
        assert_eq!(event.amount_cents(), Some(30034));
        assert_eq!(event.text("amountFormatted").as_deref(), Some("$300.34"));
        Ok(())
    }
}
