"""Runs every case of tests/vectors/*.json through the Python API (see tests/README.md)."""

from __future__ import annotations

import datetime
import json
import re
import socket
from pathlib import Path
from typing import Any, Optional

import pytest

import paystar
from paystar.testing import MockGateway

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
DATA_KEYS = {"PaymentFields", "Extra"}


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


def norm(path: str, rule: str) -> str:
    """`unknown_field` paths name the key as the caller spelled it (see tests/README.md)."""
    return path.replace("_", "").lower() if rule == "unknown_field" else path


def parse_time(s: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def check(case: dict[str, Any], gw: MockGateway) -> list[str]:
    session, error, skip = run(case, gw)
    x = case["expect"]
    problems: list[str] = []

    def want(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    if "result" in x:
        if session is None:
            return [f"expected a session, got {error!r}"]
        r = x["result"]
        want(r.get("kind", session.kind) == session.kind, f"kind {session.kind}")
        want(r.get("status", session.status) == session.status, f"status {session.status}")
        if "has_id" in r:
            want((session.id is not None) == r["has_id"], f"id {session.id}")
        if "has_request_id" in r:
            want((session.request_id is not None) == r["has_request_id"], "request id")
        if "url_prefix" in r:
            prefix = r["url_prefix"].replace("{mock}", gw.url)
            want(session.url.startswith(prefix), f"url {session.url} !^ {prefix}")
        assert session.expires_at.tzinfo is not None
        if "expires_at" in r:
            delta = abs((session.expires_at - parse_time(r["expires_at"])).total_seconds())
            want(delta < 0.001, f"expires_at {session.expires_at} != {r['expires_at']}")
        if "expires_in_s" in r:
            now = datetime.datetime.now(datetime.timezone.utc)
            off = (session.expires_at - now).total_seconds() - r["expires_in_s"]
            want(abs(off) <= 120, f"expires_at off by {off} s")
        attempts = session.attempts
    else:
        if error is None:
            return [f"expected an error, got a session {session.url}"]
        er = x["error"]
        want(error.code == er["code"], f"code {error.code} != {er['code']} ({error})")
        want(
            isinstance(error, paystar._errors._BY_CODE[er["code"]]),
            f"class {type(error).__name__}",
        )
        if "field_errors" in er:
            got = sorted((norm(f.path, f.rule), f.rule) for f in error.field_errors)
            exp = sorted((norm(f["path"], f["rule"]), f["rule"]) for f in er["field_errors"])
            want(got == exp, f"field errors {got} != {exp}")
        if "status" in er:
            want(error.status == er["status"], f"status {error.status}")
        if "ambiguous" in er:
            want(error.ambiguous == er["ambiguous"], f"ambiguous {error.ambiguous}")
        if "retry_after_s" in er:
            want(error.retry_after == er["retry_after_s"], f"retry_after {error.retry_after}")
        if "api_errors" in er:
            got_items = error.api_errors
            want(len(got_items) == len(er["api_errors"]), f"api errors {got_items}")
            for g, w in zip(got_items, er["api_errors"]):
                if "propertyName" in w:
                    want(g.property_name == w["propertyName"], f"property {g.property_name}")
                if "errorMessage" in w:
                    want(g.error_message == w["errorMessage"], f"message {g.error_message}")
        for s in er.get("message_contains", []):
            want(s in str(error), f"message {error} lacks {s}")
        for s in er.get("message_excludes", []):
            want(s not in str(error) and s not in repr(error), f"error shows {s}")
        attempts = error.attempts
    requests = gw.requests[skip:]
    if "attempts" in x:
        want(attempts == x["attempts"], f"attempts {attempts} != {x['attempts']}")
    if "requests" in x:
        want(len(requests) == x["requests"], f"requests {len(requests)} != {x['requests']}")
    if "wire" in x:
        w = x["wire"]
        if not requests:
            problems.append("no request reached the mock")
        else:
            first = requests[0]
            want(w.get("method", first["method"]) == first["method"], "method")
            want(w.get("path", first["path"]) == first["path"], f"path {first['path']}")
            for k, v in w.get("headers", {}).items():
                want(first["headers"].get(k) == v, f"header {k}: {first['headers'].get(k)}")
            if "user_agent_prefix" in w:
                ua = first["headers"].get("user-agent", "")
                want(ua.startswith(w["user_agent_prefix"]), f"user-agent {ua}")
            if "body" in w:
                want(first["body"] == w["body"], f"body {first['body']} != {w['body']}")
    for i, gap in enumerate(x.get("min_gaps_ms", [])):
        waited = 0
        if i + 1 < len(requests):
            waited = requests[i + 1]["received_ms"] - requests[i]["received_ms"]
        want(waited >= gap, f"gap {i} was {waited} ms, want >= {gap}")
    for c in x.get("customers", []):
        rec = gw.customer(c["email"])
        want(rec == c["record"], f"customer {rec} != {c['record']}")
    for a in x.get("accounts", []):
        rec = gw.account(a["account_number"], a.get("sub_account_number"))
        want(rec == a["record"], f"account {rec} != {a['record']}")
    return problems


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
    # internal_error is a bug inside paystar: no gateway behaviour causes it.
    assert codes == set(paystar.ERROR_CODES) - {"internal_error"}


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


@pytest.mark.parametrize("code", [c for c in paystar.ERROR_CODES if c != "internal_error"])
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
