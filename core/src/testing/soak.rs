//! The fault soak every language runs (RELIABILITY.md): many wallet-session calls, one distinct
//! customer email each, through a gateway failing at a seeded random rate; then one audit, here,
//! of what each call reported against what the gateway saw.
//!
//! An outcome is `{"email": ..., "session": {"attempts", "ambiguous"}}` or `{"email": ...,
//! "error": {"code", "attempts", "ambiguous"}}`, built by the runner from its native objects.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::mock::{Fault, RecordedRequest, SOAK_TIMEOUT_MS};

/// What a faulted attempt means: the code it fails with, and whether the gateway may have
/// acted on it without the client seeing that (which makes the call ambiguous).
fn meaning(fault: &Fault) -> Option<(&'static str, bool)> {
    Some(match fault {
        Fault::Status { status: 429, .. } => ("rate_limited", false),
        Fault::Status {
            status: 500 | 502 | 503 | 504,
            ..
        } => ("server_error", true),
        Fault::NonJson { status } if *status >= 500 => ("server_error", true),
        Fault::Reset | Fault::Truncate => ("connection_error", true),
        Fault::Delay { ms } if *ms >= SOAK_TIMEOUT_MS => ("timeout", true),
        _ => return None,
    })
}

fn kind(fault: &Option<Fault>) -> String {
    match fault {
        None => "none".into(),
        Some(Fault::Status {
            status,
            retry_after,
            ..
        }) => {
            format!(
                "{status}{}",
                if retry_after.is_some() {
                    "+retry-after"
                } else {
                    ""
                }
            )
        }
        Some(f) => serde_json::to_value(f)
            .ok()
            .and_then(|v| v["kind"].as_str().map(str::to_owned))
            .unwrap_or_default(),
    }
}

/// An outcome's email and its result: the session's or the error's fields, and whether it is a
/// session (`None`: neither).
fn outcome(o: &Value) -> (&str, Option<(&Value, bool)>) {
    let email = o["email"].as_str().unwrap_or_default();
    let result = match (o.get("session"), o.get("error")) {
        (Some(s), _) => Some((s, true)),
        (_, Some(e)) => Some((e, false)),
        _ => None,
    };
    (email, result)
}

/// Audits `outcomes` against the gateway's log `requests`: every attempt reached the gateway
/// exactly once; no call made more than `max_retries + 1`; a success was served by its last
/// attempt; an error has the code its last attempt's fault stands for; `ambiguous` is set
/// exactly when an attempt the gateway may have acted on failed. Returns `{problems, calls, ok,
/// errors, attempts, faults, requests}` (problems empty when it passes).
pub fn audit_soak(outcomes: &[Value], requests: &[RecordedRequest], max_retries: u32) -> Value {
    let mut by_email: BTreeMap<String, Vec<&RecordedRequest>> = BTreeMap::new();
    for r in requests {
        if let Some(email) = r.body["ClientUser"]["EmailAddress"].as_str() {
            by_email.entry(email.to_owned()).or_default().push(r);
        }
    }
    let mut problems = Vec::new();
    let (mut ok, mut errors, mut attempts_hist, mut faults) = (
        0u64,
        BTreeMap::<String, u64>::new(),
        BTreeMap::<u64, u64>::new(),
        BTreeMap::<String, u64>::new(),
    );
    for r in requests {
        *faults.entry(kind(&r.fault)).or_default() += 1;
    }
    for o in outcomes {
        let (email, result) = outcome(o);
        let Some((result, is_ok)) = result else {
            problems.push(format!("{email}: neither a session nor an error"));
            continue;
        };
        let seen = by_email.get(email).map(Vec::as_slice).unwrap_or_default();
        let attempts = result["attempts"].as_u64().unwrap_or(0);
        *attempts_hist.entry(attempts).or_default() += 1;
        let mut fail = |what: String| problems.push(format!("{email}: {what}"));
        if attempts != seen.len() as u64 {
            fail(format!(
                "{attempts} attempts reported, {} reached the gateway",
                seen.len()
            ));
        }
        if attempts == 0 || attempts > u64::from(max_retries) + 1 {
            fail(format!(
                "{attempts} attempts with max_retries {max_retries}"
            ));
        }
        let failed = if is_ok {
            &seen[..seen.len().saturating_sub(1)]
        } else {
            seen
        };
        let expect_ambiguous = failed.iter().any(|r| {
            r.fault
                .as_ref()
                .and_then(meaning)
                .is_some_and(|(_, acted)| acted)
        });
        if result["ambiguous"].as_bool() != Some(expect_ambiguous) {
            fail(format!(
                "ambiguous {} but the attempts say {expect_ambiguous}",
                result["ambiguous"]
            ));
        }
        if is_ok {
            ok += 1;
            if let Some(last) = seen.last().filter(|r| r.fault.is_some()) {
                fail(format!(
                    "a success whose last attempt was faulted ({:?})",
                    last.fault
                ));
            }
        } else {
            let code = result["code"].as_str().unwrap_or_default();
            *errors.entry(code.to_owned()).or_default() += 1;
            let expected = seen
                .last()
                .and_then(|r| r.fault.as_ref())
                .and_then(meaning)
                .map(|(c, _)| c);
            if expected != Some(code) {
                fail(format!(
                    "error {code}, but the last attempt's fault means {expected:?}"
                ));
            }
        }
    }
    json!({
        "problems": problems,
        "calls": outcomes.len(),
        "ok": ok,
        "errors": errors,
        "attempts": attempts_hist.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "faults": faults,
        "requests": requests.len(),
    })
}

