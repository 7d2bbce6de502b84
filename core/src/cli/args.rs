//! The command line, as clap reads it. Every flag's help is its documentation (docs/cli.md
//! repeats it with examples).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{Operation, SessionKind};

/// `paystar`: the Paystar Embedded Session API from a shell — the mock gateway, sessions,
/// webhooks and events.
#[derive(Debug, Parser)]
#[command(
    name = "paystar",
    version,
    about = "The Paystar Embedded Session API from a shell: the mock gateway, sessions, webhooks and events.",
    after_help = "Exit codes: 0 ok, 1 a Paystar error (or a refused webhook, a failed check), 2 a usage error.\n\
                  The API key comes from PAYSTAR_API_KEY or --api-key-file, never from a flag.\n\
                  Manual: https://github.com/paystar-sdk/paystar/blob/main/docs/cli.md"
)]
pub struct Cli {
    /// Print JSON (one object, or one per line for `mock` and `webhooks listen`) for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the mock gateway (the same one the libraries embed) until Ctrl-C.
    Mock(MockArgs),
    /// Create sessions.
    Sessions {
        /// What to do with sessions.
        #[command(subcommand)]
        command: SessionsCommand,
    },
    /// Verify, send and receive webhooks.
    Webhooks {
        /// What to do with webhooks.
        #[command(subcommand)]
        command: WebhooksCommand,
    },
    /// Send data to Paystar's Events API.
    Events {
        /// Which event.
        #[command(subcommand)]
        command: EventsCommand,
    },
    /// Check the configuration a backend would use: key, environment, proxy, CA, TLS to the
    /// gateway.
    Doctor(GatewayArgs),
    /// Print a shell completion script (e.g. `paystar completions bash > /etc/bash_completion.d/paystar`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// `paystar mock`.
#[derive(Debug, Args)]
pub struct MockArgs {
    /// The port on 127.0.0.1 (0: one the OS picks).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The API key the mock accepts (a made-up key; the default is printed at start).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// Seed for session ids and reference numbers (the same ids on every run).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Share of session requests that get a random fault (a 429, 5xx, delay, reset...), 0 to 1.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub faults: f64,
    /// Delay every API answer by this many milliseconds (a gateway far away).
    #[arg(long, value_name = "MS", alias = "latency-ms", default_value_t = 0)]
    pub latency: u64,
    /// Serve HTTPS on https://localhost:<port> with a CA generated at start.
    #[arg(long)]
    pub tls: bool,
    /// With --tls: write the CA's PEM here (default: a file in the temporary directory, printed
    /// at start). Give it to clients as `ca_bundle` or `SSL_CERT_FILE`.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
    /// With --tls: offer HTTP/1.1 only (ALPN), so every client speaks HTTP/1.1 (without it,
    /// HTTP/2 for clients that ask for it).
    #[arg(long, requires = "tls")]
    pub http1: bool,
    /// Where completed sessions' webhooks go, e.g. http://127.0.0.1:8000/paystar/webhook.
    #[arg(long, value_name = "URL", requires_all = ["webhook_scheme", "webhook_secret"])]
    pub webhook_url: Option<String>,
    /// How webhooks are signed.
    #[arg(long, value_name = "SCHEME", value_enum)]
    pub webhook_scheme: Option<SchemeArg>,
    /// The webhook secret (a development secret: the mock is not Paystar).
    #[arg(long, value_name = "SECRET")]
    pub webhook_secret: Option<String>,
    /// Send each webhook this many more times (to exercise an endpoint's de-duplication).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub webhook_redeliveries: u32,
    /// How many sessions it keeps before forgetting them all.
    #[arg(long, value_name = "N")]
    pub max_sessions: Option<usize>,
    /// How many requests its log keeps.
    #[arg(long, value_name = "N")]
    pub max_recorded: Option<usize>,
    /// Also stop when stdin closes (for a parent process that spawns it; `paystar-mock` does).
    #[arg(long)]
    pub until_stdin_closes: bool,
}

/// A webhook signing scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum SchemeArg {
    /// A header whose value is the secret.
    SharedSecret,
    /// HMAC-SHA256 of the body (or of `timestamp.body`) in a header.
    HmacSha256,
    /// webhook-id / webhook-timestamp / webhook-signature (standardwebhooks.com).
    StandardWebhooks,
}

