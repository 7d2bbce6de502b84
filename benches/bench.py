"""Numbers, not a test (`make bench`; BENCHMARKS.md): one wallet-session call against the mock
gateway process at ``PAYSTAR_BENCH_URL``, made with paystar and with the fastest hand-rolled
Python clients, each doing the same work (send the JSON, parse the answer, check ``hasErrors``,
take the link). Sequential: ``PAYSTAR_BENCH_SEQ`` calls one at a time (median, p99).
Concurrent: ``PAYSTAR_BENCH_CONC`` calls, ``PAYSTAR_BENCH_INFLIGHT`` in flight, as asyncio
tasks (async clients) or threads (sync clients). First call: the first call of
``PAYSTAR_BENCH_FIRST`` new clients in this warm process (median; the connection, and over
HTTPS the handshake, included). Over HTTPS (``PAYSTAR_BENCH_CA``: the mock's CA, trusted by
every client) httpx asks for HTTP/2 (the others have no HTTP/2) and the telemetry rows are
skipped. One JSON line per result on stdout.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable
from typing import Any, Callable

import aiohttp
import httpx
import requests

import paystar

URL = os.environ.get("PAYSTAR_BENCH_URL", "")
KEY = os.environ.get("PAYSTAR_BENCH_KEY", "sk_mock_paystar_0000")
SEQ = int(os.environ.get("PAYSTAR_BENCH_SEQ", "2000"))
CONC = int(os.environ.get("PAYSTAR_BENCH_CONC", "20000"))
INFLIGHT = int(os.environ.get("PAYSTAR_BENCH_INFLIGHT", "64"))
WARM = min(int(os.environ.get("PAYSTAR_BENCH_WARMUP", "200")), SEQ)
FIRST = max(int(os.environ.get("PAYSTAR_BENCH_FIRST", "20")), 1)
CA = os.environ.get("PAYSTAR_BENCH_CA") or None
# What each client is given to trust the mock's CA (over HTTPS).
TLS: Any = ssl.create_default_context(cafile=CA) if CA else True
OURS: Any = {"ca_bundle": CA} if CA else {}
PATH = "/integrations/embedded/initiate-manage-wallet"
BODY = b'{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}'
HEADERS = {"X-Paystar-Api-Key": KEY, "Content-Type": "application/json"}
ARGS: Any = {
    "business_unit_slug": "acme-utilities",
    "client_user": {"email_address": "jane@example.com"},
}


def link(answer: bytes) -> str:
    """The same check every client makes of the answer."""
    v = json.loads(answer)
    if v["hasErrors"] is not False:
        raise RuntimeError("the mock refused the call")
    return str(v["data"]["SessionLink"])


def stats(samples: list[float]) -> dict[str, float]:
    samples.sort()
    n = len(samples)
    return {"median_us": samples[n // 2], "p99_us": samples[min(n * 99 // 100, n - 1)]}


def sequential(call: Callable[[], object]) -> dict[str, float]:
    for _ in range(WARM):
        call()
    samples = []
    for _ in range(SEQ):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1e6)
    return stats(samples)


async def sequential_async(call: Callable[[], Awaitable[object]]) -> dict[str, float]:
    for _ in range(WARM):
        await call()
    samples = []
    for _ in range(SEQ):
        t = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - t) * 1e6)
    return stats(samples)


async def concurrent_async(call: Callable[[], Awaitable[object]]) -> dict[str, float]:
    left = CONC

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    t = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(INFLIGHT)))
    return {"calls_per_s": CONC / (time.perf_counter() - t)}


def concurrent_threads(make_call: Callable[[], Callable[[], object]]) -> dict[str, float]:
    lock = threading.Lock()
    left = [CONC]

    def worker(call: Callable[[], object]) -> None:
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            call()

    threads = [threading.Thread(target=worker, args=(make_call(),)) for _ in range(INFLIGHT)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"calls_per_s": CONC / (time.perf_counter() - t)}


def timed_us(f: Callable[[], Any]) -> tuple[Any, float]:
    """`f()`'s result and how long it took (µs)."""
    t = time.perf_counter()
    out = f()
    return out, (time.perf_counter() - t) * 1e6


def first_call(build: Callable[[], Any], call: Callable[[Any], object]) -> tuple[float, float]:
    """FIRST new clients: the median time to build one, and of its first call (µs)."""
    builds, calls = [], []
    for _ in range(FIRST):
        client, built = timed_us(build)
        calls.append(timed_us(lambda: call(client))[1])  # noqa: B023 (called at once)
        builds.append(built)
    return stats(builds)["median_us"], stats(calls)["median_us"]


async def first_call_async(
    build: Callable[[], Any], call: Callable[[Any], Awaitable[object]]
) -> tuple[float, float]:
    """The same for asyncio clients (each closed after its call)."""
    builds, calls = [], []
    for _ in range(FIRST):
        client, built = timed_us(build)
        t = time.perf_counter()
        await call(client)
        calls.append((time.perf_counter() - t) * 1e6)
        builds.append(built)
        # httpx and paystar close with aclose(), aiohttp with an awaitable close().
        await (client.aclose() if hasattr(client, "aclose") else client.close())
    return stats(builds)["median_us"], stats(calls)["median_us"]


def report(
    client: str, kind: str, seq: Any, conc: Any, how: str, first: float | None = None
) -> None:
    print(
        json.dumps(
            {
                "language": "python",
                "client": client,
                "kind": kind,
                "sequential": seq,
                "concurrent": conc,
                "concurrency": how,
                "new_client_us": first[0] if first else None,
                "first_call_us": first[1] if first else None,
            }
        ),
        flush=True,
    )


