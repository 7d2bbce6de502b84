//! `NativeClient`: one suspend (uniffi async) and one blocking entry point; options, results,
//! errors and log events are core's (`paystar::bridge`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use paystar::Collect;
use paystar::bridge::{self, Dialect};
use paystar::{Case, Operation, RequestOptions};
use serde_json::Value;

use crate::records::{parse_json, wire};
use crate::{
    AccountSessionRequest, CallOutcome, CustomerSessionRequest, EventRequest, NativeError,
    OptionValue, PaymentSessionRequest, UpdateCustomerRequest, guarded, options_value,
};

/// A request as the Kotlin layer passes it: a typed record, or JSON text with camelCase keys.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum Request {
    /// `create_payment_session`'s record.
    Payment {
        /// The request.
        request: PaymentSessionRequest,
    },
    /// `create_autopay_session` / `create_paperless_session`'s record.
    Account {
        /// The request.
        request: AccountSessionRequest,
    },
    /// `create_wallet_session` / `create_notification_session`'s record.
    Customer {
        /// The request.
        request: CustomerSessionRequest,
    },
    /// `update_customer`'s record.
    UpdateCustomer {
        /// The request.
        request: UpdateCustomerRequest,
    },
    /// `send_event`'s record (the payload as JSON text).
    Event {
        /// The request.
        request: EventRequest,
    },
    /// Any operation's request as JSON text (camelCase keys).
    Json {
        /// The JSON text.
        text: String,
    },
}

/// Everything a call needs, checked before anything is sent.
struct Prepared {
    op: Operation,
    body: Value,
    case: Case,
    options: RequestOptions,
    collect: Collect,
}

fn prepare(
    operation: &str,
    request: Request,
    options: HashMap<String, OptionValue>,
    collect: Collect,
) -> paystar::Result<Prepared> {
    let op = Operation::from_name(operation)
        .ok_or_else(|| paystar::Error::internal(format!("unknown operation {operation}")))?;
    let (body, case) = match request {
        Request::Payment { request } => (
            wire(&request, "Extra", request.extra_json.as_deref())?,
            Case::Pascal,
        ),
        Request::Account { request } => (
            wire(&request, "Extra", request.extra_json.as_deref())?,
            Case::Pascal,
        ),
        Request::Customer { request } => (
            wire(&request, "Extra", request.extra_json.as_deref())?,
            Case::Pascal,
        ),
        Request::UpdateCustomer { request } => (wire(&request, "Extra", None)?, Case::Pascal),
        Request::Event { request } => (
            wire(&request, "Payload", Some(&request.payload_json))?,
            Case::Pascal,
        ),
        Request::Json { text } => (parse_json(&text)?, Case::Camel),
    };
    let options = bridge::call_options(&options_value(options), Dialect::KOTLIN)?;
    Ok(Prepared {
        op,
        body,
        case,
        options,
        collect,
    })
}

/// The native client (wrapped by `PaystarClient` in Kotlin).
#[derive(uniffi::Object)]
pub struct NativeClient {
    inner: paystar::Client,
    id: u64,
}

/// Live clients by id, so the per-call entry point ([`execute`]) takes a number, not an object
/// handle: uniffi clones an object's handle through one more FFI call per use, and every FFI
/// call allocates JNA memory that 64 threads then contend for (see BENCHMARKS.md).
static CLIENTS: std::sync::RwLock<Option<HashMap<u64, paystar::Client>>> =
    std::sync::RwLock::new(None);
static NEXT_CLIENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Drop for NativeClient {
    fn drop(&mut self) {
        if let Some(m) = CLIENTS.write().unwrap_or_else(|p| p.into_inner()).as_mut() {
            m.remove(&self.id);
        }
    }
}

/// One call as the Kotlin layer passes it: one record, so one buffer crosses (one FFI
/// allocation instead of three).
#[derive(Debug, Clone, uniffi::Record)]
pub struct Call {
    /// The operation (`create_payment_session`, ...).
    pub operation: String,
    /// The request.
    pub request: Request,
    /// Per-call options (camelCase, milliseconds).
    pub options: HashMap<String, OptionValue>,
    /// 0 no events, 1 retries only, 2 every attempt.
    pub level: u8,
    /// Whether to collect the call's telemetry (core's report) for the Kotlin layer to record.
    pub telemetry: bool,
    /// 0, or an id [`cancel`] may stop the call by.
    pub call_id: u64,
}

#[uniffi::export]
impl NativeClient {
    /// Builds a client from options (camelCase names, durations in milliseconds); core reads
    /// and checks every one. `binding` names the runtime in the User-Agent.
    #[uniffi::constructor]
    pub fn new(
        options: HashMap<String, OptionValue>,
        binding: String,
    ) -> Result<Arc<Self>, NativeError> {
        let inner = guarded(|| bridge::client(&options_value(options), Dialect::KOTLIN, &binding))?;
        let id = NEXT_CLIENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        CLIENTS
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(HashMap::new)
            .insert(id, inner.clone());
        Ok(Arc::new(NativeClient { inner, id }))
    }

    /// This client's id for [`execute`].
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The public attributes as JSON text (never the key).
    pub fn describe(&self) -> String {
        bridge::client_value(self.inner.config(), Dialect::KOTLIN).to_string()
    }

