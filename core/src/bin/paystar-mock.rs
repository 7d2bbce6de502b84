//! `paystar-mock`: `paystar mock --until-stdin-closes`, kept as a name of its own for the
//! benchmarks and scripts that spawn the mock gateway and stop it by closing its stdin. It
//! prints its base URL on the first line of stdout. Flags: `paystar mock --help`.
//!
//! Build it with `cargo build --release -p paystar --features cli --bin paystar-mock`.

fn main() {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let rest = args.split_off(1.min(args.len()));
    let argv = ["paystar-mock", "mock", "--until-stdin-closes"]
        .into_iter()
        .map(std::ffi::OsString::from)
        .chain(rest);
    std::process::exit(paystar::cli::run(argv));
}