/// Audits a soak through the mock's fault proxy ([`crate::mock::NetworkFaults`]): the gateway
/// records only requests that reached it whole, so an attempt cut mid-request is the client's
/// alone. Nothing lost (every outcome is a session or an error), nothing sent twice without
/// `ambiguous` (an attempt the gateway saw that did not give the result makes the call
/// ambiguous), attempts within bounds (at least what the gateway saw, at most `max_retries +
/// 1`), a success seen by the gateway, and an error only `connection_error` or `timeout`.
/// Returns `{problems, calls, ok, errors, attempts, requests}`.
pub fn audit_network_soak(
    outcomes: &[Value],
    requests: &[RecordedRequest],
    max_retries: u32,
) -> Value {
    let mut seen_by_email: BTreeMap<String, u64> = BTreeMap::new();
    for r in requests {
        if let Some(email) = r.body["ClientUser"]["EmailAddress"].as_str() {
            *seen_by_email.entry(email.to_owned()).or_default() += 1;
        }
    }
    let mut problems = Vec::new();
    let (mut ok, mut errors, mut attempts_hist) = (
        0u64,
        BTreeMap::<String, u64>::new(),
        BTreeMap::<u64, u64>::new(),
    );
    for o in outcomes {
        let (email, result) = outcome(o);
        let Some((result, is_ok)) = result else {
            problems.push(format!("{email}: neither a session nor an error"));
            continue;
        };
        let seen = seen_by_email.get(email).copied().unwrap_or(0);
        let attempts = result["attempts"].as_u64().unwrap_or(0);
        *attempts_hist.entry(attempts).or_default() += 1;
        let mut fail = |what: String| problems.push(format!("{email}: {what}"));
        if attempts == 0 || attempts > u64::from(max_retries) + 1 {
            fail(format!(
                "{attempts} attempts with max_retries {max_retries}"
            ));
        }
        if seen > attempts {
            fail(format!(
                "{attempts} attempts reported, {seen} reached the gateway"
            ));
        }
        // Attempts the gateway acted on that did not give the call its result.
        let acted_without_result = if is_ok { seen.saturating_sub(1) } else { seen };
        if acted_without_result > 0 && result["ambiguous"].as_bool() != Some(true) {
            fail(format!(
                "the gateway saw {seen} request(s) yet the call is not ambiguous"
            ));
        }
        if is_ok {
            ok += 1;
            if seen == 0 {
                fail("a session the gateway never saw requested".into());
            }
        } else {
            let code = result["code"].as_str().unwrap_or_default();
            *errors.entry(code.to_owned()).or_default() += 1;
            if !matches!(code, "connection_error" | "timeout") {
                fail(format!("error {code} from faults below HTTP"));
            }
        }
    }
    json!({
        "problems": problems,
        "calls": outcomes.len(),
        "ok": ok,
        "errors": errors,
        "attempts": attempts_hist.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "requests": requests.len(),
    })
}