    /// The loader script URL for this environment (`None` with a custom base URL).
    pub fn loader_url(&self) -> Option<String> {
        self.inner
            .config()
            .environment()
            .map(|e| e.loader_url().to_owned())
    }

    /// Whether this client's calls record telemetry (the `telemetry` option, core's default).
    pub fn telemetry(&self) -> bool {
        self.inner.config().telemetry()
    }

    /// The base URL Events API calls go to.
    pub fn events_base_url(&self) -> String {
        self.inner.config().events_base_url().to_string()
    }
}

/// Runs one call of the client `client` (its [`NativeClient::id`]) on core's shared runtime;
/// the calling thread waits (the Kotlin layer's blocking twins). Reached through JNI
/// (`crate::jni_entry`), not uniffi.
pub(crate) fn execute(client: u64, call: Call) -> CallOutcome {
    match begin(client, call) {
        Err(done) => done,
        Ok(call) => paystar::runtime::block_on(call).unwrap_or_else(|e| CallOutcome::failed(&e)),
    }
}

/// Checks one call of the client `client` and returns the future that runs it (on core's
/// shared runtime), or its outcome already: a closed client or a bad request, before anything
/// is sent. A `call_id` lets [`cancel`] stop it from now on (the coroutine was cancelled; the
/// outcome is then a `configuration_error` nobody reads).
pub(crate) fn begin(
    client: u64,
    call: Call,
) -> Result<impl Future<Output = CallOutcome> + Send + 'static, CallOutcome> {
    let Some(client) = client_by_id(client) else {
        return Err(CallOutcome::failed(&paystar::Error::client_closed()));
    };
    let Call {
        operation,
        request,
        options,
        level,
        telemetry,
        call_id,
    } = call;
    let collect = Collect {
        log: Collect::from_bits(u32::from(level)).log,
        telemetry,
    };
    let p = bridge::guard(|| prepare(&operation, request, options, collect))
        .map_err(|e| CallOutcome::failed(&e))?;
    let cancelled = (call_id != 0).then(|| {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        with_calls(|m| m.insert(call_id, tx));
        rx
    });
    Ok(async move {
        let (op, collect) = (p.op, p.collect);
        let call = client.execute_logged(p.op, &p.body, p.case, &p.options, p.collect);
        let done = match cancelled {
            None => Some(call.await),
            Some(rx) => tokio::select! {
                done = call => Some(done),
                _ = rx => None,
            },
        };
        if call_id != 0 {
            with_calls(|m| m.remove(&call_id));
        }
        match done {
            Some(done) => CallOutcome::of(client.config(), op, collect, done),
            None => CallOutcome::failed(&paystar::Error::configuration("the call was cancelled")),
        }
    })
}

/// The open client with this id (`None` once closed).
fn client_by_id(id: u64) -> Option<paystar::Client> {
    CLIENTS
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|m| m.get(&id).cloned())
}

/// What [`warm_up`] ends with: the answer's status, or the error.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct WarmUpOutcome {
    /// Any HTTP status: the connection is open and pooled.
    pub status: Option<u16>,
    /// Why no connection could be made (`connection_error`, `timeout`), or a closed client.
    pub error: Option<crate::ErrorRecord>,
}

/// Opens a connection to the gateway ahead of the first call (core's `Client::warm_up`: a
/// `HEAD` of the base URL without the key), on the calling thread (the Kotlin layer's
/// `warmUp` calls it from its IO dispatcher).
#[uniffi::export]
pub fn warm_up(client: u64) -> WarmUpOutcome {
    let result = match client_by_id(client) {
        None => Err(paystar::Error::client_closed()),
        Some(client) => {
            paystar::runtime::block_on(async move { client.warm_up().await }).and_then(|s| s)
        }
    };
    match result {
        Ok(status) => WarmUpOutcome {
            status: Some(status),
            error: None,
        },
        Err(e) => WarmUpOutcome {
            status: None,
            error: Some(crate::error_info(&e)),
        },
    }
}

/// Calls a cancelled coroutine may stop, by call id.
static CALLS: Mutex<Option<HashMap<u64, tokio::sync::oneshot::Sender<()>>>> = Mutex::new(None);

fn with_calls<T>(f: impl FnOnce(&mut HashMap<u64, tokio::sync::oneshot::Sender<()>>) -> T) -> T {
    f(CALLS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new))
}

/// Stops the call with this id (its coroutine was cancelled), if it is still running.
#[uniffi::export]
pub fn cancel(call_id: u64) {
    if let Some(stop) = with_calls(|m| m.remove(&call_id)) {
        let _ = stop.send(());
    }
}

/// Every core error code.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    paystar::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect()
}

/// Every field-error rule name.
#[uniffi::export]
pub fn rules() -> Vec<String> {
    paystar::Rule::ALL
        .iter()
        .map(|r| r.as_str().to_owned())
        .collect()
}

/// Every operation name (snake_case, as in the vectors).
#[uniffi::export]
pub fn operation_names() -> Vec<String> {
    Operation::ALL.iter().map(|o| o.name().to_owned()).collect()
}
