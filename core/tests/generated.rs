//! Every binding's typed request surface, generated from core's one schema
//! (`paystar::models::input::shape`) and core's lists (options, error codes, rules):
//!
//! - Python: `paystar/types.py` (TypedDicts) and the operation overloads and constructor of
//!   `paystar/_native.pyi`;
//! - Node: the request interfaces, `ErrorCode` and `Rule` of `index.d.ts`;
//! - Kotlin/Java: the uniffi request records (`bindings-kotlin/src/records.rs`) and the Java
//!   builders (`Builders.kt`).
//!
//! This test fails when a committed file differs from what core generates (drift), saying how
//! to regenerate: `PAYSTAR_REGENERATE=1 cargo test -p paystar --test generated` (or
//! `make generate`). Parts of hand-written files sit between `BEGIN GENERATED` / `END
//! GENERATED` marker lines.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use paystar::bridge::CLIENT_OPTIONS;
use paystar::models::input::{Shape, Ty, shape};
use paystar::{Case, ErrorCode, Operation, Rule};

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

// ---------------------------------------------------------------- Python

fn py_type(ty: &Ty) -> String {
    match ty {
        Ty::Str => "str".into(),
        Ty::Int => "int".into(),
        Ty::Bool => "bool".into(),
        Ty::DateTime => "DateTime".into(),
        Ty::Obj(s) => s.name.into(),
        Ty::List(t) => format!("list[{}]", py_type(t)),
        Ty::StrMap => "dict[str, str]".into(),
        Ty::Json => "dict[str, Any]".into(),
    }
}

/// A TypedDict: a `_<Name>Required` base for the required keys, the optional ones total=False.
fn py_typeddict(name: &str, base: &str, s: &Shape, out: &mut String) {
    let required: Vec<_> = s.fields.iter().filter(|f| f.required).collect();
    let parent = if required.is_empty() {
        "TypedDict".to_owned()
    } else {
        format!("_{base}Required")
    };
    let _ = writeln!(
        out,
        "\n\nclass {name}({parent}, total=False):\n    \"\"\"{}\"\"\"\n",
        s.doc
    );
    for f in s.fields.iter().filter(|f| !f.required) {
        let _ = writeln!(
            out,
            "    {}: {}\n    \"\"\"{}\"\"\"",
            Case::Snake.convert(f.wire),
            py_type(&f.ty),
            f.doc
        );
    }
}

fn python_types() -> String {
    let mut names: Vec<String> = shapes()
        .iter()
        .filter(|s| {
            !Operation::ALL
                .iter()
                .any(|op| std::ptr::eq(shape(*op), **s))
        })
        .map(|s| s.name.to_owned())
        .collect();
    names.extend(Operation::ALL.iter().map(|op| params_name(*op)));
    names.sort();
    let mut out = String::from(
        "\"\"\"Typed shapes of the request keyword arguments (for mypy / pyright; plain dicts at runtime).\n\n\
         Generated from core's request schema by core/tests/generated.rs: do not edit. Keys are the\n\
         wire names in snake_case (``ClientUser.EmailAddress`` -> ``client_user`` /\n\
         ``email_address``), except inside ``payment_fields`` and ``extra``, whose keys are data and\n\
         are sent as given. Amounts are integer cents.\n\"\"\"\n\n\
         from __future__ import annotations\n\nimport datetime\nfrom typing import Any, TypedDict, Union\n\n__all__ = [\n",
    );
    for n in &names {
        let _ = writeln!(out, "    \"{n}\",");
    }
    out.push_str(
        "]\n\nDateTime = Union[str, datetime.datetime, datetime.date]\n\
         \"\"\"An RFC 3339 string, or a ``datetime``/``date`` (sent as ISO 8601).\"\"\"\n",
    );
    let mut bases_done = Vec::new();
    let mut emit_base = |s: &Shape, out: &mut String| {
        if s.fields.iter().any(|f| f.required) && !bases_done.contains(&s.name) {
            bases_done.push(s.name);
            let _ = writeln!(out, "\n\nclass _{}Required(TypedDict):", s.name);
            for f in s.fields.iter().filter(|f| f.required) {
                let _ = writeln!(
                    out,
                    "    {}: {}\n    \"\"\"{}\"\"\"",
                    Case::Snake.convert(f.wire),
                    py_type(&f.ty),
                    f.doc
                );
            }
        }
    };
    for s in shapes() {
        if Operation::ALL.iter().any(|op| std::ptr::eq(shape(*op), s)) {
            continue;
        }
        emit_base(s, &mut out);
        py_typeddict(s.name, s.name, s, &mut out);
    }
    for op in Operation::ALL {
        let s = shape(op);
        emit_base(s, &mut out);
        py_typeddict(&params_name(op), s.name, s, &mut out);
    }
    // One newline at the end, as ruff formats it (the last class may have no optional keys).
    format!("{}\n", out.trim_end())
}

