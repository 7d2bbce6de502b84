//! Node: the TypeScript request types and unions (`bindings-node/types.d.ts`) and the error
//! classes (`bindings-node/lib/errors.js`, `bindings-node/lib/errors.d.ts`).

use std::fmt::Write as _;

use paystar::models::input::{Ty, shape};
use paystar::{Case, ErrorCode, Operation, Rule};

use crate::shapes;

pub(crate) fn ts_type(ty: &Ty) -> String {
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

/// `bindings-node/types.d.ts`: the request interfaces and the unions of core's names.
pub(crate) fn typescript() -> String {
    let mut out = String::from(
        "// Types of the `paystar` npm package's requests, and of core's names (error codes, rules,\n\
         // webhook reasons and schemes). Generated from core's schema by core/tests/generated: do\n\
         // not edit; index.d.ts re-exports them.\n\n\
         /** An RFC 3339 date-time string, e.g. '2026-12-01T17:00:00Z'. */\nexport type DateTimeString = string;\n",
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
    ts_options(
        &mut out,
        "CoreClientOptions",
        "The client options core reads (`ClientOptions` adds `logger`); durations in milliseconds.",
        paystar::bridge::CLIENT_OPTIONS,
    );
    ts_options(
        &mut out,
        "CoreCallOptions",
        "The per-call options core reads (`CallOptions` adds `signal`); durations in milliseconds.",
        paystar::bridge::CALL_OPTIONS,
    );
    out
}

/// An interface of options from core's specs.
fn ts_options(out: &mut String, name: &str, doc: &str, specs: &[paystar::bridge::OptionSpec]) {
    use paystar::bridge::OptionKind;
    let _ = writeln!(out, "\n/** {doc} */\nexport interface {name} {{");
    for o in specs {
        let ty = match o.kind {
            OptionKind::Text | OptionKind::Secret => "string".to_owned(),
            OptionKind::Choice(names) => names
                .iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(" | "),
            OptionKind::Duration | OptionKind::Count => "number".to_owned(),
            OptionKind::Flag => "boolean".to_owned(),
        };
        let _ = writeln!(
            out,
            "  /** {} */\n  {}?: {ty};",
            o.doc,
            Case::Camel.convert(o.name)
        );
    }
    out.push_str("}\n");
}

/// TypeScript's type of an error attribute.
fn ts_attribute_type(ty: paystar::bridge::AttributeType) -> &'static str {
    use paystar::bridge::AttributeType as T;
    match ty {
        T::Text => "string",
        T::OptionalText => "string | null",
        T::Flag => "boolean",
        T::Count => "number",
        T::OptionalStatus | T::OptionalDuration => "number | null",
        T::FieldErrors => "FieldError[]",
        T::GatewayErrors => "GatewayError[]",
    }
}

/// An attribute's line of documentation in Node's words (milliseconds for a duration).
fn node_doc(a: &paystar::bridge::ErrorAttribute) -> String {
    if a.ty == paystar::bridge::AttributeType::OptionalDuration {
        format!("{} In milliseconds.", a.doc)
    } else {
        a.doc.to_owned()
    }
}

/// `bindings-node/lib/errors.js`: `PaystarError` with every attribute of core's error value,
/// one class per `ErrorCode`, and the conversion of native errors. A code this version does
/// not know becomes an `InternalError`.
pub(crate) fn node_errors_js() -> String {
    use paystar::bridge::{AttributeType, ERROR_ATTRIBUTES};
    let mut out = String::from(
        "'use strict';\n// paystar's error classes: one per core error code, every attribute from core's error value\n\
         // (`paystar::bridge::error_value`). Generated from core's error codes and attributes by\n\
         // core/tests/generated: do not edit.\n\nconst native = require('../native.js');\n\n\
         const MARK = '\\u0001paystar:';\n\n\
         /** Base class of every paystar error; `code` is stable. Never contains the API key. */\n\
         class PaystarError extends Error {\n  constructor(message, info = {}) {\n    super(message);\n    \
         Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });\n",
    );
    for a in ERROR_ATTRIBUTES.iter().filter(|a| a.name != "Message") {
        let name = Case::Camel.convert(a.name);
        let default = match (a.name, a.ty) {
            ("Code", _) => "new.target.code",
            (_, AttributeType::Flag) => "false",
            (_, AttributeType::Count) => "0",
            (_, AttributeType::FieldErrors | AttributeType::GatewayErrors) => "[]",
            _ => "null",
        };
        let _ = writeln!(
            out,
            "    /** {} */\n    this.{name} = info.{name} ?? {default};",
            node_doc(a)
        );
    }
    out.push_str("  }\n}\n\nconst classes = {};\nfunction define(name, code) {\n  const cls = { [name]: class extends PaystarError {} }[name];\n  cls.code = code;\n  classes[code] = cls;\n  return cls;\n}\n");
    for code in ErrorCode::ALL {
        let _ = writeln!(
            out,
            "/** {} */\nconst {s}Error = define('{s}Error', '{}');",
            code.summary(),
            code.as_str(),
            s = code.class_stem()
        );
    }
    out.push_str(
        "\n/** The payload of a marked native error, or null for any other error. */\nfunction nativePayload(e) {\n  \
         const m = e && typeof e.message === 'string' ? e.message : '';\n  \
         return m.startsWith(MARK) ? JSON.parse(m.slice(MARK.length)) : null;\n}\n\n\
         /** The error (not thrown) for core's error value; an unknown code is an InternalError. */\n\
         function toError(payload) {\n  const cls = classes[payload.code] ?? InternalError;\n  \
         return new cls(payload.message ?? payload.code, payload);\n}\n\n\
         /** Runs a native function, turning a marked native error into its class. */\nfunction native_(fn) {\n  \
         try {\n    return fn();\n  } catch (e) {\n    const payload = nativePayload(e);\n    \
         throw payload ? toError(payload) : e;\n  }\n}\n\nmodule.exports = {\n  native,\n  native_,\n  toError,\n  classes,\n  PaystarError,\n",
    );
    for code in ErrorCode::ALL {
        let _ = writeln!(out, "  {}Error,", code.class_stem());
    }
    out.push_str("};\n");
    out
}

/// `bindings-node/lib/errors.d.ts`: the declarations of those classes.
pub(crate) fn node_errors_dts() -> String {
    use paystar::bridge::ERROR_ATTRIBUTES;
    let mut out = String::from(
        "// Declarations of paystar's error classes. Generated from core's error codes and attributes\n\
         // by core/tests/generated: do not edit; index.d.ts re-exports them.\n\n\
         import type { ErrorCode, Rule, WebhookReason } from '../types';\n\n\
         /** One broken rule: `path` is the wire path (`Charges[1].Amount`). */\n\
         export interface FieldError {\n  path: string;\n  rule: Rule;\n  message: string;\n}\n\n\
         /** One item of the gateway's `errors` list, kept verbatim in `raw`. */\n\
         export interface GatewayError {\n  propertyName: string | null;\n  errorMessage: string;\n  raw: unknown;\n}\n\n\
         /** Base class of every paystar error; `code` is stable. Never contains the API key. */\n\
         export declare class PaystarError extends Error {\n",
    );
    for a in ERROR_ATTRIBUTES.iter().filter(|a| a.name != "Message") {
        let ty = match a.name {
            "Code" => "ErrorCode",
            "Reason" => "WebhookReason | null",
            _ => ts_attribute_type(a.ty),
        };
        let _ = writeln!(
            out,
            "  /** {} */\n  readonly {}: {ty};",
            node_doc(a),
            Case::Camel.convert(a.name)
        );
    }
    out.push_str("}\n");
    for code in ErrorCode::ALL {
        let s = code.class_stem();
        if code == ErrorCode::Webhook {
            let _ = write!(
                out,
                "\n/** {} */\nexport declare class {s}Error extends PaystarError {{\n  readonly code: '{}';\n  readonly reason: WebhookReason;\n  readonly responseStatus: number;\n}}\n",
                code.summary(),
                code.as_str()
            );
        } else {
            let _ = write!(
                out,
                "\n/** {} */\nexport declare class {s}Error extends PaystarError {{\n  readonly code: '{}';\n}}\n",
                code.summary(),
                code.as_str()
            );
        }
    }
    out
}
