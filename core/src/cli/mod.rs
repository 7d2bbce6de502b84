//! The `paystar` command: the mock gateway, sessions, webhooks and the Events API from a shell
//! (feature `cli`). Written once here; every package installs it — the wheel's `paystar`
//! console script, npm's `bin`, `cargo install --path core --features cli`, and
//! `java -jar paystar-cli.jar` — each by passing its `argv` to [`run`] and exiting with the
//! code it returns.
//!
//! Exit codes: [`EXIT_OK`] (0), [`EXIT_PAYSTAR`] (1: a Paystar error, a refused webhook, a
//! failed check) and [`EXIT_USAGE`] (2: the command line or its input is wrong). The API key
//! comes from `PAYSTAR_API_KEY` or `--api-key-file`, never from a flag that would stay in
//! shell history. docs/cli.md is the manual.

mod api;
mod args;
mod doctor;
mod mock;
mod output;
mod webhooks;

use std::ffi::OsString;

use clap::{CommandFactory, Parser};

pub use args::Cli;
use args::{Command, EventsCommand, SessionsCommand, WebhooksCommand};
use output::Out;

/// Success.
pub const EXIT_OK: i32 = 0;
/// A Paystar error (validation, the gateway, the network), a webhook that is not authentic or
/// not accepted, or a failed `doctor` check.
pub const EXIT_PAYSTAR: i32 = 1;
/// The command line or its input is wrong (an unknown flag, unreadable `--data`, a production
/// call without its confirmation).
pub const EXIT_USAGE: i32 = 2;

/// A command's failure: a usage problem (exit 2) or a reported Paystar failure (exit 1).
#[derive(Debug)]
enum Failure {
    /// The command line or its input is wrong: exit [`EXIT_USAGE`].
    Usage(String),
    /// A failure already reported on the output: exit [`EXIT_PAYSTAR`].
    Reported,
}

impl From<crate::Error> for Failure {
    /// An error before anything was printed about it (reading options, building a client).
    fn from(e: crate::Error) -> Failure {
        Failure::Usage(e.to_string())
    }
}

type Outcome = std::result::Result<(), Failure>;

/// Runs the command line `args` (the program name first, as `std::env::args_os` gives it) and
/// returns the process's exit code. Writes to this process's stdout and stderr; blocks until
/// the command ends (`mock` and `webhooks listen` until Ctrl-C or SIGTERM). Call it from a
/// thread that is not inside a tokio runtime. Never panics: a bug is reported as one and
/// exits [`EXIT_PAYSTAR`] (bindings call this across their FFI boundary).
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with(args, Signals::Handle)
}

/// Who ends `mock` and `webhooks listen` on Ctrl-C and SIGTERM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signals {
    /// The command handles them and exits 0 (the Rust binary, Python).
    Handle,
    /// The host's own handlers end the process; the command installs none. For Node (whose
    /// handlers re-raise the signal and fought a second one) and the JVM (whose shutdown uses
    /// them; a native handler beside them needs libjsig).
    LeaveToHost,
}

/// [`run`], with the signal handling `signals` says.
pub fn run_with<I, T>(args: I, signals: Signals) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    std::panic::catch_unwind(move || run_unguarded(args, signals)).unwrap_or_else(|_| {
        Out::new(false).problem("internal error (a bug in paystar: please report it)");
        EXIT_PAYSTAR
    })
}

fn run_unguarded(args: Vec<OsString>, signals: Signals) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; the rest are usage errors.
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let out = Out::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            out.problem(&format!("cannot start the command's runtime: {e}"));
            return EXIT_PAYSTAR;
        }
    };
    match runtime.block_on(dispatch(cli.command, &out, signals)) {
        Ok(()) => EXIT_OK,
        Err(Failure::Reported) => EXIT_PAYSTAR,
        Err(Failure::Usage(message)) => {
            out.problem(&message);
            EXIT_USAGE
        }
    }
}

async fn dispatch(command: Command, out: &Out, signals: Signals) -> Outcome {
    match command {
        Command::Mock(a) => mock::run(a, out, signals).await,
        Command::Sessions {
            command: SessionsCommand::Create(a),
        } => api::create_session(a, out).await,
        Command::Events { command } => match command {
            EventsCommand::UpdateCustomer(a) => api::update_customer(a, out).await,
            EventsCommand::Send(a) => api::send_event(a, out).await,
        },
        Command::Webhooks { command } => match command {
            WebhooksCommand::Verify(a) => webhooks::verify(a, out),
            WebhooksCommand::Trigger(a) => webhooks::trigger(a, out).await,
            WebhooksCommand::Listen(a) => webhooks::listen(a, out, signals).await,
        },
        Command::Doctor(a) => doctor::run(a, out).await,
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a write error (`... | head`).
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "paystar", &mut script);
            out.raw(&script);
            Ok(())
        }
    }
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM; forever when the host handles them.
async fn interrupted(signals: Signals) {
    if signals == Signals::LeaveToHost {
        return std::future::pending().await;
    }
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests;