def sync_clients() -> None:
    client = paystar.Client(KEY, base_url=URL, **OURS)
    report(
        "paystar.Client",
        "paystar",
        sequential(lambda: client.create_wallet_session(**ARGS).url),
        concurrent_threads(lambda: lambda: client.create_wallet_session(**ARGS).url),
        "threads",
        first_call(
            lambda: paystar.Client(KEY, base_url=URL, **OURS),
            lambda c: c.create_wallet_session(**ARGS).url,
        ),
    )

    # warm_up(): the connection opened ahead of the first call.
    ups, calls = [], []
    for _ in range(FIRST):
        fresh = paystar.Client(KEY, base_url=URL, **OURS)
        ups.append(timed_us(fresh.warm_up)[1])
        calls.append(timed_us(lambda: fresh.create_wallet_session(**ARGS))[1])  # noqa: B023 (called at once)
    warm = {
        "client": "paystar.Client",
        "method": "warm_up()",
        "warm_up_us": stats(ups)["median_us"],
        "first_call_us": stats(calls)["median_us"],
    }
    print(json.dumps({"language": "python", "warm_up": warm}), flush=True)

    def requests_post(s: requests.Session) -> str:
        return link(
            s.post(URL + PATH, data=BODY, headers=HEADERS, timeout=30, verify=CA or True).content
        )

    def requests_call() -> Callable[[], object]:
        s = requests.Session()
        return lambda: requests_post(s)

    report(
        "requests.Session",
        "peer",
        sequential(requests_call()),
        concurrent_threads(requests_call),
        "threads",
        first_call(requests.Session, requests_post),
    )

    def new_httpx() -> httpx.Client:
        return httpx.Client(
            limits=httpx.Limits(max_connections=INFLIGHT), verify=TLS, http2=CA is not None
        )

    hx = new_httpx()
    call = lambda: link(hx.post(URL + PATH, content=BODY, headers=HEADERS).content)  # noqa: E731
    report(
        "httpx.Client",
        "peer",
        sequential(call),
        concurrent_threads(lambda: call),
        "threads",
        first_call(
            new_httpx, lambda c: link(c.post(URL + PATH, content=BODY, headers=HEADERS).content)
        ),
    )


async def async_clients() -> None:
    client = paystar.AsyncClient(KEY, base_url=URL, **OURS)

    async def ours() -> object:
        return (await client.create_wallet_session(**ARGS)).url

    async def first_ours(fresh: paystar.AsyncClient) -> object:
        return (await fresh.create_wallet_session(**ARGS)).url

    report(
        "paystar.AsyncClient",
        "paystar",
        await sequential_async(ours),
        await concurrent_async(ours),
        "asyncio",
        await first_call_async(lambda: paystar.AsyncClient(KEY, base_url=URL, **OURS), first_ours),
    )

    def aiohttp_session() -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=INFLIGHT, ssl=TLS))

    async def aio_on(session: aiohttp.ClientSession) -> object:
        async with session.post(URL + PATH, data=BODY, headers=HEADERS) as r:
            return link(await r.read())

    async with aiohttp_session() as session:

        async def aio() -> object:
            return await aio_on(session)

        report(
            "aiohttp",
            "peer",
            await sequential_async(aio),
            await concurrent_async(aio),
            "asyncio",
            await first_call_async(aiohttp_session, aio_on),
        )

    def new_httpx() -> httpx.AsyncClient:
        return httpx.AsyncClient(
            limits=httpx.Limits(max_connections=INFLIGHT), verify=TLS, http2=CA is not None
        )

    async def hxa_on(fresh: httpx.AsyncClient) -> object:
        return link((await fresh.post(URL + PATH, content=BODY, headers=HEADERS)).content)

    async with new_httpx() as hx:

        async def hxa() -> object:
            return link((await hx.post(URL + PATH, content=BODY, headers=HEADERS)).content)

        report(
            "httpx.AsyncClient",
            "peer",
            await sequential_async(hxa),
            await concurrent_async(hxa),
            "asyncio",
            await first_call_async(new_httpx, hxa_on),
        )


async def telemetry_costs() -> None:
    """paystar's telemetry (docs/observability.md), each against the default row above (the
    OpenTelemetry API installed, no SDK): off for the client (nothing is collected, as without
    the API), then with the SDK configured and a no-op exporter (spans and points are made)."""

    async def run(client: paystar.AsyncClient, name: str) -> None:
        async def ours() -> object:
            return (await client.create_wallet_session(**ARGS)).url

        report(
            name, "telemetry", await sequential_async(ours), await concurrent_async(ours), "asyncio"
        )

    await run(
        paystar.AsyncClient(KEY, base_url=URL, telemetry=False),
        "paystar.AsyncClient, telemetry=False",
    )
    try:
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )
    except ImportError:
        return

    class Drop(SpanExporter):
        def export(self, spans: Any) -> SpanExportResult:
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(Drop()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))
    await run(
        paystar.AsyncClient(KEY, base_url=URL), "paystar.AsyncClient, OTel SDK (no-op exporter)"
    )


def import_ms(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    return float(subprocess.check_output([sys.executable, "-c", code]).decode())


def main() -> None:
    if not URL:
        sys.exit("set PAYSTAR_BENCH_URL (make bench starts paystar-mock)")
    sync_clients()
    asyncio.run(async_clients())
    if CA is None:
        asyncio.run(telemetry_costs())
    with open("/proc/self/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    print(
        json.dumps(
            {
                "language": "python",
                "rss_mb": rss,
                "load_ms": {m: import_ms(m) for m in ("paystar", "aiohttp", "httpx", "requests")},
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