impl SchemeArg {
    /// The scheme's core value.
    pub fn scheme(self) -> crate::webhook::Scheme {
        match self {
            SchemeArg::SharedSecret => crate::webhook::Scheme::SharedSecret,
            SchemeArg::HmacSha256 => crate::webhook::Scheme::HmacSha256,
            SchemeArg::StandardWebhooks => crate::webhook::Scheme::StandardWebhooks,
        }
    }
}

/// `paystar sessions ...`.
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Create a session and print its URL, id, status and expiry.
    #[command(
        after_help = "The request is JSON with the API's own (PascalCase) names, as in Paystar's docs:\n  \
        paystar sessions create wallet -d BusinessUnitSlug=acme-utilities -d ClientUser.Email=jane@example.com\n  \
        paystar sessions create payment --data request.json\n  \
        echo '{...}' | paystar sessions create payment --data -"
    )]
    Create(CreateArgs),
}

/// The kind of session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// A payment (QuickPay, a cart, ...).
    Payment,
    /// AutoPay enrolment.
    Autopay,
    /// The customer's saved payment methods.
    Wallet,
    /// Paperless billing.
    Paperless,
    /// Notification settings.
    Notification,
}

impl KindArg {
    /// The operation creating this kind of session.
    pub fn operation(self) -> Operation {
        let kind = match self {
            KindArg::Payment => SessionKind::Payment,
            KindArg::Autopay => SessionKind::Autopay,
            KindArg::Wallet => SessionKind::Wallet,
            KindArg::Paperless => SessionKind::Paperless,
            KindArg::Notification => SessionKind::Notification,
        };
        Operation::SESSIONS
            .into_iter()
            .find(|o| o.kind() == Some(kind))
            .unwrap_or(Operation::CreatePaymentSession)
    }
}

/// `paystar sessions create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The kind of session.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// The request as a JSON file (`-`: stdin), with the API's PascalCase names.
    #[arg(long, value_name = "FILE")]
    pub data: Option<String>,
    /// Set one field: `Path=value`, the path dotted with [n] indexes
    /// (`Charges[0].Amount=15000`); a value that reads as JSON is JSON, else text.
    #[arg(short = 'd', value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Open the session URL in a browser.
    #[arg(long)]
    pub open: bool,
    /// Send without checking the request first (to see the gateway's own validation).
    #[arg(long)]
    pub no_validation: bool,
    /// Where and how to call.
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

/// Which gateway to call, and how.
#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// `development` (the default) or `production`; default from PAYSTAR_ENVIRONMENT.
    /// Production also needs --confirm-production.
    #[arg(long, value_name = "ENV")]
    pub environment: Option<String>,
    /// Yes, call the production gateway (real money, real customers).
    #[arg(long)]
    pub confirm_production: bool,
    /// Any base URL instead of an environment's, e.g. a `paystar mock`'s; default from
    /// PAYSTAR_BASE_URL when no --environment is given (not together with PAYSTAR_ENVIRONMENT).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Read the API key from this file (default: the PAYSTAR_API_KEY variable).
    #[arg(long, value_name = "FILE")]
    pub api_key_file: Option<PathBuf>,
    /// A PEM file of extra trusted CAs (a corporate proxy's, a `paystar mock --tls`'s).
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: Vec<String>,
    /// Per-attempt timeout in seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Retries after the first attempt (0 to 10).
    #[arg(long, value_name = "N")]
    pub max_retries: Option<u32>,
}

/// `paystar events ...`.
#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Send `Accounts.ManageCustomer`: a customer's name and email for an account.
    UpdateCustomer(UpdateCustomerArgs),
    /// Send any other event type with a JSON payload.
    Send(SendEventArgs),
}

