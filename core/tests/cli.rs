//! The `paystar` command, run as a process against real servers on loopback: the in-process
//! mock gateway, `paystar mock` and `paystar webhooks listen` processes. Outputs and exit codes
//! are snapshots (`[..]` stands for what changes from run to run: ports, ids, times);
//! `SNAPSHOTS=overwrite cargo test -p paystar --features cli --test cli` rewrites them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use paystar::mock::{Fault, MockGateway, MockOptions};
use paystar::webhook::{Scheme, SignOptions, sign};
use snapbox::cmd::Command;
use snapbox::str;

const BIN: &str = env!("CARGO_BIN_EXE_paystar");

/// `sessions create wallet` for Jane at acme-utilities: the request most tests send.
const CREATE_WALLET: [&str; 7] = [
    "sessions",
    "create",
    "wallet",
    "-d",
    "BusinessUnitSlug=acme-utilities",
    "-d",
    "ClientUser.EmailAddress=jane@example.com",
];

/// `paystar` with none of the caller's PAYSTAR_* settings.
fn paystar() -> Command {
    Command::new(BIN)
        .env_remove("PAYSTAR_API_KEY")
        .env_remove("PAYSTAR_BASE_URL")
        .env_remove("PAYSTAR_ENVIRONMENT")
        .env_remove("PAYSTAR_WEBHOOK_SECRET")
}

/// `paystar` pointed at `gateway`.
fn on(gateway: &MockGateway) -> Command {
    paystar()
        .env("PAYSTAR_BASE_URL", gateway.url())
        .env("PAYSTAR_API_KEY", gateway.api_key())
}

/// A long-running `paystar` process (`mock`, `webhooks listen`): its first stdout line, and
/// the process, killed on drop.
struct Running {
    child: Child,
    first_line: String,
}

