"""The fault soak (RELIABILITY.md): PAYSTAR_SOAK_CALLS wallet sessions (300 here; 10,000 for the
documented run) through a gateway failing at a seeded 30 % rate, 16 at a time on AsyncClient,
audited by core against the gateway's log. File descriptors and RSS are measured around it."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import paystar
from paystar import _native
from paystar.testing import MockGateway

CALLS = int(os.environ.get("PAYSTAR_SOAK_CALLS", "300"))
MAX_RETRIES = 2


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def soak(client: paystar.AsyncClient, first: int, n: int) -> list[dict[str, Any]]:
    limit = asyncio.Semaphore(16)

    async def one(i: int) -> dict[str, Any]:
        email = f"soak{i}@example.com"
        async with limit:
            try:
                s = await client.create_wallet_session(
                    business_unit_slug="acme-utilities", client_user={"email_address": email}
                )
            except paystar.PaystarError as e:
                error = {"code": e.code, "attempts": e.attempts, "ambiguous": e.ambiguous}
                return {"email": email, "error": error}
        return {"email": email, "session": {"attempts": s.attempts, "ambiguous": s.ambiguous}}

    return list(await asyncio.gather(*(one(i) for i in range(first, first + n))))


def rss_kib() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def test_random_faults_never_break_the_accounting() -> None:
    """Two equal passes, each audited and its log then freed: a leak shows as growth from the
    first pass to the second."""
    with MockGateway() as gateway:
        client = paystar.AsyncClient(
            gateway.api_key, base_url=gateway.url, timeout=1.0, max_retries=MAX_RETRIES
        )
        asyncio.run(soak(client, 2 * CALLS, 50))  # warm: runtime, pool
        gateway.forget_requests()
        after = []
        for n in range(2):
            gateway.script(_native._soak_script(2026 + n, 0.3))
            outcomes = asyncio.run(soak(client, 0, CALLS))  # the same customers each pass
            gateway.clear_script()
            report = _native._audit_soak(outcomes, gateway.requests, MAX_RETRIES)
            gateway.forget_requests()
            del outcomes
            print(f"soak (python) pass {n + 1}: {report}")
            assert report["problems"] == []
            assert report["calls"] == CALLS
            after.append((fds(), rss_kib()))
    print(f"soak (python): after pass 1 fds, rss KiB {after[0]}; after pass 2 {after[1]}")
    assert after[1][0] <= after[0][0] + 10
    assert after[1][1] <= after[0][1] * 1.2 + 10_240


def test_network_faults_never_break_the_accounting() -> None:
    """The same calls through the mock's fault proxy (faults below HTTP: latency with jitter, a
    slow link, tiny segments, connections cut mid-request and mid-response, a gateway that
    stops answering), audited by core: nothing lost, nothing sent twice without ambiguous,
    attempts within bounds."""
    network = {
        "seed": 2026,
        "latency": 0.002,
        "jitter": 0.008,
        "bytes_per_second": 512 * 1024,
        "slice": 64,
        "cut_request": 0.05,
        "cut_response": 0.05,
        "stall": 0.03,
    }
    with MockGateway(network=network) as gateway:
        client = paystar.AsyncClient(
            gateway.api_key, base_url=gateway.url, timeout=1.0, max_retries=MAX_RETRIES
        )
        outcomes = asyncio.run(soak(client, 0, CALLS))
        report = _native._audit_network_soak(outcomes, gateway.requests, MAX_RETRIES)
    print(f"soak (python, network faults): {report}")
    assert report["problems"] == []
    assert report["calls"] == CALLS
    assert report["attempts"].get("2", 0) > 0, report
