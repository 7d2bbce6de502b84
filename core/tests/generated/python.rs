//! Python: the request TypedDicts (`paystar/types.py`), the clients' stubs
//! (`paystar/_client.pyi`) and the error classes (`paystar/_errors.py`).

use std::fmt::Write as _;

use paystar::bridge::{CLIENT_OPTIONS, OptionKind};
use paystar::models::input::{Shape, Ty, shape};
use paystar::{Case, Operation};

use crate::{params_name, result_class, shapes};

pub(crate) fn py_type(ty: &Ty) -> String {
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
pub(crate) fn py_typeddict(name: &str, base: &str, s: &Shape, out: &mut String) {
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

pub(crate) fn python_types() -> String {
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

/// The Python type of an option, from its kind in core's spec.
pub(crate) fn py_option_type(kind: OptionKind) -> &'static str {
    match kind {
        OptionKind::Duration => "Optional[float]",
        OptionKind::Count => "Optional[int]",
        OptionKind::Flag => "Optional[bool]",
        OptionKind::Text | OptionKind::Secret | OptionKind::Choice(_) => "Optional[str]",
    }
}

pub(crate) fn python_client(is_async: bool) -> String {
    let mut out = String::from(
        "    def __new__(\n        cls,\n        api_key: Optional[str] = None,\n        *,\n",
    );
    for o in CLIENT_OPTIONS.iter().filter(|o| o.name != "ApiKey") {
        let _ = writeln!(
            out,
            "        {}: {} = None,",
            Case::Snake.convert(o.name),
            py_option_type(o.kind)
        );
    }
    out.push_str("    ) -> Self: ...\n");
    let def = if is_async { "async def" } else { "def" };
    let call_options: String = paystar::bridge::CALL_OPTIONS
        .iter()
        .map(|o| {
            format!(
                "        {}: {} = None,\n",
                Case::Snake.convert(o.name),
                py_option_type(o.kind)
            )
        })
        .collect();
    for op in Operation::ALL {
        let params = params_name(op);
        let result = result_class(op);
        let _ = write!(
            out,
            "    @overload\n    {def} {name}(\n        self,\n        params: None = None,\n        /,\n        *,\n\
             {call_options}        **fields: Unpack[{params}],\n    ) -> {result}: ...\n    @overload\n    {def} {name}(\n        self,\n        \
             params: {params},\n        /,\n        *,\n{call_options}    ) -> {result}: ...\n",
            name = op.name(),
        );
    }
    out
}

/// Python's `_client.pyi`: the stubs of `paystar.Client` and `paystar.AsyncClient` (the
/// native classes), their constructors' options and one pair of overloads per operation.
pub(crate) fn python_client_stub() -> String {
    let mut out = String::from(
        "\"\"\"Stubs of the clients (the native ``paystar._native.Client`` and ``AsyncClient``).\n\n\
         Generated from core's schema and option list by core/tests/generated: do not edit.\n\"\"\"\n\n\
         from typing import Optional, final, overload\n\n\
         from typing_extensions import Self, Unpack\n\n\
         from paystar._session import EventReceipt, Session\nfrom paystar.types import (\n",
    );
    let mut params: Vec<String> = Operation::ALL.iter().map(|op| params_name(*op)).collect();
    params.sort();
    for p in &params {
        let _ = writeln!(out, "    {p},");
    }
    out.push_str(")\n\n__all__ = [\"AsyncClient\", \"Client\"]\n");
    for (class, doc, is_async) in [
        (
            "Client",
            "The synchronous client (thread-safe; the GIL is released during network waits).",
            false,
        ),
        (
            "AsyncClient",
            "The asyncio client: every operation is a coroutine run on paystar's shared runtime.",
            true,
        ),
    ] {
        let _ = write!(
            out,
            "\n@final\nclass {class}:\n    \"\"\"{doc}\"\"\"\n\n{}    @property\n    def base_url(self) -> str: ...\n    \
             @property\n    def events_base_url(self) -> str: ...\n    @property\n    \
             def environment(self) -> Optional[str]: ...\n    @property\n    \
             def loader_url(self) -> Optional[str]: ...\n    def close(self) -> None: ...\n",
            python_client(is_async)
        );
        // Opens a connection ahead of the first call (core's `Client::warm_up`).
        out.push_str(if is_async {
            "    async def warm_up(self) -> int: ...\n"
        } else {
            "    def warm_up(self) -> int: ...\n"
        });
        if is_async {
            out.push_str(
                "    async def aclose(self) -> None: ...\n    async def __aenter__(self) -> Self: ...\n    \
                 async def __aexit__(self, *_args: object) -> None: ...\n",
            );
        } else {
            out.push_str(
                "    def __enter__(self) -> Self: ...\n    def __exit__(\n        self,\n        *_args: object,\n    ) -> None: ...\n",
            );
        }
    }
    out
}

/// Python's type of an error attribute.
fn py_attribute_type(ty: paystar::bridge::AttributeType) -> &'static str {
    use paystar::bridge::AttributeType as T;
    match ty {
        T::Text => "str",
        T::OptionalText => "Optional[str]",
        T::Flag => "bool",
        T::Count => "int",
        T::OptionalStatus => "Optional[int]",
        T::OptionalDuration => "Optional[float]",
        T::FieldErrors => "tuple[FieldError, ...]",
        T::GatewayErrors => "tuple[GatewayError, ...]",
    }
}

/// A Markdown-ish line (`code` in backticks) as reStructuredText for a docstring.
fn rst(doc: &str) -> String {
    doc.replace('`', "``")
}

/// `text` as a docstring at `indent` spaces, wrapped within 100 columns (ruff's limit).
fn docstring(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut lines: Vec<String> = vec![String::new()];
    let mut width = indent + 3;
    for word in text.split_whitespace() {
        let last = lines.last_mut().unwrap();
        if !last.is_empty() && width + 1 + word.len() > 96 {
            lines.push(word.to_owned());
            width = indent + word.len();
        } else {
            if !last.is_empty() {
                last.push(' ');
                width += 1;
            }
            last.push_str(word);
            width += word.len();
        }
    }
    format!("{pad}\"\"\"{}\"\"\"", lines.join(&format!("\n{pad}")))
}

/// Python's `_errors.py`: `PaystarError` with every attribute core's error value has, and one
/// subclass per `ErrorCode` (`TimeoutError` and `ConnectionError` also subclass the builtins
/// of those names; the input and webhook errors, `ValueError`).
pub(crate) fn python_errors() -> String {
    use paystar::ErrorCode;
    use paystar::bridge::{AttributeType, ERROR_ATTRIBUTES};
    let mut out = String::from(
        "\"\"\"Exceptions raised by paystar: one class per core error ``code``.\n\n\
         Generated from core's error codes and attributes by core/tests/generated: do not edit.\n\
         Every exception is a :class:`PaystarError` with the same attributes; catch the base class,\n\
         or a subclass for one kind. :class:`TimeoutError` and :class:`ConnectionError` also subclass\n\
         Python's builtins of the same name, so ``except TimeoutError`` (builtin) catches paystar's too.\n\
         A code this version does not know becomes an :class:`InternalError`.\n\"\"\"\n\n\
         from __future__ import annotations\n\nimport builtins\nfrom dataclasses import dataclass\n\
         from typing import Any, ClassVar, Optional\n\n__all__ = [\n",
    );
    let mut names: Vec<String> = ErrorCode::ALL
        .iter()
        .map(|c| format!("{}Error", c.class_stem()))
        .chain(["FieldError", "GatewayError", "PaystarError"].map(String::from))
        .collect();
    names.sort();
    for n in &names {
        let _ = writeln!(out, "    \"{n}\",");
    }
    out.push_str(
        "]\n\n\n@dataclass(frozen=True)\nclass FieldError:\n    \"\"\"One broken rule: ``path`` is the wire path (``Charges[1].Amount``).\"\"\"\n\n    \
         path: str\n    rule: str\n    message: str\n\n\n@dataclass(frozen=True)\nclass GatewayError:\n    \
         \"\"\"One item of the gateway's ``errors`` list, kept verbatim in ``raw``.\"\"\"\n\n    \
         property_name: Optional[str]\n    error_message: str\n    raw: Any\n\n\n\
         class PaystarError(Exception):\n    \"\"\"Base class of every paystar error. ``str(e)`` is the message; never contains the key.\"\"\"\n\n    \
         code: str\n    \"\"\"Stable code: ``validation_error``, ``timeout``, ... (see ``paystar.ERROR_CODES``).\"\"\"\n    \
         default_code: ClassVar[str] = \"\"\n\n    def __init__(\n        self,\n        message: str,\n        *,\n",
    );
    let rest: Vec<_> = ERROR_ATTRIBUTES
        .iter()
        .filter(|a| a.name != "Message")
        .collect();
    for a in &rest {
        let name = Case::Snake.convert(a.name);
        let (ty, default) = match (a.name, a.ty) {
            ("Code", _) => ("Optional[str]", "None"),
            (_, AttributeType::Flag) => ("bool", "False"),
            (_, AttributeType::Count) => ("int", "0"),
            (_, AttributeType::FieldErrors) => ("tuple[FieldError, ...]", "()"),
            (_, AttributeType::GatewayErrors) => ("tuple[GatewayError, ...]", "()"),
            (_, t) => (py_attribute_type(t), "None"),
        };
        let _ = writeln!(out, "        {name}: {ty} = {default},");
    }
    out.push_str(
        "    ) -> None:\n        super().__init__(message)\n        self.message = message\n",
    );
    for a in &rest {
        let name = Case::Snake.convert(a.name);
        let value = match a.ty {
            _ if a.name == "Code" => "code or self.default_code".to_owned(),
            AttributeType::FieldErrors | AttributeType::GatewayErrors => format!("tuple({name})"),
            _ => name.clone(),
        };
        let doc = if a.ty == AttributeType::OptionalDuration {
            format!("{} In seconds.", rst(a.doc))
        } else {
            rst(a.doc)
        };
        let _ = writeln!(out, "        self.{name} = {value}\n{}", docstring(&doc, 8));
    }
    out.push_str(
        "\n    def __str__(self) -> str:\n        return self.message\n\n    def __repr__(self) -> str:\n        \
         extra = f\", status={self.status}\" if self.status is not None else \"\"\n        \
         extra += f\", reason={self.reason!r}\" if self.reason is not None else \"\"\n        \
         return f\"{type(self).__name__}(code={self.code!r}, message={self.message!r}{extra})\"\n\n    \
         def __reduce__(self) -> Any:\n        kwargs = {\n",
    );
    for a in &rest {
        let name = Case::Snake.convert(a.name);
        let _ = writeln!(out, "            \"{name}\": self.{name},");
    }
    out.push_str(
        "        }\n        return (_rebuild, (type(self), self.message, kwargs))\n\n\n\
         def _rebuild(cls: type[PaystarError], message: str, kwargs: dict[str, Any]) -> PaystarError:\n    \
         return cls(message, **kwargs)\n",
    );
    for code in ErrorCode::ALL {
        let extra = match code {
            ErrorCode::Timeout => ", builtins.TimeoutError",
            ErrorCode::Connection => ", builtins.ConnectionError",
            ErrorCode::Validation | ErrorCode::Configuration | ErrorCode::Webhook => ", ValueError",
            _ => "",
        };
        let _ = write!(
            out,
            "\n\nclass {}Error(PaystarError{extra}):\n{}\n\n    default_code = \"{}\"\n",
            code.class_stem(),
            docstring(&rst(code.summary()), 4),
            code.as_str()
        );
    }
    out.push_str("\n\n_BY_CODE: dict[str, type[PaystarError]] = {\n");
    for code in ErrorCode::ALL {
        let _ = writeln!(
            out,
            "    \"{}\": {}Error,",
            code.as_str(),
            code.class_stem()
        );
    }
    out.push_str(
        "}\n\n\ndef _from_value(value: dict[str, Any]) -> PaystarError:\n    \
         \"\"\"The exception for one of core's error values (``paystar::bridge::error_value``).\"\"\"\n    \
         cls = _BY_CODE.get(value[\"code\"], InternalError)\n    \
         fields = tuple(FieldError(**f) for f in value.pop(\"field_errors\"))\n    \
         items = tuple(GatewayError(**a) for a in value.pop(\"api_errors\"))\n    \
         message = value.pop(\"message\")\n    \
         return cls(message, field_errors=fields, api_errors=items, **value)\n",
    );
    out
}
