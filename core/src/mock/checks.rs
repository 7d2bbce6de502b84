//! The mock gateway's own validation of a request, written apart from the client's (so either
//! can be tested against the other): the documented required fields and shapes, reported the
//! way the gateway reports them (`{propertyName, errorMessage}`).

use serde_json::{Map, Value};

use crate::models::Operation;

/// Records `'{field}' must not be empty.` at `{at}{field}` unless `obj[field]` is non-blank text.
pub(crate) fn need(
    errs: &mut Vec<(String, String)>,
    obj: &Map<String, Value>,
    at: &str,
    field: &str,
) {
    let ok = obj
        .get(field)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty());
    if !ok {
        errs.push((
            format!("{at}{field}"),
            format!("'{field}' must not be empty."),
        ));
    }
}

/// The gateway's own validation, written apart from the client's.
pub(crate) fn check(op: Operation, req: &Map<String, Value>) -> Vec<(String, String)> {
    let mut errs = Vec::new();
    need(&mut errs, req, "", "BusinessUnitSlug");
    let user = req.get("ClientUser").and_then(Value::as_object);
    let email_ok = |u: &Map<String, Value>| {
        u.get("EmailAddress")
            .and_then(Value::as_str)
            .is_some_and(|e| {
                e.split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
            })
    };
    match op {
        Operation::CreatePaymentSession => {
            let channel = req
                .get("Channel")
                .and_then(Value::as_str)
                .unwrap_or("QuickPay");
            match channel {
                "QuickPay" if req.contains_key("PosUser") => {
                    errs.push((
                        "PosUser".into(),
                        "'PosUser' must be empty when 'Channel' is QuickPay.".into(),
                    ));
                }
                "POS" => {
                    let agent = req.get("PosUser").and_then(Value::as_str).unwrap_or("");
                    if !agent.contains('@') {
                        errs.push((
                            "PosUser".into(),
                            "'PosUser' must be the agent's Paystar email when 'Channel' is POS."
                                .into(),
                        ));
                    }
                    if user.is_some() {
                        errs.push((
                            "ClientUser".into(),
                            "'ClientUser' must be empty when 'Channel' is POS.".into(),
                        ));
                    }
                }
                "QuickPay" => {}
                _ => errs.push((
                    "Channel".into(),
                    format!("'Channel' has a range of values which does not include '{channel}'."),
                )),
            }
            match req.get("Charges").and_then(Value::as_array) {
                Some(charges) if !charges.is_empty() && charges.len() <= 25 => {
                    for (i, c) in charges.iter().enumerate() {
                        let amount = c.get("Amount");
                        if amount.and_then(Value::as_i64).is_none_or(|a| a <= 0)
                            || amount.is_some_and(Value::is_f64)
                        {
                            errs.push((
                                format!("Charges[{i}].Amount"),
                                "'Amount' must be a whole number greater than '0'.".into(),
                            ));
                        }
                        if let Some(Value::Object(acct)) = c.get("ClientAccount") {
                            need(
                                &mut errs,
                                acct,
                                &format!("Charges[{i}].ClientAccount."),
                                "AccountNumber",
                            );
                        }
                    }
                }
                _ => errs.push((
                    "Charges".into(),
                    "'Charges' must contain between 1 and 25 items.".into(),
                )),
            }
            if let Some(u) = user {
                if !email_ok(u) {
                    errs.push((
                        "ClientUser.EmailAddress".into(),
                        "'Email Address' is not a valid email address.".into(),
                    ));
                }
            }
        }
        _ => {
            match user {
                Some(u) if email_ok(u) => {}
                _ => errs.push((
                    "ClientUser.EmailAddress".into(),
                    "'Email Address' is not a valid email address.".into(),
                )),
            }
            if matches!(
                op,
                Operation::CreateAutopaySession | Operation::CreatePaperlessSession
            ) {
                match req.get("ClientAccount").and_then(Value::as_object) {
                    Some(acct) => need(&mut errs, acct, "ClientAccount.", "AccountNumber"),
                    None => errs.push((
                        "ClientAccount".into(),
                        "'Client Account' must not be empty.".into(),
                    )),
                }
            }
        }
    }
    errs
}
