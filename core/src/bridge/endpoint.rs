//! The webhook endpoint across the boundary: each step of core's state machine
//! ([`crate::webhook::Endpoint`]) as a JSON-ready value in a binding's dialect, so an adapter
//! (Django, Express, a JVM server) only runs the store and the handler and sends what core says.

use serde_json::{Value, json};

use super::Dialect;
use super::options::{Reader, known};
use super::records::{
    AnswerRecord, AnswersRecord, ErrorRecord, ReceptionRecord, SettlementRecord, StoreFactsRecord,
    WebhookEventRecord, to_value,
};
use super::webhook::{webhook_headers, webhook_verifier};
use crate::error::{Error, Result};
use crate::webhook::{
    Answer, Claim, DONE, Endpoint, Handled, MAX_WEBHOOK_BYTES, MemoryStore, PENDING, Reception,
    STORE_KEY_PREFIX, StoreAction, after_claim, settlement,
};

/// The endpoint options beyond the verifier's (`Lease`, `DoneTtl` in the dialect's unit).
pub const ENDPOINT_OPTIONS: &[&str] = &["Lease", "DoneTtl"];

/// An endpoint from options: the verifier's ([`super::VERIFIER_OPTIONS`]) plus `lease` and
/// `done_ttl`; unknown names and bad values are `configuration_error`s naming the option.
pub fn webhook_endpoint(options: &Value, d: Dialect) -> Result<Endpoint> {
    let r = Reader { d };
    let mut all: Vec<&'static str> = super::VERIFIER_OPTIONS.to_vec();
    all.extend_from_slice(ENDPOINT_OPTIONS);
    let given = known(options, &all, d)?;
    let verifier_only: Value = Value::Object(
        options
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !ENDPOINT_OPTIONS.iter().any(|w| d.key(w) == **k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    );
    let mut endpoint = Endpoint::new(webhook_verifier(&verifier_only, d)?);
    for (wire, v) in given {
        endpoint = match wire {
            "Lease" => endpoint.with_lease(r.span(wire, v)?),
            "DoneTtl" => endpoint.with_done_ttl(r.span(wire, v)?),
            _ => Ok(endpoint),
        }?;
    }
    Ok(endpoint)
}

/// An answer as a binding sends it: `{status, body}` (`body` is JSON text, `""` for none; its
/// content type is `application/json`).
pub fn answer_value(a: &Answer) -> Value {
    to_value(&AnswerRecord::of(a, "answered", None), Dialect::NODE)
}

/// Step one: verify `body` against `headers` (a host's shape) at `now` (Unix seconds; the clock
/// when `None`). Gives `{"refused": {"answer", "error"}}` (touch no store; log the error value)
/// or `{"delivery": {"event", "store_key", "lease", "done_ttl"}}` (keys in the dialect's style,
/// durations in its unit): claim `store_key` for `lease` next.
pub fn webhook_receive(
    endpoint: &Endpoint,
    body: &[u8],
    headers: &Value,
    now: Option<i64>,
    d: Dialect,
) -> Result<Value> {
    Ok(to_value(
        &webhook_receive_record(endpoint, body, headers, now, d)?,
        d,
    ))
}

/// [`webhook_receive`]'s record (the error's message in `d`'s case).
pub fn webhook_receive_record(
    endpoint: &Endpoint,
    body: &[u8],
    headers: &Value,
    now: Option<i64>,
    d: Dialect,
) -> Result<ReceptionRecord> {
    let headers = webhook_headers(headers)?;
    let reception = match now {
        Some(now) => endpoint.receive_at(body, &headers, now),
        None => endpoint.receive(body, &headers),
    };
    Ok(match reception {
        Reception::Refused { error, answer } => ReceptionRecord::Refused {
            answer: AnswerRecord::of(
                &answer,
                "refused",
                error.webhook_reason().map(|r| r.as_str()),
            ),
            error: ErrorRecord::of(&error, d),
        },
        Reception::Verified(delivery) => ReceptionRecord::Delivery {
            event: WebhookEventRecord::of(&delivery.event),
            store_key: delivery.store_key().to_owned(),
            lease: delivery.lease(),
            done_ttl: delivery.done_ttl(),
            attributes: super::telemetry::webhook_event_attributes(
                delivery.event.action.as_deref(),
            ),
        },
    })
}

/// The store's answer to a claim, read from what the adapter's store returned
/// (`claimed`, `in_progress` or `done`).
pub fn claim_named(name: &str) -> Result<Claim> {
    Claim::from_name(name).ok_or_else(|| {
        let all: Vec<&str> = Claim::ALL.iter().map(|c| c.as_str()).collect();
        Error::configuration(format!(
            "store: claim() must answer one of {} (got {:?})",
            all.join(", "),
            crate::error::printable(name, 40)
        ))
    })
}

/// Step two: after the claim, the answer (`{status, body}`: a duplicate or in progress, and the
/// handler does not run), or `null`: run the handler.
pub fn webhook_after_claim(claim: &str) -> Result<Value> {
    Ok(webhook_after_claim_record(claim)?.map_or(Value::Null, |a| to_value(&a, Dialect::NODE)))
}

/// [`webhook_after_claim`]'s record.
pub fn webhook_after_claim_record(claim: &str) -> Result<Option<AnswerRecord>> {
    let claim = claim_named(claim)?;
    let outcome = match claim {
        Claim::Done => "duplicate",
        Claim::InProgress | Claim::Claimed => "in_progress",
    };
    Ok(after_claim(claim).map(|a| AnswerRecord::of(&a, outcome, None)))
}

/// Step three: what the handler did (`raised`, or the `status` of its own response, `None` when
/// it made none) to `{"store": "complete" | "release", "ttl", "answer"}`: complete the key for
/// `ttl` (the dialect's unit) or release it, then send `answer` when it is not `null` (else the
/// handler's own response, or let its exception propagate).
pub fn webhook_settle(endpoint: &Endpoint, raised: bool, status: Option<u16>, d: Dialect) -> Value {
    to_value(&webhook_settle_record(endpoint, raised, status), d)
}

/// [`webhook_settle`]'s record.
pub fn webhook_settle_record(
    endpoint: &Endpoint,
    raised: bool,
    status: Option<u16>,
) -> SettlementRecord {
    let handled = if raised {
        Handled::Raised
    } else {
        Handled::Returned { status }
    };
    let outcome = if crate::webhook::succeeded(handled) {
        "handled"
    } else {
        "handler_failed"
    };
    let settlement = settlement(endpoint.done_ttl(), handled);
    let (store, ttl) = match settlement.store {
        StoreAction::Complete(ttl) => ("complete", Some(ttl)),
        StoreAction::Release => ("release", None),
    };
    SettlementRecord {
        store: store.to_owned(),
        ttl,
        answer: settlement
            .answer
            .as_ref()
            .map(|a| AnswerRecord::of(a, outcome, None)),
        attributes: super::telemetry::webhook_attributes(outcome, None),
    }
}

/// The answers an adapter sends on its own: `misconfigured` (500: no settings or no secret;
/// log why) and `store_unavailable` (503: the store failed to claim), as `{status, body}`.
pub fn webhook_answers(d: Dialect) -> Value {
    to_value(&answers_record(), d)
}

/// The adapter's own answers as a record.
pub fn answers_record() -> AnswersRecord {
    AnswersRecord {
        misconfigured: AnswerRecord::of(&Answer::misconfigured(), "misconfigured", None),
        store_unavailable: AnswerRecord::of(
            &Answer::store_unavailable(),
            "store_unavailable",
            None,
        ),
    }
}

/// What an adapter needs to know of the store and the body: the values a shared store keeps
/// (`pending`, `done`), the key prefix, and how many bytes of a body to read at most (the limit
/// plus one, so a larger body is refused as `too_large` without reading it all).
pub fn webhook_store_facts(d: Dialect) -> Value {
    to_value(&store_facts_record(), d)
}

/// The store facts as a record.
pub fn store_facts_record() -> StoreFactsRecord {
    StoreFactsRecord {
        pending: PENDING.to_owned(),
        done: DONE.to_owned(),
        key_prefix: STORE_KEY_PREFIX.to_owned(),
        read_limit: i32::try_from(MAX_WEBHOOK_BYTES + 1).unwrap_or(i32::MAX),
    }
}

/// A shared store's claim when its atomic add failed, from the value it holds for the key:
/// `done`, else `in_progress`.
pub fn claim_of_existing(stored: Option<&str>) -> &'static str {
    Claim::of_existing(stored).as_str()
}

