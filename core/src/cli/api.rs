//! `sessions create` and `events ...`: a client built from the command line and the
//! environment, one call, its result printed.

use std::io::Read;
use std::time::Duration;

use serde_json::{Map, Value, json};

use super::args::{CreateArgs, GatewayArgs, SendEventArgs, UpdateCustomerArgs};
use super::output::Out;
use super::{Failure, Outcome};
use crate::bridge::{Dialect, boundary_time, receipt_value, session_value};
use crate::{
    API_KEY_ENV, BASE_URL_ENV, Case, Client, ENVIRONMENT_ENV, Environment, EventReceipt, Operation,
    Reply, RequestOptions, Session,
};

/// Where the API key comes from.
pub(super) enum KeySource {
    /// `--api-key-file`'s contents.
    File(String),
    /// The `PAYSTAR_API_KEY` variable (read by the builder).
    Environment,
    /// Neither.
    Missing,
}

/// The key `gateway` points at: `--api-key-file`, else `PAYSTAR_API_KEY`.
pub(super) fn key_source(gateway: &GatewayArgs) -> Result<KeySource, Failure> {
    if let Some(file) = &gateway.api_key_file {
        let key = std::fs::read_to_string(file)
            .map_err(|e| Failure::Usage(format!("--api-key-file {}: {e}", file.display())))?;
        return Ok(KeySource::File(key.trim().to_owned()));
    }
    Ok(match std::env::var_os(API_KEY_ENV) {
        Some(key) if !key.is_empty() => KeySource::Environment,
        _ => KeySource::Missing,
    })
}

/// The client `gateway` describes. Production needs `--environment production` and
/// `--confirm-production` both: a `PAYSTAR_ENVIRONMENT=production` left in a shell is not
/// enough to move real money from a terminal.
pub(super) fn client(gateway: &GatewayArgs, validation: bool) -> Result<Client, Failure> {
    match key_source(gateway)? {
        KeySource::Missing => Err(Failure::Usage(format!(
            "no API key: set {API_KEY_ENV} (a `paystar mock` prints its key) or pass --api-key-file FILE"
        ))),
        source => builder(gateway, source, true)
            .map(|b| b.client_validation(validation))?
            .build()
            .map_err(Failure::from),
    }
}

/// The builder `gateway` describes, with the key from `source` (a placeholder that is never
/// sent when it is missing: `doctor` still checks the rest). With `guard_production`, the
/// production environment needs its confirmation (`doctor` sends nothing that moves money).
pub(super) fn builder(
    gateway: &GatewayArgs,
    source: KeySource,
    guard_production: bool,
) -> Result<crate::ClientBuilder, Failure> {
    let mut builder = Client::builder().binding("cli");
    match source {
        KeySource::File(key) => builder = builder.api_key(key),
        KeySource::Environment => {}
        KeySource::Missing => builder = builder.api_key("missing"),
    }
    let refuse = |how: &str| {
        Failure::Usage(format!(
            "production moves real money: pass {how}--confirm-production"
        ))
    };
    // As the library reads them: an explicit --environment wins over PAYSTAR_BASE_URL, and the
    // two variables together name no one gateway (docs/decisions.md#base-url-env).
    let set = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let from_env = match (&gateway.base_url, &gateway.environment) {
        (None, None) => set(BASE_URL_ENV),
        _ => None,
    };
    if from_env.is_some() && set(ENVIRONMENT_ENV).is_some() {
        return Err(Failure::Usage(format!(
            "{ENVIRONMENT_ENV} and {BASE_URL_ENV} are both set: unset one"
        )));
    }
    match gateway.base_url.as_ref().or(from_env.as_ref()) {
        Some(url) => {
            // Paystar's production hosts given as a base URL are production too.
            if guard_production && is_production_url(url) && !gateway.confirm_production {
                return Err(refuse(""));
            }
            builder = builder.base_url(url);
        }
        None => {
            let from_env = std::env::var(ENVIRONMENT_ENV).ok();
            let env = gateway.environment.clone().or(from_env);
            let env = env.as_deref().map(str::trim).unwrap_or("development");
            let production = env.eq_ignore_ascii_case("production");
            let flagged = gateway
                .environment
                .as_deref()
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("production"));
            if guard_production && production && !(flagged && gateway.confirm_production) {
                return Err(refuse("both --environment production and "));
            }
            builder = builder.environment_name(env);
        }
    }
    for bundle in &gateway.ca_bundle {
        builder = builder.ca_bundle(bundle);
    }
    if let Some(seconds) = gateway.timeout {
        let timeout = Duration::try_from_secs_f64(seconds)
            .map_err(|_| Failure::Usage(format!("--timeout {seconds}: not a number of seconds")))?;
        builder = builder.timeout(timeout);
    }
    if let Some(retries) = gateway.max_retries {
        builder = builder.max_retries(retries);
    }
    Ok(builder)
}

