"""The fault soak (RELIABILITY.md): PAYSTAR_SOAK_CALLS wallet sessions (300 here; 10,000 for the
documented run) through a gateway failing at a seeded 30 % rate, 16 at a time on AsyncClient,
audited by core against the gateway's log. File descriptors and RSS are measured around it."""

from __future__ import annotations

import asyncio
import os
import resource
from typing import Any

import paystar
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


def test_random_faults_never_break_the_accounting() -> None:
    with MockGateway() as gateway:
        client = paystar.AsyncClient(
            gateway.api_key, base_url=gateway.url, timeout=1.0, max_retries=MAX_RETRIES
        )
        asyncio.run(soak(client, CALLS, 50))  # warm: runtime, pool
        before = (fds(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        gateway._soak(2026, 0.3)
        outcomes = asyncio.run(soak(client, 0, CALLS))
        gateway.clear_script()
        after = (fds(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        report = gateway._audit_soak(outcomes, MAX_RETRIES)
    fd, rss = f"{before[0]} -> {after[0]}", f"{before[1]} -> {after[1]}"
    print(f"soak (python): {report}; fds {fd}, max rss KiB {rss}")
    assert report["problems"] == []
    assert report["calls"] == CALLS
    assert after[0] <= before[0] + 20