/// Python types of the client options (core's list; an option without a type here fails).
fn py_option_type(wire: &str) -> &'static str {
    match wire {
        "Timeout" | "ConnectTimeout" | "Deadline" => "Optional[float]",
        "MaxRetries" => "Optional[int]",
        "ClientValidation" => "Optional[bool]",
        "ApiKey" | "Environment" | "BaseUrl" | "UserAgentSuffix" | "Proxy" => "Optional[str]",
        other => panic!("client option {other} has no Python type in core/tests/generated.rs"),
    }
}

fn python_client(is_async: bool) -> String {
    let mut out = String::from(
        "    def __new__(\n        cls,\n        api_key: Optional[str] = None,\n        *,\n",
    );
    for o in CLIENT_OPTIONS.iter().filter(|o| **o != "ApiKey") {
        let _ = writeln!(
            out,
            "        {}: {} = None,",
            Case::Snake.convert(o),
            py_option_type(o)
        );
    }
    out.push_str("    ) -> Self: ...\n");
    let def = if is_async { "async def" } else { "def" };
    for op in Operation::ALL {
        let params = params_name(op);
        let result = result_class(op);
        let _ = write!(
            out,
            "    @overload\n    {def} {name}(\n        self,\n        params: None = None,\n        /,\n        *,\n        \
             timeout: Optional[float] = None,\n        max_retries: Optional[int] = None,\n        \
             **fields: Unpack[{params}],\n    ) -> {result}: ...\n    @overload\n    {def} {name}(\n        self,\n        \
             params: {params},\n        /,\n        *,\n        timeout: Optional[float] = None,\n        \
             max_retries: Optional[int] = None,\n    ) -> {result}: ...\n",
            name = op.name(),
        );
    }
    out
}

// ---------------------------------------------------------------- TypeScript

fn ts_type(ty: &Ty) -> String {
    match ty {
        Ty::Str => "string".into(),
        Ty::Int => "number".into(),
        Ty::Bool => "boolean".into(),
        Ty::DateTime => "DateTimeString".into(),
        Ty::Obj(s) => s.name.into(),
        Ty::List(t) => format!("{}[]", ts_type(t)),
        Ty::StrMap => "Record<string, string>".into(),
        Ty::Json => "Record<string, unknown>".into(),
    }
}