/// Spawns `command` with stdout piped and reads its first line (the URL a server prints).
fn spawn_first_line(command: &mut std::process::Command) -> (Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    (child, first_line.trim().to_owned())
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut command = std::process::Command::new(BIN);
        command
            .args(args)
            .env_remove("PAYSTAR_WEBHOOK_SECRET")
            .stdin(Stdio::null());
        let (child, first_line) = spawn_first_line(&mut command);
        assert!(!first_line.is_empty(), "{args:?} printed nothing");
        Running { child, first_line }
    }

    /// The rest of stdout once the process is stopped with SIGTERM (it exits 0).
    fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        assert!(killed.unwrap().success());
        let mut rest = String::new();
        std::io::Read::read_to_string(self.child.stdout.as_mut().unwrap(), &mut rest).unwrap();
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{rest}");
        rest
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_lists_every_command_and_the_exit_codes() {
    paystar().arg("--help").assert().success().stdout_eq(str![[r#"
The Paystar Embedded Session API from a shell: the mock gateway, sessions, webhooks and events.

Usage: paystar [OPTIONS] <COMMAND>

Commands:
  mock         Run the mock gateway (the same one the libraries embed) until Ctrl-C
  sessions     Create sessions
  webhooks     Verify, send and receive webhooks
  events       Send data to Paystar's Events API
  doctor       Check the configuration a backend would use: key, environment, proxy, CA, TLS to the gateway
  completions  Print a shell completion script (e.g. `paystar completions bash > /etc/bash_completion.d/paystar`)
  help         Print this message or the help of the given subcommand(s)

Options:
      --json     Print JSON (one object, or one per line for `mock` and `webhooks listen`) for scripts
  -h, --help     Print help
  -V, --version  Print version

Exit codes: 0 ok, 1 a Paystar error (or a refused webhook, a failed check), 2 a usage error.
The API key comes from PAYSTAR_API_KEY or --api-key-file, never from a flag.
Manual: https://github.com/paystar-sdk/paystar/blob/main/docs/cli.md

"#]]);
    for command in [
        &["mock", "--help"][..],
        &["sessions", "create", "--help"],
        &["webhooks", "verify", "--help"],
        &["webhooks", "trigger", "--help"],
        &["webhooks", "listen", "--help"],
        &["events", "update-customer", "--help"],
        &["events", "send", "--help"],
        &["doctor", "--help"],
    ] {
        paystar().args(command).assert().success();
    }
}

#[test]
fn usage_errors_exit_2_and_say_what_is_wrong() {
    paystar()
        .args(["sessions", "create", "cart"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
error: invalid value 'cart' for '<KIND>'
  [possible values: payment, autopay, wallet, paperless, notification]

For more information, try '--help'.

"#]]);
    // The key is never a flag.
    paystar()
        .args(["sessions", "create", "wallet", "--api-key", "sk_x"])
        .assert()
        .code(2);
    paystar()
        .args(["sessions", "create", "wallet", "-d", "BusinessUnitSlug=acme"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: no API key: set PAYSTAR_API_KEY (a `paystar mock` prints its key) or pass --api-key-file FILE

"#]]);
    paystar()
        .env("PAYSTAR_API_KEY", "sk_prod_x")
        .env("PAYSTAR_ENVIRONMENT", "production")
        .args(["sessions", "create", "wallet"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: production moves real money: pass both --environment production and --confirm-production

"#]]);
    paystar()
        .env("PAYSTAR_API_KEY", "sk_prod_x")
        .env("PAYSTAR_BASE_URL", "https://Secure.Paystar.io/")
        .args(["sessions", "create", "wallet"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: production moves real money: pass --confirm-production

"#]]);
    // PAYSTAR_BASE_URL beside PAYSTAR_ENVIRONMENT names no one gateway (as in the library).
    paystar()
        .env("PAYSTAR_API_KEY", "sk_x")
        .env("PAYSTAR_ENVIRONMENT", "production")
        .env("PAYSTAR_BASE_URL", "http://127.0.0.1:9")
        .args(["sessions", "create", "wallet"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: PAYSTAR_ENVIRONMENT and PAYSTAR_BASE_URL are both set: unset one

"#]]);
    paystar()
        .env("PAYSTAR_API_KEY", "sk_x")
        .args(["sessions", "create", "payment", "-d", "Charges[x].Amount=1"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: "Charges[x].Amount": an index that is not a number

"#]]);
    paystar()
        .args(["webhooks", "trigger", "Payment.Refunded", "--to", "http://127.0.0.1:9/", "--scheme", "hmac_sha256", "--secret", "s"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: no template for the event "Payment.Refunded": Paystar documents Payment.Succeeded, AutoPay.Enrolled, AutoPay.Unenrolled

"#]]);
    paystar()
        .args(["webhooks", "verify", "--scheme", "hmac_sha256"])
        .assert()
        .code(2)
        .stderr_eq(str![[r#"
paystar: no webhook secret: pass --secret, --secret-file FILE or set PAYSTAR_WEBHOOK_SECRET

"#]]);
}

#[test]
fn sessions_create_prints_the_session_and_paystar_errors_exit_1() {
    let gateway = MockGateway::start_with(MockOptions {
        seed: Some(7),
        ..MockOptions::default()
    })
    .unwrap();
    on(&gateway)
        .args(CREATE_WALLET)
        .assert()
        .success()
        .stdout_eq(str![[r#"
url         http://127.0.0.1:[..]/embedded/[..]
id          [..]
kind        wallet
status      [..]
expires_at  20[..]
request_id  [..]
attempts    1

"#]]);
    let request = r#"{"BusinessUnitSlug": "acme-utilities", "Channel": "QuickPay",
        "Charges": [{"Amount": 15000, "Description": "January Water Bill",
                     "ClientAccount": {"AccountNumber": "ACC-12345"}}],
        "ClientUser": {"EmailAddress": "jane@example.com"}}"#;
    let json = on(&gateway)
        .args(["sessions", "create", "payment", "--data", "-", "--json"])
        .stdin(request)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let session: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(session["kind"], "payment");
    assert!(session["url"].as_str().unwrap().starts_with(gateway.url()));
    // Validation: every field at once, nothing sent.
    let before = gateway.requests().len();
    on(&gateway)
        .args([
            "sessions",
            "create",
            "payment",
            "-d",
            "BusinessUnitSlug=acme",
            "-d",
            "Charges[0].Amount=1.5",
        ])
        .assert()
        .code(1)
        .stderr_eq(str![[r#"
error (validation_error): the request is invalid:
  Charges[0].Amount: amounts are integer cents, e.g. 15000 for $150.00 (got 1.5)
  Channel: is required
...

"#]]);
    assert_eq!(gateway.requests().len(), before);
    // A gateway error after retries.
    gateway.script([Fault::status(503), Fault::status(503)]);
    on(&gateway)
        .args([
            "sessions",
            "create",
            "wallet",
            "--max-retries",
            "1",
            "--json",
        ])
        .args([
            "-d",
            "BusinessUnitSlug=acme-utilities",
            "-d",
            "ClientUser.EmailAddress=jane@example.com",
        ])
        .assert()
        .code(1)
        .stdout_eq(str![[r#"
{
  "error": {
...
    "code": "server_error",
...
    "attempts": 2,
...
}

"#]]);
}

#[test]
fn events_send_and_update_customer() {
    let gateway = MockGateway::start().unwrap();
    on(&gateway)
        .args([
            "events",
            "update-customer",
            "--business-unit",
            "acme-utilities",
            "--account",
            "ACC-1",
        ])
        .args([
            "--first-name",
            "Jane",
            "--last-name",
            "Doe",
            "--email",
            "jane@example.com",
        ])
        .assert()
        .success()
        .stdout_eq(str![[r#"
event_type   Accounts.ManageCustomer
http_status  200
request_id   [..]
attempts     1

"#]]);
    let send = |event_type: &str, payload: &str| {
        on(&gateway)
            .args(["events", "send", "--type", event_type, "--payload", "-"])
            .args(["--business-unit", "acme-utilities"])
            .stdin(payload.to_owned())
            .assert()
    };
    send("Accounts.UnenrollAutopay", r#"{"accountNumber": "ACC-1"}"#).success();
    send("Payment.Refunded", "{}").code(1).stderr_eq(str![[r#"
error (validation_error): the request is invalid:
  EventType: must be one of Accounts.ManageCustomer, Accounts.UnenrollAutopay (the documented event types)

"#]]);
    send("Accounts.UnenrollAutopay", "[1, 2]").code(1);
    assert!(gateway.customer("jane@example.com").is_some());
}

#[test]
fn webhooks_verify_says_authentic_or_why_not() {
    let body = paystar::webhook::templates::example("Payment.Succeeded")
        .unwrap()
        .to_string();
    let headers = sign(
        body.as_bytes(),
        &SignOptions::new(Scheme::HmacSha256, "whsk_cli"),
    )
    .unwrap();
    let flags: Vec<String> = headers
        .iter()
        .flat_map(|(k, v)| ["-H".to_owned(), format!("{k}: {v}")])
        .collect();
    paystar()
        .args([
            "webhooks",
            "verify",
            "--scheme",
            "hmac_sha256",
            "--secret",
            "whsk_cli",
        ])
        .args(&flags)
        .stdin(body.clone())
        .assert()
        .success()
        .stdout_eq(str![[r#"
authentic
event            Payment.Succeeded
idempotency_key  Payment.Succeeded:a6fb5f42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG
amount_cents     30034
{
  "sessionIdentifier": "a6fb5f42-4280-46af-b04e-2c58067bc111",
  "status": "Succeeded",
  "referenceNumber": "NYDVNT-WSQPG",
  "amount": "300.34",
  "accountNumber": "123-45",
  "accountName": "John Smith",
  "paymentIdentifier": "",
  "amountFormatted": "$300.34",
  "serviceFee": "0"
}

"#]]);
    paystar()
        .env("PAYSTAR_WEBHOOK_SECRET", "whsk_other")
        .args(["webhooks", "verify", "--scheme", "hmac_sha256", "--json"])
        .args(&flags)
        .stdin(body.clone())
        .assert()
        .code(1)
        .stdout_eq(str![[r#"
{
  "authentic": false,
  "reason": "signature_mismatch",
  "message": "[..]"
}

"#]]);
    paystar()
        .args([
            "webhooks",
            "verify",
            "--scheme",
            "hmac_sha256",
            "--secret",
            "whsk_cli",
        ])
        .stdin(body)
        .assert()
        .code(1)
        .stderr_eq(str![[r#"
not authentic: [..] (missing_header)

"#]]);
}

#[test]
fn trigger_to_listen_handles_once_refuses_a_wrong_secret_and_forwards_unchanged() {
    let app = Running::start(&[
        "webhooks",
        "listen",
        "--scheme",
        "standard_webhooks",
        "--secret",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    ]);
    let proxy = Running::start(&[
        "webhooks",
        "listen",
        "--scheme",
        "standard_webhooks",
        "--secret",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "--forward-to",
        &app.first_line,
        "--json",
    ]);
    let trigger = |secret: &str, more: &[&str]| {
        paystar()
            .args([
                "webhooks",
                "trigger",
                "Payment.Succeeded",
                "--to",
                &proxy.first_line,
            ])
            .args([
                "--scheme",
                "standard_webhooks",
                "--secret",
                secret,
                "--set",
                "payload.amount=12.34",
            ])
            .args(more)
            .assert()
    };
    trigger(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        &["--redeliver", "1"],
    )
    .success()
    .stdout_eq(str![[r#"
Payment.Succeeded -> http://127.0.0.1:[..]/
delivery 1/2: 204
delivery 2/2: 200 {"duplicate":true}

"#]]);
    trigger("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &[])
        .code(1)
        .stdout_eq(str![[r#"
Payment.Succeeded -> http://127.0.0.1:[..]/
delivery 1/1: 401 {"error":"signature_mismatch"}

"#]]);
    let forwarded = proxy.stop();
    let lines: Vec<serde_json::Value> = forwarded
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let verdicts: Vec<_> = lines
        .iter()
        .map(|l| {
            (
                l["verdict"].as_str().unwrap(),
                l["forwarded_status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("authentic", 204),
            ("duplicate", 200),
            ("signature_mismatch", 401)
        ]
    );
    assert_eq!(lines[0]["event"]["amount_cents"], 1234);
    // The app verified what the proxy forwarded: headers and body unchanged.
    let received = app.stop();
    assert!(
        received.contains("authentic Payment.Succeeded:a6fb5f42"),
        "{received}"
    );
    assert!(received.contains("\"amount\": \"12.34\""), "{received}");
}

#[test]
fn mock_serves_http_and_https_and_doctor_checks_the_path() {
    let mock = Running::start(&["mock", "--seed", "3", "--api-key", "sk_cli_mock"]);
    assert!(
        mock.first_line.starts_with("http://127.0.0.1:"),
        "{}",
        mock.first_line
    );
    paystar()
        .env("PAYSTAR_BASE_URL", &mock.first_line)
        .env("PAYSTAR_API_KEY", "sk_cli_mock")
        .args(CREATE_WALLET)
        .assert()
        .success();
    // A wrong key is the gateway's 401.
    paystar()
        .env("PAYSTAR_BASE_URL", &mock.first_line)
        .env("PAYSTAR_API_KEY", "sk_wrong")
        .args(CREATE_WALLET)
        .assert()
        .code(1)
        .stderr_eq(str![[r#"
error (authentication_error): [..]
...
"#]]);
    drop(mock);

    let dir = std::env::temp_dir().join(format!("paystar-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("ca.pem");
    let key_file = dir.join("key");
    std::fs::write(&key_file, "sk_mock_paystar_0000\n").unwrap();
    let tls = Running::start(&["mock", "--tls", "--ca-out", ca.to_str().unwrap(), "--json"]);
    let started: serde_json::Value = serde_json::from_str(&tls.first_line).unwrap();
    let url = started["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("https://localhost:"), "{url}");
    assert_eq!(started["ca_bundle"], ca.to_str().unwrap());
    let doctor = || {
        paystar()
            .env("PAYSTAR_BASE_URL", &url)
            .env_remove("SSL_CERT_FILE")
            .env_remove("SSL_CERT_DIR")
            .args(["doctor", "--api-key-file", key_file.to_str().unwrap()])
    };
    doctor()
        .args(["--ca-bundle", ca.to_str().unwrap()])
        .assert()
        .success()
        .stdout_eq(str![[r#"
ok   api_key       from --api-key-file (20 characters, not shown)
     environment   custom base URL
     sessions_url  https://localhost:[..]/
     events_url    https://localhost:[..]/
     proxy         none: a loopback gateway is reached directly
     trust         the system's roots + 1 extra (--ca-bundle)
ok   connection    https://localhost:[..]: TLS handshake ok in [..] ms (HTTP 404 to a HEAD without the key)

"#]]);
    // Without the CA: the certificate is not trusted, and doctor says so.
    doctor().assert().code(1).stdout_eq(str![[r#"
...
FAIL connection    https://localhost:[..]: [..]certificate[..] (connection_error)

"#]]);
    paystar()
        .env("PAYSTAR_BASE_URL", &url)
        .args([
            "sessions",
            "create",
            "wallet",
            "--api-key-file",
            key_file.to_str().unwrap(),
        ])
        .args([
            "--ca-bundle",
            ca.to_str().unwrap(),
            "-d",
            "BusinessUnitSlug=acme-utilities",
        ])
        .args(["-d", "ClientUser.EmailAddress=jane@example.com"])
        .assert()
        .success()
        .stdout_eq(str![[r#"
url         https://localhost:[..]
...
"#]]);
    drop(tls);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn paystar_mock_stops_when_stdin_closes() {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_paystar-mock"));
    command.args(["--latency-ms", "1"]).stdin(Stdio::piped());
    let (mut child, line) = spawn_first_line(&mut command);
    assert!(line.starts_with("http://127.0.0.1:"), "{line}");
    drop(child.stdin.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn completions_are_generated() {
    let out = paystar()
        .args(["completions", "bash"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let script = String::from_utf8(out).unwrap();
    assert!(
        script.contains("paystar__subcmd__webhooks__subcmd__trigger"),
        "{script}"
    );
}

#[test]
fn the_key_and_proxy_credentials_are_never_printed() {
    const KEY: &str = "sk_live_CLI_SECRET_7f3e9a";
    let gateway = MockGateway::start().unwrap();
    let mut outputs = Vec::new();
    let mut keep = |o: &std::process::Output| {
        outputs.push(String::from_utf8_lossy(&o.stdout).into_owned());
        outputs.push(String::from_utf8_lossy(&o.stderr).into_owned());
    };
    // A wrong key against the mock: the gateway's 401, as text and as JSON.
    for json in [false, true] {
        let mut c = paystar()
            .env("PAYSTAR_BASE_URL", gateway.url())
            .env("PAYSTAR_API_KEY", KEY)
            .args(CREATE_WALLET);
        if json {
            c = c.arg("--json");
        }
        keep(c.assert().code(1).get_output());
    }
    // doctor against the development gateway through a proxy with credentials (a closed port
    // on loopback: nothing leaves the machine): the key's length only, the proxy masked.
    let doctor = paystar()
        .env("PAYSTAR_API_KEY", KEY)
        .env("HTTPS_PROXY", "http://proxyuser:proxypass@127.0.0.1:9")
        .arg("doctor")
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&doctor.get_output().stdout).into_owned();
    assert!(
        text.contains("HTTPS_PROXY=http://***@127.0.0.1:9/"),
        "{text}"
    );
    assert!(
        text.contains("FAIL connection    https://dev-gateway.paystar.io"),
        "{text}"
    );
    keep(doctor.get_output());
    for out in &outputs {
        assert!(!out.contains(KEY) && !out.contains("CLI_SECRET"), "{out}");
        assert!(
            !out.contains("proxypass") && !out.contains("proxyuser"),
            "{out}"
        );
    }
}