/// `paystar events update-customer`.
#[derive(Debug, Args)]
pub struct UpdateCustomerArgs {
    /// The business unit's slug.
    #[arg(long, value_name = "SLUG")]
    pub business_unit: String,
    /// The account number.
    #[arg(long, value_name = "NUMBER")]
    pub account: String,
    /// The sub-account number.
    #[arg(long, value_name = "NUMBER")]
    pub sub_account: Option<String>,
    /// First name.
    #[arg(long)]
    pub first_name: String,
    /// Last name.
    #[arg(long)]
    pub last_name: String,
    /// Email address.
    #[arg(long)]
    pub email: String,
    /// The email address it replaces.
    #[arg(long, value_name = "EMAIL")]
    pub original_email: Option<String>,
    /// Where and how to call.
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

/// `paystar events send`.
#[derive(Debug, Args)]
pub struct SendEventArgs {
    /// The event type, e.g. `Accounts.UnenrollAutopay`.
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: String,
    /// The payload: a JSON object in a file (`-`: stdin).
    #[arg(long, value_name = "FILE")]
    pub payload: String,
    /// The business unit's slug.
    #[arg(long, value_name = "SLUG")]
    pub business_unit: String,
    /// Where and how to call.
    #[command(flatten)]
    pub gateway: GatewayArgs,
}

/// `paystar webhooks ...`.
#[derive(Debug, Subcommand)]
pub enum WebhooksCommand {
    /// Say whether a captured delivery (body on stdin) is authentic, and why not.
    Verify(VerifyArgs),
    /// Post a signed, realistic delivery to an endpoint and print each answer.
    Trigger(TriggerArgs),
    /// Receive deliveries on a local port: verify, print, and forward them to the app.
    Listen(ListenArgs),
}

/// How deliveries are signed (what the endpoint's verifier is configured with).
#[derive(Debug, Args)]
pub struct SigningArgs {
    /// The signing scheme.
    #[arg(long, value_enum)]
    pub scheme: SchemeArg,
    /// The webhook secret (repeat for rotation when verifying); default: the
    /// PAYSTAR_WEBHOOK_SECRET variable, then --secret-file.
    #[arg(long, value_name = "SECRET")]
    pub secret: Vec<String>,
    /// Read the secret from this file.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// The signature header (default: the scheme's).
    #[arg(long, value_name = "NAME")]
    pub signature_header: Option<String>,
    /// For hmac_sha256: the timestamp header, signing `timestamp.body`.
    #[arg(long, value_name = "NAME")]
    pub timestamp_header: Option<String>,
    /// For hmac_sha256: `hex` (default) or `base64`.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
}

/// `paystar webhooks verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// How deliveries are signed.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// A header of the delivery, `Name: value` (repeat).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// A file of the delivery's headers, one `Name: value` per line (as captured).
    #[arg(long, value_name = "FILE")]
    pub headers_file: Option<PathBuf>,
    /// The body in a file (default: stdin).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
    /// Check the timestamp as of this Unix time (a delivery captured earlier).
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,
}

/// `paystar webhooks trigger`.
#[derive(Debug, Args)]
pub struct TriggerArgs {
    /// The event: Payment.Succeeded, AutoPay.Enrolled or AutoPay.Unenrolled.
    pub event: String,
    /// The endpoint, e.g. http://127.0.0.1:8000/paystar/webhook.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// How to sign.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Set a field of the body: `payload.amount=12.34` (text, as the templates send every
    /// value).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Set a field of the body to JSON: `payload.extra={"a":1}`.
    #[arg(long = "set-json", value_name = "PATH=JSON")]
    pub set_json: Vec<String>,
    /// Send the same delivery this many more times (to see the endpoint de-duplicate).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub redeliver: u32,
}

/// `paystar webhooks listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// The port on 127.0.0.1 (0: one the OS picks; the URL is printed first).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// How deliveries are signed.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Forward every delivery (headers and body unchanged) to the app here, and answer with
    /// the app's answer.
    #[arg(long, value_name = "URL")]
    pub forward_to: Option<String>,
}
