//! Kotlin/Java: the uniffi request records (`bindings-kotlin/src/requests.rs`), the Java
//! builders (`Builders.kt`) and the exception classes (`PaystarException.kt`).

use std::fmt::Write as _;

use paystar::Case;
use paystar::models::input::Ty;

use crate::shapes;

pub(crate) fn rust_type(ty: &Ty) -> String {
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

/// `bindings-kotlin/src/requests.rs`: the request records, from core's schema.
pub(crate) fn kotlin_records() -> String {
    let mut out = String::from(
        "//! The request records (uniffi records that serialize to the wire shape). Generated from\n\
         //! core's request schema by core/tests/generated: do not edit.\n\n\
         use std::collections::HashMap;\n\nuse serde::{Deserialize, Serialize};\n",
    );
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

pub(crate) fn kotlin_type(ty: &Ty) -> String {
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

pub(crate) fn kotlin_builders() -> String {
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
        let optional: Vec<(String, String, &str)> = s
            .fields
            .iter()
            .filter(|f| !f.required)
            .map(|f| (prop(f), kotlin_type(&f.ty), f.doc))
            .collect();
        builder_setters(&mut out, "    ", &format!("{}Builder", s.name), &optional);
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

/// Kotlin's type of an error attribute (as the `ErrorInfo` record carries it).
fn kotlin_attribute_type(ty: paystar::bridge::AttributeType) -> &'static str {
    use paystar::bridge::AttributeType as T;
    match ty {
        T::Text => "String",
        T::OptionalText => "String?",
        T::Flag => "Boolean",
        T::Count => "Int",
        T::OptionalStatus => "Int?",
        T::OptionalDuration => "java.time.Duration?",
        T::FieldErrors => "List<FieldError>",
        T::GatewayErrors => "List<GatewayError>",
    }
}

/// `PaystarException.kt`: the sealed exception with every attribute of core's error value and
/// one subclass per `ErrorCode`; a code this version does not know becomes `Internal`.
pub(crate) fn kotlin_exceptions() -> String {
    use paystar::ErrorCode;
    use paystar::bridge::ERROR_ATTRIBUTES;
    let mut out = String::from(
        "// Generated from core's error codes and attributes by core/tests/generated: do not edit.\n\
         package io.paystar\n\nimport io.paystar.ffi.core.ErrorInfo\nimport io.paystar.ffi.NativeException\n\n\
         /**\n * Every paystar failure: one subclass per stable [code]. Never contains the API key.\n *\n\
         * ```\n * try { client.createWalletSession(request) }\n\
         * catch (e: PaystarException.Validation) { e.fieldErrors.forEach { println(\"${it.path}: ${it.message}\") } }\n\
         * catch (e: PaystarException) { log.warn(\"paystar {} (status {}, request id {})\", e.code, e.status, e.requestId) }\n\
         * ```\n */\nsealed class PaystarException(info: ErrorInfo) : RuntimeException(info.message) {\n",
    );
    for a in ERROR_ATTRIBUTES.iter().filter(|a| a.name != "Message") {
        let name = Case::Camel.convert(a.name);
        let _ = writeln!(
            out,
            "    /** {} */\n    val {name}: {} = info.{name}\n",
            a.doc,
            kotlin_attribute_type(a.ty)
        );
    }
    for code in ErrorCode::ALL {
        let _ = writeln!(
            out,
            "    /** `{}`: {} */\n    class {}\n    internal constructor(info: ErrorInfo) : PaystarException(info)\n",
            code.as_str(),
            code.summary(),
            code.class_stem()
        );
    }
    out.push_str(
        "    companion object {\n        /** The subclass for each core code. */\n        @JvmField\n        \
         val CLASSES: Map<String, Class<out PaystarException>> = mapOf(\n",
    );
    for code in ErrorCode::ALL {
        let _ = writeln!(
            out,
            "            \"{}\" to {}::class.java,",
            code.as_str(),
            code.class_stem()
        );
    }
    out.push_str("        )\n\n        internal fun of(info: ErrorInfo): PaystarException = when (info.code) {\n");
    for code in ErrorCode::ALL.iter().filter(|c| **c != ErrorCode::Internal) {
        let _ = writeln!(
            out,
            "            \"{}\" -> {}(info)",
            code.as_str(),
            code.class_stem()
        );
    }
    out.push_str(
        "            else -> Internal(info) // internal_error, or a code newer than this layer\n        }\n    }\n}\n\n\
         /** Core's error of [code] with [message], every attribute as core sets it. */\n\
         internal fun errorInfo(code: String, message: String): ErrorInfo = io.paystar.ffi.errorInfoFor(code, message)\n\n\
         /**\n * Runs a native call, turning its error into the [PaystarException] for its code, and a Rust\n\
         * panic that uniffi caught into [PaystarException.Internal]: nothing else escapes.\n */\n\
         internal inline fun <T> translated(block: () -> T): T =\n    try {\n        block()\n    \
         } catch (e: NativeException.Failure) {\n        throw PaystarException.of(e.info)\n    \
         } catch (e: io.paystar.ffi.InternalException) {\n        \
         throw PaystarException.of(errorInfo(\"internal_error\", \"paystar failed inside (a bug): ${e.message}\"))\n    }\n",
    );
    out
}

/// Kotlin's type of an option.
fn kotlin_option_type(kind: paystar::bridge::OptionKind) -> &'static str {
    use paystar::bridge::OptionKind;
    match kind {
        OptionKind::Text | OptionKind::Secret | OptionKind::Choice(_) => "String",
        OptionKind::Duration => "Duration",
        OptionKind::Count => "Int",
        OptionKind::Flag => "Boolean",
    }
}

/// One options data class from core's specs: every option a nullable property (a secret one
/// private and transient, never in `toString`), and `toNative` listing them for core.
fn kotlin_options_class(
    out: &mut String,
    name: &str,
    doc: &str,
    specs: &[paystar::bridge::OptionSpec],
    extra: &str,
) {
    use paystar::bridge::OptionKind;
    let _ = writeln!(
        out,
        "\n/**\n * {doc}\n */\ndata class {name} @JvmOverloads constructor("
    );
    for o in specs {
        let p = Case::Camel.convert(o.name);
        let ty = kotlin_option_type(o.kind);
        let _ = writeln!(out, "    /** {} */", o.doc);
        if o.kind == OptionKind::Secret {
            let _ = writeln!(
                out,
                "    // Private (no getter for Jackson) and transient (Gson and Java serialization skip it).\n    \
                 @field:Transient private val {p}: {ty}? = null,"
            );
        } else {
            let _ = writeln!(out, "    val {p}: {ty}? = null,");
        }
    }
    let shown: Vec<String> = specs
        .iter()
        .map(|o| {
            let p = Case::Camel.convert(o.name);
            if o.kind == OptionKind::Secret {
                format!("{p}=${{if ({p} == null) \"null\" else \"***\"}}")
            } else {
                format!("{p}=${p}")
            }
        })
        .collect();
    let pairs: Vec<String> = specs
        .iter()
        .map(|o| format!("\"{p}\" to {p}", p = Case::Camel.convert(o.name)))
        .collect();
    let _ = writeln!(
        out,
        ") {{\n    /** Every option; a secret one as `***` when set. */\n    \
         override fun toString(): String =\n        \"{name}({})\"\n\n    \
         /** The options as core reads them (camelCase names, durations in milliseconds). */\n    \
         internal fun toNative(): Map<String, OptionValue> = options(\n        {},\n    )\n{extra}{}}}",
        shown.join(", "),
        pairs.join(", "),
        kotlin_options_builder(name, specs),
    );
}

/// A builder's optional members, indented by `indent`: a `private var name: Type? = null` each,
/// then a documented setter returning `this_ty` (the request builders and the options'
/// `Builder` share it). `fields` are (property, Kotlin type, doc).
fn builder_setters(
    out: &mut String,
    indent: &str,
    this_ty: &str,
    fields: &[(String, String, &str)],
) {
    for (p, ty, _) in fields {
        let _ = writeln!(out, "{indent}private var {p}: {ty}? = null");
    }
    for (p, ty, doc) in fields {
        let _ = writeln!(
            out,
            "\n{indent}/** {doc} */\n{indent}fun {p}(value: {ty}?): {this_ty} = apply {{ {p} = value }}"
        );
    }
}

/// The Java-style builder of an options class (`PaystarConfig.builder().timeout(...).build()`):
/// one setter per option, documented as the option is; a secret is never shown by it either.
fn kotlin_options_builder(name: &str, specs: &[paystar::bridge::OptionSpec]) -> String {
    let mut b = format!(
        "\n    /** Builds a [{name}] one option at a time (for Java: `{name}.builder().build()`). */\n    \
         class Builder internal constructor() {{\n"
    );
    let options: Vec<(String, String, &str)> = specs
        .iter()
        .map(|o| {
            let ty = kotlin_option_type(o.kind).to_owned();
            (Case::Camel.convert(o.name), ty, o.doc)
        })
        .collect();
    builder_setters(&mut b, "        ", "Builder", &options);
    let args: Vec<String> = specs
        .iter()
        .map(|o| format!("{p} = {p}", p = Case::Camel.convert(o.name)))
        .collect();
    let _ = write!(
        b,
        "\n        /** The [{name}] with the options set so far (the rest at their defaults). */\n        \
         fun build(): {name} = {name}({})\n\n        \
         /** Never shows an option (a secret may be set). */\n        \
         override fun toString(): String = \"{name}.Builder\"\n    }}\n\n    \
         companion object {{\n        \
         /** A [Builder] with every option at its default. */\n        \
         @JvmStatic\n        fun builder(): Builder = Builder()\n    }}\n",
        args.join(", "),
    );
    b
}

/// `Options.kt`: `PaystarConfig` and `CallOptions` from core's option specs.
pub(crate) fn kotlin_options() -> String {
    let mut out = String::from(
        "// Generated from core's option specs (paystar::bridge::CLIENT_OPTIONS, CALL_OPTIONS) by\n\
         // core/tests/generated: do not edit.\n\
         package io.paystar\n\nimport io.paystar.ffi.OptionValue\nimport java.time.Duration\n",
    );
    kotlin_options_class(
        &mut out,
        "PaystarConfig",
        "Client options. `apiKey` defaults to `PAYSTAR_API_KEY`, `environment` to\n * \
         `PAYSTAR_ENVIRONMENT` or `development`; `baseUrl` points anywhere (plain http only to\n * \
         loopback, e.g. a [MockGateway]). A secret option (the key, the proxy URL) is write-only:\n * \
         no public property, getter or `toString()` shows it (Jackson, Gson or a debugger printing\n * \
         the config see none). A bad value is a [PaystarException.Configuration] at construction\n * \
         of the client, naming the option.",
        paystar::bridge::CLIENT_OPTIONS,
        "\n    /** This config with `apiKey` (unless one was given) and `baseUrl` set: a mock's. */\n    \
         internal fun boundTo(key: String, url: String) = copy(apiKey = apiKey ?: key, baseUrl = url)\n",
    );
    kotlin_options_class(
        &mut out,
        "CallOptions",
        "Per-call overrides of the client's `timeout` (per attempt) and `maxRetries`. A bad value (a\n * \
         negative [Duration], say) is a [PaystarException.Configuration] before anything is sent.",
        paystar::bridge::CALL_OPTIONS,
        "",
    );
    out
}