fn typescript() -> String {
    let mut out = String::from(
        "/** An RFC 3339 date-time string, e.g. '2026-12-01T17:00:00Z'. */\nexport type DateTimeString = string;\n",
    );
    for s in shapes() {
        let _ = writeln!(out, "\n/** {} */\nexport interface {} {{", s.doc, s.name);
        for f in s.fields {
            let opt = if f.required { "" } else { "?" };
            let _ = writeln!(
                out,
                "  /** {} */\n  {}{opt}: {};",
                f.doc,
                Case::Camel.convert(f.wire),
                ts_type(&f.ty)
            );
        }
        out.push_str("}\n");
    }
    out.push('\n');
    for op in Operation::ALL {
        let Some(kind) = op.kind() else { continue };
        let k = kind.as_str();
        let alias = format!("{}{}SessionRequest", k[..1].to_uppercase(), &k[1..]);
        if alias != shape(op).name {
            let _ = writeln!(
                out,
                "/** The request of {}. */\nexport type {alias} = {};",
                op.name(),
                shape(op).name
            );
        }
    }
    let union = |items: Vec<&str>| {
        items
            .iter()
            .map(|i| format!("\n  | '{i}'"))
            .collect::<String>()
    };
    let _ = write!(
        out,
        "\n/** Every error code (`PaystarError.code`). */\nexport type ErrorCode ={};\n\n\
         /** Every field-error rule (`FieldError.rule`). */\nexport type Rule ={};\n\n\
         /** Every reason a webhook is refused (`WebhookError.reason`). */\nexport type WebhookReason ={};\n\n\
         /** Every webhook authentication scheme. */\nexport type WebhookScheme ={};\n",
        union(ErrorCode::ALL.iter().map(|c| c.as_str()).collect()),
        union(Rule::ALL.iter().map(|r| r.as_str()).collect()),
        union(
            paystar::webhook::WebhookReason::ALL
                .iter()
                .map(|r| r.as_str())
                .collect()
        ),
        union(
            paystar::webhook::Scheme::ALL
                .iter()
                .map(|s| s.as_str())
                .collect()
        ),
    );
    out
}

// ---------------------------------------------------------------- Kotlin (uniffi records, builders)

fn rust_type(ty: &Ty) -> String {
    match ty {
        Ty::Str | Ty::DateTime => "String".into(),
        Ty::Int => "i64".into(),
        Ty::Bool => "bool".into(),
        Ty::Obj(s) => s.name.into(),
        Ty::List(t) => format!("Vec<{}>", rust_type(t)),
        Ty::StrMap => "HashMap<String, String>".into(),
        Ty::Json => unreachable!("Extra crosses as JSON text"),
    }
}

fn kotlin_records() -> String {
    let mut out = String::new();
    for s in shapes() {
        let _ = writeln!(
            out,
            "\n/// {}\n#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]\n\
             #[serde(rename_all = \"PascalCase\", deny_unknown_fields)]\npub struct {} {{",
            s.doc, s.name
        );
        for f in s.fields {
            let name = Case::Snake.convert(f.wire);
            if matches!(f.ty, Ty::Json) && f.required {
                let _ = writeln!(
                    out,
                    "    /// {} (a JSON object, as text)\n    #[serde(skip)]\n    pub {name}_json: String,",
                    f.doc.trim_end_matches('.')
                );
            } else if matches!(f.ty, Ty::Json) {
                let _ = writeln!(
                    out,
                    "    /// {} (a JSON object, as text)\n    #[uniffi(default)]\n    #[serde(skip)]\n    pub {name}_json: Option<String>,",
                    f.doc.trim_end_matches('.')
                );
            } else if f.required {
                let _ = writeln!(
                    out,
                    "    /// {}\n    pub {name}: {},",
                    f.doc,
                    rust_type(&f.ty)
                );
            } else {
                let _ = writeln!(
                    out,
                    "    /// {}\n    #[uniffi(default)]\n    pub {name}: Option<{}>,",
                    f.doc,
                    rust_type(&f.ty)
                );
            }
        }
        out.push_str("}\n");
    }
    out
}

fn kotlin_type(ty: &Ty) -> String {
    match ty {
        Ty::Str | Ty::DateTime => "String".into(),
        Ty::Int => "Long".into(),
        Ty::Bool => "Boolean".into(),
        Ty::Obj(s) => s.name.into(),
        Ty::List(t) => format!("List<{}>", kotlin_type(t)),
        Ty::StrMap => "Map<String, String>".into(),
        Ty::Json => "String".into(),
    }
}