/// Whether `url` is on one of Paystar's production hosts (sessions or Events API).
fn is_production_url(url: &str) -> bool {
    let host = |u: &str| {
        url::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    };
    let production = Environment::Production;
    host(url).is_some_and(|h| {
        [production.base_url(), production.events_base_url()]
            .into_iter()
            .any(|p| host(p).as_deref() == Some(h.as_str()))
    })
}

/// Reads `source` (a file, or `-` for stdin) as JSON.
pub(super) fn read_json(flag: &str, source: &str) -> Result<Value, Failure> {
    let text = if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("{flag} -: cannot read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| Failure::Usage(format!("{flag} {source}: {e}")))?
    };
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("{flag} {source}: not JSON: {e}")))
}

/// Sets `path` (`a.b[0].c`) in `root` to `value`, creating objects and arrays on the way.
pub(super) fn set_path(root: &mut Value, path: &str, value: Value) -> Result<(), Failure> {
    let bad = |why: &str| Failure::Usage(format!("{path:?}: {why}"));
    // Ok(name) steps into an object, Err(index) into an array.
    let mut steps: Vec<Result<&str, usize>> = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.find('[').map_or((part, ""), |i| part.split_at(i));
        if name.is_empty() {
            return Err(bad("an empty name in the path"));
        }
        steps.push(Ok(name));
        while !rest.is_empty() {
            let inner = rest.strip_prefix('[').ok_or_else(|| bad("text after ]"))?;
            let (index, after) = inner.split_once(']').ok_or_else(|| bad("an unclosed ["))?;
            let index = index
                .parse::<usize>()
                .map_err(|_| bad("an index that is not a number"))?;
            if index > 1000 {
                return Err(bad("an index over 1000"));
            }
            steps.push(Err(index));
            rest = after;
        }
    }
    let mut at = root;
    for step in steps {
        at = match step {
            Ok(name) => {
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                let Value::Object(map) = at else {
                    return Err(bad("not an object"));
                };
                map.entry(name.to_owned()).or_insert(Value::Null)
            }
            Err(index) => {
                if !at.is_array() {
                    *at = Value::Array(Vec::new());
                }
                let Value::Array(items) = at else {
                    return Err(bad("not an array"));
                };
                if items.len() <= index {
                    items.resize(index + 1, Value::Null);
                }
                &mut items[index]
            }
        };
    }
    *at = value;
    Ok(())
}

/// `PATH=VALUE` split at its first `=`.
pub(super) fn assignment(flag: &str, text: &str) -> Result<(String, String), Failure> {
    text.split_once('=')
        .map(|(p, v)| (p.trim().to_owned(), v.to_owned()))
        .filter(|(p, _)| !p.is_empty())
        .ok_or_else(|| Failure::Usage(format!("{flag} {text:?}: expected PATH=VALUE")))
}

