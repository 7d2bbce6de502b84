//! The mock plays the customer: completing a session (its page's button, or
//! [`MockGateway::complete`]) sends the matching webhook, shaped like the documented template
//! and signed with the configured scheme, to the configured URL, as many times as asked.
//! (docs/decisions.md#mock-webhooks)

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::gateway::{StoredSession, webhook_action};
use super::{MockGateway, Shared};
use crate::error::{Error, Result};
use crate::models::SessionKind;
use crate::webhook::templates::{self, TemplateAccount};
use crate::webhook::{SignOptions, sign};

/// How long one delivery may take before it counts as failed.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// Where and how the mock delivers webhooks ([`MockGateway::set_webhook`]).
#[derive(Debug, Clone)]
pub struct MockWebhook {
    /// The endpoint that receives them, e.g. `http://127.0.0.1:8000/paystar/webhook`.
    pub url: String,
    /// The scheme, secret and header names to sign with (what the verifier expects).
    pub sign: SignOptions,
    /// How many times each webhook is sent again after the first delivery (the same body,
    /// freshly signed): to exercise an endpoint's de-duplication. Default 0.
    pub redeliveries: u32,
}

impl MockWebhook {
    /// Deliveries to `url`, signed as `sign` says, none repeated.
    pub fn new(url: impl Into<String>, sign: SignOptions) -> MockWebhook {
        MockWebhook {
            url: url.into(),
            sign,
            redeliveries: 0,
        }
    }
}

/// One delivery of a webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    /// The endpoint's HTTP status (`None` when it could not be reached).
    pub status: Option<u16>,
    /// Why it could not be reached.
    pub error: Option<String>,
}

/// What completing a session did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// The session's id.
    pub session_id: String,
    /// The session kind (`payment`, `autopay`, ...).
    pub kind: String,
    /// The webhook's event type (`Payment.Succeeded`, `AutoPay.Enrolled`), `None` for a kind
    /// Paystar documents no webhook for.
    pub event: Option<String>,
    /// The webhook body sent (`None` when none was).
    pub body: Option<String>,
    /// The reference number given to the payment or enrolment.
    pub reference_number: String,
    /// Each delivery, in order (empty when no webhook URL is configured).
    pub deliveries: Vec<Delivery>,
    /// Where the session page sends the browser next (`SuccessUrl`, else `ReturnUrl`).
    pub next_url: Option<String>,
}

/// The webhook body for a completed session, shaped like the documented templates
/// ([`templates`](crate::webhook::templates)).
fn body(id: &str, s: &StoredSession, action: &str, reference: &str) -> String {
    let (number, sub_number, name) = s.account.clone().unwrap_or_default();
    let account = TemplateAccount {
        number,
        sub_number,
        name,
    };
    match s.kind {
        SessionKind::Payment => {
            templates::payment_succeeded(id, reference, s.total_cents, &account)
        }
        _ => templates::autopay(action, "Enroll", &account),
    }
    .to_string()
}

/// The session id in `session` (an id, or a session URL ending in it).
fn session_id(session: &str) -> &str {
    session
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(session)
}

/// The HTTP client webhooks are delivered with: no proxy (the endpoint is local), no redirects
/// followed, [`DELIVERY_TIMEOUT`] per delivery.
pub(crate) fn delivery_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(DELIVERY_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::configuration(format!("webhook delivery: {e}")))
}

/// The most of an endpoint's answer body [`post_signed`] keeps.
const ANSWER_BODY_BYTES: usize = 64 * 1024;

/// Posts `body` to `url` signed as `options` says: the delivery's outcome and the endpoint's
/// answer body (its first 64 KiB, lossily UTF-8), `None` when it could not be reached.
pub(crate) async fn post_signed(
    http: &reqwest::Client,
    url: &str,
    body: &str,
    options: &SignOptions,
) -> Result<(Delivery, Option<String>)> {
    let mut request = http
        .post(url)
        .header("Content-Type", "application/json")
        .header("User-Agent", "paystar-mock-webhooks");
    for (name, value) in sign(body.as_bytes(), options)? {
        request = request.header(name, value);
    }
    Ok(match request.body(body.to_owned()).send().await {
        Ok(r) => {
            let status = r.status().as_u16();
            let text = r.bytes().await.map_or_else(
                |e| format!("(the answer broke off: {e})"),
                |b| String::from_utf8_lossy(&b[..b.len().min(ANSWER_BODY_BYTES)]).into_owned(),
            );
            let delivery = Delivery {
                status: Some(status),
                error: None,
            };
            (delivery, Some(text))
        }
        Err(e) => {
            let delivery = Delivery {
                status: None,
                error: Some(e.to_string()),
            };
            (delivery, None)
        }
    })
}

/// Completes a session and delivers its webhook (on the runtime: no host-language call).
pub(crate) async fn complete(shared: Arc<Shared>, session: String) -> Result<Completion> {
    let id = session_id(&session).to_owned();
    let (stored, reference, now) = {
        let mut g = shared.gateway();
        let now = g.now();
        let reference = g.new_reference_number();
        let Some(s) = g.sessions.get_mut(&id) else {
            return Err(Error::configuration(format!(
                "complete: no session {id} on this mock gateway"
            )));
        };
        if let Some(done) = &s.completed {
            return Err(Error::configuration(format!(
                "complete: session {id} was already completed (reference {done})"
            )));
        }
        if now >= s.expires {
            return Err(Error::configuration(format!(
                "complete: session {id} has expired"
            )));
        }
        s.completed = Some(reference.clone());
        (s.clone(), reference, now)
    };
    let action = webhook_action(stored.kind);
    let target = shared.webhook().clone();
    let body = action.map(|a| body(&id, &stored, a, &reference));
    let mut deliveries = Vec::new();
    if let (Some(body), Some(target)) = (&body, target) {
        let http = delivery_client()?;
        for _ in 0..=target.redeliveries {
            let mut options = target.sign.clone();
            options.timestamp = Some(now.unix_timestamp());
            deliveries.push(post_signed(&http, &target.url, body, &options).await?.0);
        }
    }
    Ok(Completion {
        session_id: id,
        kind: stored.kind.as_str().to_owned(),
        event: action.map(str::to_owned),
        body,
        reference_number: reference,
        deliveries,
        next_url: stored.next_url,
    })
}

impl MockGateway {
    /// Where completed sessions' webhooks go (`None`: nowhere). May change at any time, e.g.
    /// once the receiving server knows its port.
    pub fn set_webhook(&self, webhook: Option<MockWebhook>) {
        *self.shared.webhook() = webhook;
    }

    /// Completes a session as the customer would on its page (pays it, or enrolls), and
    /// delivers the matching webhook (see [`MockWebhook`]). `session` is its id or URL.
    /// Completing an unknown, expired or already completed session is a `configuration_error`.
    pub fn complete(&self, session: &str) -> Result<Completion> {
        crate::runtime::block_on(complete(Arc::clone(&self.shared), session.to_owned()))?
    }

    /// [`complete`](Self::complete) for async callers. The future holds no borrow of the
    /// gateway (it may be spawned, or awaited after the gateway's lock is released).
    pub fn complete_async(
        &self,
        session: &str,
    ) -> impl std::future::Future<Output = Result<Completion>> + Send + use<> {
        complete(Arc::clone(&self.shared), session.to_owned())
    }
}
