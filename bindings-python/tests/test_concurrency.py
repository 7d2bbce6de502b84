"""Threads, fork, the GIL and asyncio: each property proven against a real MockGateway."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

import paystar
from conftest import wallet
from paystar.testing import MockGateway, client_for


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_client_used_before_fork_works_in_the_child(gateway: MockGateway) -> None:
    """gunicorn --preload: the parent builds and uses the client, workers inherit it."""
    client = client_for(gateway)
    client.create_wallet_session(**wallet())  # the runtime and pool exist at fork time
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:  # child: must not hang or crash, and must get a session
            code = 1
            try:
                s = client.create_wallet_session(timeout=10, **wallet())
                code = 0 if s.url.startswith(gateway.url) else 2
            finally:
                os._exit(code)
        children.append(pid)
    for pid in children:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    # And the parent still works (its runtime was never touched by the children).
    assert client.create_wallet_session(**wallet()).attempts == 1
    assert gateway.session_count == 4


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_an_async_client_used_before_fork_works_in_the_child(gateway: MockGateway) -> None:
    """Celery prefork / gunicorn with an AsyncClient: the child runs its own event loop on its
    own runtime."""
    client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
    asyncio.run(client.create_wallet_session(**wallet()))
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            s = asyncio.run(client.create_wallet_session(timeout=10, **wallet()))
            code = 0 if s.url.startswith(gateway.url) else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert asyncio.run(client.create_wallet_session(**wallet())).attempts == 1
    assert gateway.session_count == 3


def test_sixteen_threads_share_one_client(gateway: MockGateway) -> None:
    client = client_for(gateway)

    def work(_: int) -> str:
        return client.create_wallet_session(**wallet()).url

    with ThreadPoolExecutor(max_workers=16) as pool:
        urls = list(pool.map(work, range(160)))
    assert len(set(urls)) == 160
    assert gateway.session_count == 160


def test_the_gil_is_released_while_waiting(gateway: MockGateway) -> None:
    """While one thread waits on a slow gateway, another Python thread keeps running."""
    client = client_for(gateway)
    gateway.script([{"kind": "delay", "ms": 800}])
    started = threading.Event()
    done = threading.Event()

    def slow_call() -> None:
        started.set()
        client.create_wallet_session(**wallet())
        done.set()

    t = threading.Thread(target=slow_call)
    old = sys.getswitchinterval()
    sys.setswitchinterval(0.001)
    try:
        t.start()
        started.wait()
        spins = 0
        while not done.is_set():
            spins += 1
        t.join()
    finally:
        sys.setswitchinterval(old)
    # Holding the GIL for 800 ms would leave this loop a handful of iterations; released, it
    # runs for the whole wait (millions of iterations on any machine).
    assert spins > 50_000, spins


def test_gather_500_calls_on_one_async_client(gateway: MockGateway) -> None:
    async def main() -> list[paystar.Session]:
        async with paystar.AsyncClient(gateway.api_key, base_url=gateway.url) as client:
            return await asyncio.gather(
                *(client.create_wallet_session(**wallet()) for _ in range(500))
            )

    sessions = asyncio.run(main())
    assert len({s.url for s in sessions}) == 500
    assert all(s.attempts == 1 for s in sessions)
    assert gateway.session_count == 500


def test_the_event_loop_keeps_running_during_a_slow_call(gateway: MockGateway) -> None:
    gateway.script([{"kind": "delay", "ms": 600}])

    async def main() -> int:
        client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        await client.create_wallet_session(**wallet())
        task.cancel()
        return ticks

    assert asyncio.run(main()) >= 20


def test_async_errors_are_typed(gateway: MockGateway) -> None:
    async def main() -> None:
        client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
        with pytest.raises(paystar.ValidationError, match="client_usr"):
            await client.create_wallet_session(business_unit_slug="a", client_usr={})  # type: ignore[call-overload]
        gateway.script([{"kind": "status", "status": 500}] * 3)
        with pytest.raises(paystar.ServerError) as info:
            await client.create_wallet_session(max_retries=2, **wallet())
        assert info.value.attempts == 3
        await client.aclose()
        with pytest.raises(paystar.ConfigurationError, match="closed"):
            await client.create_wallet_session(**wallet())

    asyncio.run(main())


def test_cancelling_an_async_call_stops_it(gateway: MockGateway) -> None:
    """A cancelled task aborts the Rust call: the connection is dropped, and no retry follows."""
    gateway.script([{"kind": "delay", "ms": 1500}, {"kind": "delay", "ms": 1500}])

    async def main() -> None:
        client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url, timeout=1.0)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.create_wallet_session(**wallet()), 0.2)
        # Had the call gone on, its 1 s timeout would have fired a retry by now.
        await asyncio.sleep(1.5)
        assert len(gateway.requests) == 1
        gateway.clear_script()
        assert (await client.create_wallet_session(**wallet())).attempts == 1

    asyncio.run(main())


def _wait_for_requests(gateway: MockGateway, n: int) -> None:
    """Until the gateway has received ``n`` requests (the calls are in flight)."""
    deadline = time.monotonic() + 20
    while len(gateway.requests) < n:
        assert time.monotonic() < deadline, f"{len(gateway.requests)} of {n} calls in flight"
        time.sleep(0.01)


def _child_call(make_call: Callable[[], paystar.Session], gateway: MockGateway) -> int:
    """In a forked child: one call must complete at once (well before the parent's delayed
    calls end), else exit non-zero. Never returns in the child."""
    code = 1
    try:
        started = time.monotonic()
        s = make_call()
        took = time.monotonic() - started
        code = 0 if s.url.startswith(gateway.url) and took < 1.5 else 3
    finally:
        os._exit(code)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # fork() of a threaded process
def test_a_fork_with_100_calls_in_flight_leaves_the_child_a_working_client(
    gateway: MockGateway,
) -> None:
    """The in-flight limit, the pool and the runtime are the child's own: the parent's 100
    slow calls (all 100 slots taken at the fork) neither block the child nor fail themselves."""
    client = client_for(gateway)
    gateway.script([{"kind": "delay", "ms": 3000}] * 100)
    with ThreadPoolExecutor(max_workers=100) as pool:
        calls = [pool.submit(lambda: client.create_wallet_session(**wallet())) for _ in range(100)]
        _wait_for_requests(gateway, 100)
        pid = os.fork()
        if pid == 0:
            _child_call(lambda: client.create_wallet_session(timeout=10, **wallet()), gateway)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, "the child could not call at once"
        assert all(c.result(timeout=30).attempts == 1 for c in calls)
    assert gateway.session_count == 101


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_fork_with_100_async_calls_in_flight_leaves_the_child_a_working_client(
    gateway: MockGateway,
) -> None:
    """The same with AsyncClient: 100 calls awaited on an event loop in another thread."""
    client = paystar.AsyncClient(gateway.api_key, base_url=gateway.url)
    gateway.script([{"kind": "delay", "ms": 3000}] * 100)
    results: list[paystar.Session] = []

    def parent_loop() -> None:
        async def all_calls() -> list[paystar.Session]:
            return await asyncio.gather(
                *(client.create_wallet_session(**wallet()) for _ in range(100))
            )

        results.extend(asyncio.run(all_calls()))

    loop_thread = threading.Thread(target=parent_loop)
    loop_thread.start()
    _wait_for_requests(gateway, 100)
    pid = os.fork()
    if pid == 0:
        _child_call(
            lambda: asyncio.run(client.create_wallet_session(timeout=10, **wallet())), gateway
        )
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child could not call at once"
    loop_thread.join(timeout=30)
    assert len(results) == 100
    assert all(s.attempts == 1 for s in results)
    assert gateway.session_count == 101


def test_max_in_flight_caps_the_calls_a_client_has_in_flight(gateway: MockGateway) -> None:
    """4 slots: 12 calls the gateway holds 300 ms each take three rounds on at most 4
    connections (without the cap: one round, 12 connections)."""
    client = client_for(gateway, max_in_flight=4)
    gateway.script([{"kind": "delay", "ms": 300}] * 12)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(lambda _: client.create_wallet_session(**wallet()), range(12)))
    assert time.monotonic() - started >= 0.88
    assert len({r["connection"] for r in gateway.requests}) <= 4
    with pytest.raises(paystar.ConfigurationError) as bad:
        client_for(gateway, max_in_flight=0)
    assert bad.value.option == "max_in_flight"