/// Runs one call and prints its reply (or its error).
async fn call(
    client: &Client,
    op: Operation,
    request: &Value,
    out: &Out,
) -> Result<Reply, Failure> {
    match client
        .execute(op, request, Case::Pascal, &RequestOptions::default())
        .await
    {
        Ok(reply) => Ok(reply),
        Err(e) => {
            out.error(&e);
            Err(Failure::Reported)
        }
    }
}

/// `paystar sessions create <kind>`.
pub(super) async fn create_session(a: CreateArgs, out: &Out) -> Outcome {
    let mut request = match &a.data {
        Some(source) => read_json("--data", source)?,
        None => Value::Object(Map::new()),
    };
    for pair in &a.set {
        let (path, text) = assignment("-d", pair)?;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        set_path(&mut request, &path, value)?;
    }
    let client = client(&a.gateway, !a.no_validation)?;
    let session = match call(&client, a.kind.operation(), &request, out).await? {
        Reply::Session(session) => session,
        Reply::Event(_) => return Err(Failure::Usage("the gateway answered a receipt".into())),
    };
    print_session(&session, out);
    if a.open {
        open_in_browser(&session.url, out);
    }
    Ok(())
}

fn print_session(s: &Session, out: &Out) {
    if out.json {
        out.value(&session_value(s, Dialect::PYTHON), false);
        return;
    }
    out.rows(&[
        ("url", s.url.clone()),
        ("id", s.id.clone().unwrap_or_else(|| "-".into())),
        ("kind", s.kind.as_str().into()),
        ("status", s.status.clone().unwrap_or_else(|| "-".into())),
        ("expires_at", boundary_time(s.expires_at)),
        (
            "request_id",
            s.request_id.clone().unwrap_or_else(|| "-".into()),
        ),
        ("attempts", s.attempts.to_string()),
    ]);
}

/// Opens `url` with the desktop's opener (`xdg-open`, `open`, `start`), saying so when none is
/// there; the URL was printed either way.
fn open_in_browser(url: &str, out: &Out) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let opened = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = opened {
        out.note(&format!(
            "--open: cannot run {program} ({e}); open the URL above yourself"
        ));
    }
}

fn print_receipt(r: &EventReceipt, out: &Out) {
    if out.json {
        out.value(&receipt_value(r, Dialect::PYTHON), false);
        return;
    }
    out.rows(&[
        ("event_type", r.event_type.clone()),
        ("http_status", r.http_status.to_string()),
        (
            "request_id",
            r.request_id.clone().unwrap_or_else(|| "-".into()),
        ),
        ("attempts", r.attempts.to_string()),
    ]);
}

async fn send(client: &Client, op: Operation, request: &Value, out: &Out) -> Outcome {
    match call(client, op, request, out).await? {
        Reply::Event(receipt) => print_receipt(&receipt, out),
        Reply::Session(s) => print_session(&s, out),
    }
    Ok(())
}

/// `paystar events update-customer`.
pub(super) async fn update_customer(a: UpdateCustomerArgs, out: &Out) -> Outcome {
    let client = client(&a.gateway, true)?;
    let request = json!({
        "BusinessUnitSlug": a.business_unit,
        "AccountNumber": a.account,
        "SubAccountNumber": a.sub_account,
        "FirstName": a.first_name,
        "LastName": a.last_name,
        "EmailAddress": a.email,
        "OriginalEmailAddress": a.original_email,
    });
    send(&client, Operation::UpdateCustomer, &request, out).await
}

/// `paystar events send`.
pub(super) async fn send_event(a: SendEventArgs, out: &Out) -> Outcome {
    let payload = read_json("--payload", &a.payload)?;
    let client = client(&a.gateway, true)?;
    let request = json!({
        "BusinessUnitSlug": a.business_unit,
        "EventType": a.event_type,
        "Payload": payload,
    });
    send(&client, Operation::SendEvent, &request, out).await
}
