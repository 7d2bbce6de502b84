"""Numbers, not a test (`make bench-latency`; BENCHMARKS.md "Latency"): calls per second against
a mock gateway that holds every answer PAYSTAR_LATENCY_MS (50) ms, with N calls in flight for
each N in PAYSTAR_LATENCY_LEVELS (100,500,1000): N workers each make PAYSTAR_LATENCY_ROUNDS
calls one after another. paystar's AsyncClient (max_in_flight=N) against aiohttp with its
default connector (100 connections) and unlimited (limit=0), each doing the same work: POST
the JSON, parse the answer, check hasErrors, take the link. One JSON line per run on stdout:
calls/s, the ideal (N / latency), connections the mock accepted, CPU seconds and RSS.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from collections.abc import Awaitable, Callable

import aiohttp

import paystar

URL = os.environ["PAYSTAR_BENCH_URL"]
KEY = os.environ.get("PAYSTAR_BENCH_KEY", "sk_mock_paystar_0000")
LEVELS = [int(n) for n in os.environ.get("PAYSTAR_LATENCY_LEVELS", "100,500,1000").split(",")]
ROUNDS = int(os.environ.get("PAYSTAR_LATENCY_ROUNDS", "20"))
LATENCY_MS = float(os.environ.get("PAYSTAR_LATENCY_MS", "50"))
PATH = "/integrations/embedded/initiate-manage-wallet"
BODY = {"BusinessUnitSlug": "acme-utilities", "ClientUser": {"EmailAddress": "jane@example.com"}}


def connections() -> int:
    """Connections the mock has accepted (this request's own counted and taken off)."""
    with urllib.request.urlopen(URL + "/__mock/stats", timeout=10) as r:
        return int(json.load(r)["connections"]) - 1


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def measure(client: str, level: int, call: Callable[[], Awaitable[str]]) -> None:
    before, cpu0, t0 = connections(), os.times(), time.perf_counter()

    async def worker() -> None:
        for _ in range(ROUNDS):
            await call()

    await asyncio.gather(*(worker() for _ in range(level)))
    seconds = time.perf_counter() - t0
    cpu1 = os.times()
    calls = level * ROUNDS
    print(
        json.dumps(
            {
                "language": "python",
                "client": client,
                "in_flight": level,
                "calls": calls,
                "calls_per_s": calls / seconds,
                "ideal_per_s": level / (LATENCY_MS / 1000),
                "connections": connections() - before,
                "cpu_s": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
                "wall_s": seconds,
                "rss_mb": rss_mb(),
            }
        ),
        flush=True,
    )


async def main() -> None:
    for level in LEVELS:
        client = paystar.AsyncClient(KEY, base_url=URL, max_in_flight=level)

        async def ours(client: paystar.AsyncClient = client) -> str:
            s = await client.create_wallet_session(
                business_unit_slug="acme-utilities",
                client_user={"email_address": "jane@example.com"},
            )
            return s.url

        await measure("paystar AsyncClient", level, ours)
        await client.aclose()
        for name, limit in (("aiohttp (default connector)", 100), ("aiohttp (limit=0)", 0)):
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit)) as http:

                async def theirs(http: aiohttp.ClientSession = http) -> str:
                    async with http.post(
                        URL + PATH, json=BODY, headers={"X-Paystar-Api-Key": KEY}
                    ) as r:
                        answer = await r.json()
                    if answer["hasErrors"] is not False:
                        raise RuntimeError("the mock refused the call")
                    return str(answer["data"]["SessionLink"])

                await measure(name, level, theirs)


if __name__ == "__main__":
    asyncio.run(main())