fn kotlin_builders() -> String {
    let mut out = String::from(
        "// Generated from core's request schema by core/tests/generated.rs: do not edit.\n\
         @file:Suppress(\"unused\")\n\npackage io.paystar\n",
    );
    for s in shapes() {
        let prop = |f: &paystar::models::input::Field| {
            if matches!(f.ty, Ty::Json) {
                format!("{}Json", Case::Camel.convert(f.wire))
            } else {
                Case::Camel.convert(f.wire)
            }
        };
        let required: Vec<_> = s.fields.iter().filter(|f| f.required).collect();
        let params: Vec<String> = required
            .iter()
            .map(|f| format!("private val {}: {}", prop(f), kotlin_type(&f.ty)))
            .collect();
        let _ = writeln!(
            out,
            "\n/**\n * Builds a [{name}] (for Java callers): the required fields in the constructor, the others\n * by setters, then [build]. {}\n */\nclass {name}Builder({}) {{",
            s.doc,
            params.join(", "),
            name = s.name
        );
        for f in s.fields.iter().filter(|f| !f.required) {
            let _ = writeln!(
                out,
                "    private var {}: {}? = null",
                prop(f),
                kotlin_type(&f.ty)
            );
        }
        for f in s.fields.iter().filter(|f| !f.required) {
            let p = prop(f);
            let _ = writeln!(
                out,
                "\n    /** {} */\n    fun {p}(value: {}?): {}Builder = apply {{ {p} = value }}",
                f.doc,
                kotlin_type(&f.ty),
                s.name
            );
        }
        let args: Vec<String> = s
            .fields
            .iter()
            .map(|f| format!("{p} = {p}", p = prop(f)))
            .collect();
        let _ = writeln!(
            out,
            "\n    /** The [{}]. */\n    fun build(): {} = {}({})\n}}",
            s.name,
            s.name,
            s.name,
            args.join(", ")
        );
    }
    out
}

// ---------------------------------------------------------------- files

/// `text` with the lines between `BEGIN GENERATED` and `END GENERATED` markers (tagged `tag`)
/// replaced by `body`.
fn splice(text: &str, tag: &str, body: &str) -> String {
    let begin = format!("BEGIN GENERATED {tag}");
    let end = format!("END GENERATED {tag}");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("no marker {begin}"));
    let start = text[start..]
        .find('\n')
        .map(|i| start + i + 1)
        .unwrap_or(text.len());
    let stop = text[start..]
        .find(&end)
        .unwrap_or_else(|| panic!("no marker {end}"))
        + start;
    let stop = text[..stop].rfind('\n').map_or(stop, |i| i + 1);
    format!("{}{}{}", &text[..start], body, &text[stop..])
}

/// Each generated file: its path, and its text generated from the current one.
fn outputs() -> Vec<(PathBuf, String, String)> {
    let r = root();
    let read = |p: &str| std::fs::read_to_string(r.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let mut out = Vec::new();
    let mut add = |p: &str, new: String| out.push((r.join(p), read(p), new));
    add("bindings-python/python/paystar/types.py", python_types());
    let pyi = read("bindings-python/python/paystar/_native.pyi");
    let pyi = splice(&pyi, "Client", &python_client(false));
    add(
        "bindings-python/python/paystar/_native.pyi",
        splice(&pyi, "AsyncClient", &python_client(true)),
    );
    add(
        "bindings-node/index.d.ts",
        splice(&read("bindings-node/index.d.ts"), "requests", &typescript()),
    );
    add(
        "bindings-kotlin/src/records.rs",
        splice(
            &read("bindings-kotlin/src/records.rs"),
            "records",
            &kotlin_records(),
        ),
    );
    add(
        "bindings-kotlin/src/main/kotlin/io/paystar/Builders.kt",
        kotlin_builders(),
    );
    out
}

#[test]
fn generated_surfaces_match_core() {
    let regenerate = std::env::var_os("PAYSTAR_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, old, new) in outputs() {
        if old != new {
            if regenerate {
                std::fs::write(&path, new).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated from core's schema, and out of date: {stale:?}\n\
         regenerate with: PAYSTAR_REGENERATE=1 cargo test -p paystar --test generated (make generate)"
    );
}
