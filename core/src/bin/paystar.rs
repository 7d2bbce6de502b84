//! `paystar`: the Paystar Embedded Session API from a shell (see [`paystar::cli`] and
//! docs/cli.md). `cargo install --path core --features cli`.

fn main() {
    std::process::exit(paystar::cli::run(std::env::args_os()));
}
