"""The boundary: hostile input never crashes the interpreter, options come from core, and log
records are made on the caller's thread."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
from typing import Any

import pytest

import paystar
from conftest import payment, wallet
from paystar.testing import MockGateway


def deep(levels: int) -> dict[str, Any]:
    """A dict nested `levels` deep, built without recursion."""
    root: dict[str, Any] = {}
    node = root
    for _ in range(levels):
        child: dict[str, Any] = {}
        node["d"] = child
        node = child
    return root


def nested_list(levels: int) -> list[Any]:
    """A list nested `levels` deep."""
    root: list[Any] = []
    node = root
    for _ in range(levels):
        child: list[Any] = []
        node.append(child)
        node = child
    return root


def cyclic_dict() -> dict[str, Any]:
    d: dict[str, Any] = {"a": 1}
    d["self"] = d
    return d


def cyclic_list() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


@pytest.mark.parametrize(
    "extra",
    [
        {"Deep": cyclic_dict()},
        {"Deep": deep(100_000)},
        {"Deep": cyclic_list()},
        {"Deep": nested_list(70)},
    ],
    ids=["cyclic-dict", "100k-deep-dict", "cyclic-list", "70-deep-list"],
)
def test_cycles_and_deep_nesting_are_a_validation_error_and_nothing_is_sent(
    client: paystar.Client, gateway: MockGateway, extra: dict[str, Any]
) -> None:
    with pytest.raises(paystar.ValidationError) as info:
        client.create_payment_session(**payment(extra=extra))
    rules = {(f.rule, f.path.split(".")[0]) for f in info.value.field_errors}
    assert rules == {("max_depth", "Extra")}, info.value.field_errors
    assert f"deeper than {paystar._native.MAX_DEPTH} levels" in str(info.value)
    assert gateway.requests == []


def test_the_same_inputs_cannot_crash_a_fresh_interpreter(gateway: MockGateway) -> None:
    """In a child process, so a crash would show as a signal, not take the suite down."""
    code = f"""
import paystar
d = {{}}; d["self"] = d
n = root = {{}}
for _ in range(100_000):
    n["d"] = {{}}; n = n["d"]
c = paystar.Client({gateway.api_key!r}, base_url={gateway.url!r})
for extra in (d, root):
    try:
        c.create_wallet_session(business_unit_slug="a", client_user={{"email_address": "a@b.co"}},
                                extra={{"Deep": extra}})
    except paystar.ValidationError as e:
        print(e.field_errors[0].rule)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["max_depth", "max_depth"]
    assert gateway.requests == []


@pytest.mark.parametrize("where", ["client", "call"])
def test_a_huge_max_retries_is_a_configuration_error_not_an_overflow(
    gateway: MockGateway, where: str
) -> None:
    client = paystar.Client(gateway.api_key, base_url=gateway.url)

    def build() -> Any:
        return paystar.Client(gateway.api_key, base_url=gateway.url, max_retries=10**30)

    def call() -> Any:
        return client.create_wallet_session(max_retries=10**30, **wallet())

    with pytest.raises(paystar.ConfigurationError, match="max_retries: must be a whole number"):
        (build if where == "client" else call)()
    assert gateway.requests == []


def test_unknown_options_get_a_hint_from_core(gateway: MockGateway) -> None:
    with pytest.raises(paystar.ConfigurationError, match=r"did you mean max_retries\?"):
        paystar.Client(gateway.api_key, base_url=gateway.url, max_retires=1)  # type: ignore[call-arg]
    with pytest.raises(paystar.ConfigurationError, match="did you mean seed"):
        MockGateway(sed=1)  # type: ignore[call-arg]


def test_advancing_the_mock_clock_never_overflows(gateway: MockGateway) -> None:
    for _ in range(2):
        with pytest.raises(paystar.ConfigurationError, match="advance_clock"):
            gateway.advance_clock(9e21)
    gateway.advance_clock(60)
    with pytest.raises(paystar.ConfigurationError):
        gateway.advance_clock(float("nan"))


def test_log_records_are_made_on_the_callers_thread(
    client: paystar.Client, gateway: MockGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="paystar")
    gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
    client.create_wallet_session(**wallet())
    records = [r for r in caplog.records if r.name == "paystar"]
    assert len(records) == 2
    assert {r.thread for r in records} == {threading.get_ident()}


def test_async_log_records_are_made_on_the_event_loop_thread(
    async_client: paystar.AsyncClient, gateway: MockGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="paystar")
    gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
    asyncio.run(async_client.create_wallet_session(**wallet()))
    records = [r for r in caplog.records if r.name == "paystar"]
    assert [r.levelname for r in records] == ["WARNING", "DEBUG"]
    assert {r.thread for r in records} == {threading.get_ident()}


def test_a_slow_log_handler_does_not_stall_other_calls(
    gateway: MockGateway, caplog: pytest.LogCaptureFixture
) -> None:
    """Handlers run on the thread that made the call, after it: four threads stuck in a slow
    handler (more than the runtime has workers) leave every other call free to finish."""
    client = paystar.Client(gateway.api_key, base_url=gateway.url)
    logger = logging.getLogger("paystar")
    stuck = threading.Semaphore(0)

    class Slow(logging.Handler):
        def handle(self, record: logging.LogRecord) -> bool:  # no handler lock: emit at once
            self.emit(record)
            return True

        def emit(self, record: logging.LogRecord) -> None:
            if threading.current_thread().name.startswith("slow"):
                stuck.release()
                threading.Event().wait(1.5)

    handler = Slow(level=logging.DEBUG)
    logger.addHandler(handler)
    caplog.set_level(logging.DEBUG, logger="paystar")
    try:
        slow = [
            threading.Thread(target=client.create_wallet_session, kwargs=wallet(), name=f"slow{i}")
            for i in range(4)
        ]
        for t in slow:
            t.start()
        for _ in slow:
            assert stuck.acquire(timeout=10)
        done = 0
        while all(t.is_alive() for t in slow) and done < 5:
            client.create_wallet_session(**wallet())
            done += 1
        for t in slow:
            t.join()
        assert done == 5
    finally:
        logger.removeHandler(handler)


def test_sessions_and_errors_carry_every_attribute_from_core(client: paystar.Client) -> None:
    s = client.create_wallet_session(**wallet())
    assert s.ambiguous is False
    assert s.loader_call == "startFlow"
    assert set(s.to_dict()) == {
        "kind", "id", "url", "status", "expires_at", "raw", "attempts", "request_id",
        "loader_call", "ambiguous",
    }  # fmt: skip
    with pytest.raises(paystar.ValidationError) as info:
        client.create_wallet_session(business_unit_slug="x")  # type: ignore[call-overload]
    assert info.value.retryable is False
    assert {f.rule for f in info.value.field_errors} <= set(paystar.RULES)