/// Core's [`MemoryStore`] for a binding, durations in the dialect's unit.
#[derive(Debug, Default)]
pub struct MemoryStoreHandle(MemoryStore);

impl MemoryStoreHandle {
    /// An empty store.
    pub fn new() -> MemoryStoreHandle {
        MemoryStoreHandle(MemoryStore::new())
    }

    /// `amount` of the dialect's unit, as the argument `wire` (named in errors).
    fn span(wire: &str, amount: f64, d: Dialect) -> Result<std::time::Duration> {
        Reader { d }.span(wire, &json!(amount))
    }

    /// `claim(key, lease)`: `claimed`, `in_progress` or `done`.
    pub fn claim(&self, key: &str, lease: f64, d: Dialect) -> Result<&'static str> {
        Ok(self
            .0
            .claim_now(key, Self::span("Lease", lease, d)?)
            .as_str())
    }

    /// `complete(key, ttl)`.
    pub fn complete(&self, key: &str, ttl: f64, d: Dialect) -> Result<()> {
        self.0.complete_now(key, Self::span("Ttl", ttl, d)?);
        Ok(())
    }

    /// `release(key)`.
    pub fn release(&self, key: &str) {
        self.0.release_now(key);
    }

    /// `pending`, `done` or `None`.
    pub fn state(&self, key: &str) -> Option<&'static str> {
        self.0.state(key)
    }

    /// Moves the store's clock forward by `by` (the dialect's unit): for tests of expiry.
    pub fn advance(&self, by: f64, d: Dialect) -> Result<()> {
        self.0.advance(Self::span("By", by, d)?);
        Ok(())
    }
}
