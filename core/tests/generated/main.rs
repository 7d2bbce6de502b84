//! Every binding's generated surface, from core's one schema (`paystar::models::input::shape`)
//! and core's lists (options, error codes and attributes, rules), one module per language:
//! `python.rs`, `node.rs`, `kotlin.rs`. Each output is a whole file (never a part of a
//! hand-written one), listed in `generated.json` at the repository's root and marked
//! `linguist-generated` in `.gitattributes`.
//!
//! This test fails when a committed file differs from what core generates (drift), or when the
//! manifest or `.gitattributes` do not list exactly these files, saying how to regenerate:
//! `PAYSTAR_REGENERATE=1 cargo test -p paystar --test generated` (or `make generate`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod docs;
mod kotlin;
mod node;
mod python;

use std::path::{Path, PathBuf};

use paystar::Operation;
use paystar::models::input::{Shape, Ty, shape};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every named shape, nested ones first, each once.
fn shapes() -> Vec<&'static Shape> {
    fn visit(s: &'static Shape, out: &mut Vec<&'static Shape>) {
        for f in s.fields {
            let mut ty = &f.ty;
            while let Ty::List(inner) = ty {
                ty = inner;
            }
            if let Ty::Obj(inner) = ty {
                visit(inner, out);
            }
        }
        if !out.iter().any(|o| std::ptr::eq(*o, s)) {
            out.push(s);
        }
    }
    let mut out = Vec::new();
    for op in Operation::ALL {
        visit(shape(op), &mut out);
    }
    out
}

/// The Python name of an operation's keyword arguments: `PaymentSessionParams`,
/// `UpdateCustomerParams`, `SendEventParams`.
fn params_name(op: Operation) -> String {
    let pascal = |s: &str| -> String {
        s.split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect()
    };
    match op.kind() {
        Some(k) => format!("{}SessionParams", pascal(k.as_str())),
        None => format!("{}Params", pascal(op.name())),
    }
}

/// What an operation returns, by its class name in every language.
fn result_class(op: Operation) -> &'static str {
    if op.is_event() {
        "EventReceipt"
    } else {
        "Session"
    }
}

/// Each generated file: its path, what it is generated from, and its text.
fn outputs() -> Vec<(&'static str, &'static str, String)> {
    vec![
        (
            "bindings-python/python/paystar/types.py",
            "core's request schema",
            python::python_types(),
        ),
        (
            "bindings-python/python/paystar/_client.pyi",
            "core's request schema and client options",
            python::python_client_stub(),
        ),
        (
            "bindings-python/python/paystar/_errors.py",
            "core's error codes and attributes",
            python::python_errors(),
        ),
        (
            "bindings-node/types.d.ts",
            "core's request schema and names",
            node::typescript(),
        ),
        (
            "bindings-node/lib/errors.js",
            "core's error codes and attributes",
            node::node_errors_js(),
        ),
        (
            "bindings-node/lib/errors.d.ts",
            "core's error codes and attributes",
            node::node_errors_dts(),
        ),
        (
            "bindings-kotlin/src/requests.rs",
            "core's request schema",
            kotlin::kotlin_records(),
        ),
        (
            "bindings-kotlin/src/main/kotlin/io/paystar/Builders.kt",
            "core's request schema",
            kotlin::kotlin_builders(),
        ),
        (
            "bindings-kotlin/src/main/kotlin/io/paystar/Options.kt",
            "core's option specs",
            kotlin::kotlin_options(),
        ),
        (
            "bindings-kotlin/src/main/kotlin/io/paystar/PaystarException.kt",
            "core's error codes and attributes",
            kotlin::kotlin_exceptions(),
        ),
        (
            "docs/observability.md",
            "core's telemetry names, attributes and instruments",
            docs::observability(),
        ),
    ]
}

/// `generated.json`: every generated file, where it comes from, and how to regenerate.
fn manifest(files: &[(&'static str, &'static str, String)]) -> String {
    let entries: Vec<serde_json::Value> = files
        .iter()
        .map(|(path, from, _)| serde_json::json!({"path": path, "from": from}))
        .collect();
    let doc = serde_json::json!({
        "description": "Files generated from core by core/tests/generated (one module per language). Do not edit them: change core and regenerate.",
        "regenerate": "make generate",
        "check": "cargo test -p paystar --test generated (part of make test)",
        "files": entries,
    });
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap())
}

/// `.gitattributes`: the generated files, collapsed in reviews and left out of language stats.
fn gitattributes(files: &[(&'static str, &'static str, String)]) -> String {
    let mut out = String::from(
        "# Generated by core/tests/generated (generated.json lists them): do not edit by hand.\n",
    );
    for (path, _, _) in files {
        out.push_str(&format!("/{path} linguist-generated=true\n"));
    }
    out
}

#[test]
fn generated_surfaces_match_core() {
    let regenerate = std::env::var_os("PAYSTAR_REGENERATE").is_some();
    let files = outputs();
    let mut all: Vec<(String, String)> = files
        .iter()
        .map(|(p, _, text)| ((*p).to_owned(), text.clone()))
        .collect();
    all.push(("generated.json".into(), manifest(&files)));
    all.push((".gitattributes".into(), gitattributes(&files)));
    let mut stale = Vec::new();
    for (path, new) in all {
        let full = root().join(&path);
        let old = std::fs::read_to_string(&full).unwrap_or_default();
        if old != new {
            if regenerate {
                if let Some(dir) = full.parent() {
                    std::fs::create_dir_all(dir).unwrap();
                }
                std::fs::write(&full, new).unwrap_or_else(|e| panic!("{path}: {e}"));
            } else {
                stale.push(path);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated from core, and out of date: {stale:?}\n\
         regenerate with: PAYSTAR_REGENERATE=1 cargo test -p paystar --test generated (make generate)"
    );
}

/// No hand-written file carries generated lines any more: generation is whole files only.
#[test]
fn no_file_splices_generated_code() {
    let out = std::process::Command::new("git")
        .args([
            "grep",
            "-l",
            "BEGIN GENERATED",
            "--",
            ":!core/tests/generated",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let found = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        found.is_empty(),
        "files with BEGIN GENERATED blocks: {found}"
    );
}
