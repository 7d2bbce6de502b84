"""Numbers, not a test: one sync call against the mock gateway, paystar vs `requests`.

Both post the same wallet-session body to the same in-process MockGateway over keep-alive
connections; median and p90 of 1,000 calls after 100 warm-up calls, then throughput of 16
threads making 4,000 calls in all (one ``requests.Session`` per thread, one shared paystar
client). The `requests` call does
only what a hand-rolled integration does at minimum (post, raise on status, parse JSON); paystar
also validates, builds the body, logs, checks the envelope and builds a typed result.
"""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any, Callable

import requests

import paystar
from paystar.testing import MockGateway

N, WARMUP = 1000, 100
THREADS, PER_THREAD = 16, 250


def measure(call: Callable[[], object]) -> tuple[float, float]:
    for _ in range(WARMUP):
        call()
    samples = []
    for _ in range(N):
        t = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(N * 0.9)]


def throughput(make_call: Callable[[], Callable[[], object]]) -> float:
    """Calls per second of THREADS threads, each making PER_THREAD calls."""
    calls = [make_call() for _ in range(THREADS)]
    threads = [threading.Thread(target=lambda c=c: [c() for _ in range(PER_THREAD)]) for c in calls]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return THREADS * PER_THREAD / (time.perf_counter() - t)


def main() -> None:
    with MockGateway() as gateway:
        client = paystar.Client(gateway.api_key, base_url=gateway.url)
        args: Any = {
            "business_unit_slug": "acme-utilities",
            "client_user": {"email_address": "jane@example.com"},
        }
        session = requests.Session()
        url = f"{gateway.url}/integrations/embedded/initiate-manage-wallet"
        headers = {"X-Paystar-Api-Key": gateway.api_key}
        body: Any = {
            "BusinessUnitSlug": "acme-utilities",
            "ClientUser": {"EmailAddress": "jane@example.com"},
        }

        def with_requests() -> object:
            r = session.post(url, json=body, headers=headers, timeout=30)
            r.raise_for_status()
            return r.json()["data"]["SessionLink"]

        def with_paystar() -> object:
            return client.create_wallet_session(**args).url

        def requests_call() -> Callable[[], object]:
            own = requests.Session()

            def call() -> object:
                r = own.post(url, json=body, headers=headers, timeout=30)
                r.raise_for_status()
                return r.json()["data"]["SessionLink"]

            return call

        results = {"requests": measure(with_requests), "paystar.Client": measure(with_paystar)}
        rates = {
            "requests": throughput(requests_call),
            "paystar.Client": throughput(lambda: with_paystar),
        }
    base = results["requests"][0]
    print(f"one sync wallet-session call on the mock gateway, {N} calls after {WARMUP} warm-up")
    for name, (median, p90) in results.items():
        ratio = median / base
        print(f"  {name:<15} median {median:7.1f} us   p90 {p90:7.1f} us   {ratio:4.2f}x requests")
    print(f"{THREADS} threads, {THREADS * PER_THREAD} calls in all")
    for name, rate in rates.items():
        print(f"  {name:<15} {rate:8.0f} calls/s   {rate / rates['requests']:4.2f}x requests")


if __name__ == "__main__":
    main()
