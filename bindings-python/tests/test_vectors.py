"""Runs every case of tests/vectors/*.json through the Python API (see tests/README.md)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path
from typing import Any, Optional

import pytest

import paystar
from paystar import _native
from paystar.testing import MockGateway

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
DATA_KEYS = {"PaymentFields", "Extra", "Payload"}


def load() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(VECTORS.glob("*.json")):
        if path.name == "vectors.schema.json":
            continue
        cases.extend(json.loads(path.read_text())["cases"])
    return cases


CASES = load()


def snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def to_python(value: Any) -> Any:
    """PascalCase wire keys -> snake_case, except inside PaymentFields / Extra (data)."""
    if isinstance(value, dict):
        return {snake(k): (v if k in DATA_KEYS else to_python(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def method(client: paystar.Client, operation: str) -> Any:
    return getattr(client, operation)


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def run(case: dict[str, Any], gw: MockGateway) -> tuple[Any, Optional[paystar.PaystarError], int]:
    spec = case.get("client", {})
    kwargs: dict[str, Any] = {"base_url": gw.url}
    if spec.get("base_url") == "closed_port":
        kwargs["base_url"] = closed_port()
    elif "base_url" in spec:
        kwargs["base_url"] = spec["base_url"]
    if "timeout_ms" in spec:
        kwargs["timeout"] = spec["timeout_ms"] / 1000
    if "max_retries" in spec:
        kwargs["max_retries"] = spec["max_retries"]
    if "client_validation" in spec:
        kwargs["client_validation"] = spec["client_validation"]
    try:
        client = paystar.Client(spec.get("api_key", gw.api_key), **kwargs)
    except paystar.PaystarError as e:
        return None, e, 0
    for s in case.get("setup", []):
        method(client, s["operation"])(**to_python(s["input"]))
    skip = min(len(gw.requests), len(case.get("setup", [])))
    if case.get("script"):
        gw.script(case["script"])
    options = case.get("options", {})
    call_opts: dict[str, Any] = {}
    if "timeout_ms" in options:
        call_opts["timeout"] = options["timeout_ms"] / 1000
    if "max_retries" in options:
        call_opts["max_retries"] = options["max_retries"]
    request = to_python(case["input"])
    try:
        if isinstance(request, dict):
            session = method(client, case["operation"])(**call_opts, **request)
        else:  # not expressible as keywords: the positional form
            session = method(client, case["operation"])(request, **call_opts)
    except paystar.PaystarError as e:
        return None, e, skip
    return session, None, skip


def outcome(
    result: Optional[paystar.Session | paystar.EventReceipt],
    error: Optional[paystar.PaystarError],
) -> Any:
    """What came back, from the objects' attributes, for core's shared checks."""
    if isinstance(result, paystar.EventReceipt):
        return {"receipt": result.to_dict()}
    if result is not None:
        return {"session": result.to_dict()}
    assert error is not None
    return {
        "error": {
            "code": error.code,
            "message": str(error),
            "option": error.option,
            "repr": repr(error),
            "status": error.status,
            "field_errors": [{"path": f.path, "rule": f.rule} for f in error.field_errors],
            "api_errors": [
                {"property_name": a.property_name, "error_message": a.error_message}
                for a in error.api_errors
            ],
            "attempts": error.attempts,
            "ambiguous": error.ambiguous,
            "retry_after": error.retry_after,
        }
    }


def check(case: dict[str, Any], gw: MockGateway) -> list[str]:
    session, error, skip = run(case, gw)
    problems: list[str] = []
    if isinstance(session, paystar.Session):
        assert session.expires_at.tzinfo is not None
    elif session is not None:
        assert isinstance(session, paystar.EventReceipt)
        assert session.event_type == case["expect"]["result"]["event_type"]
    elif error is not None and not isinstance(error, paystar._errors._BY_CODE[error.code]):
        problems.append(f"class {type(error).__name__} for {error.code}")
    return problems + _native._check_vector(case, outcome(session, error), gw.snapshot(), skip)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    with MockGateway() as gw:
        problems = check(case, gw)
    assert not problems, "; ".join(problems)


def test_every_operation_and_code_has_a_vector() -> None:
    assert len(CASES) >= 100
    assert len({c["name"] for c in CASES}) == len(CASES)
    assert {c["operation"] for c in CASES} == set(paystar.OPERATIONS)
    codes = {c["expect"]["error"]["code"] for c in CASES if "error" in c["expect"]}
    # internal_error is a bug inside paystar: no gateway behaviour causes it; webhook_error
    # has its own vectors (test_webhooks.py).
    assert codes == set(paystar.ERROR_CODES) - {"internal_error", "webhook_error"}


def test_every_code_maps_to_its_own_class() -> None:
    """Each of core's codes, raised through the one mapping every call uses."""
    for code in paystar.ERROR_CODES:
        with pytest.raises(paystar.PaystarError) as info:
            paystar._native._raise_sample(code)
        assert type(info.value) is paystar._errors._BY_CODE[code]
        assert info.value.code == code
        assert info.value.retryable == (
            code in {"rate_limited", "server_error", "timeout", "connection_error"}
        )
    assert len(set(paystar._errors._BY_CODE.values())) == len(paystar.ERROR_CODES)


@pytest.mark.parametrize(
    "code", [c for c in paystar.ERROR_CODES if c not in {"internal_error", "webhook_error"}]
)
def test_every_core_code_raises_its_class(code: str) -> None:
    """A real call per code (the first vector expecting it) raises that code's class."""
    case = next(c for c in CASES if c["expect"].get("error", {}).get("code") == code)
    with MockGateway() as gw:
        _, error, _ = run(case, gw)
    assert error is not None
    expected = paystar._errors._BY_CODE[code]
    assert type(error) is expected
    assert error.code == code
    assert isinstance(error, paystar.PaystarError)
    if code == "timeout":
        assert isinstance(error, TimeoutError)
    if code == "connection_error":
        assert isinstance(error, ConnectionError)
