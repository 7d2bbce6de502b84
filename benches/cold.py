"""The cold-start program (`make bench`; BENCHMARKS.md "Cold start"): a fresh process imports one
client library, builds a client, makes one wallet-session call to the mock gateway at
``PAYSTAR_BENCH_URL`` (trusting ``PAYSTAR_BENCH_CA``), prints the link and its peak RSS and
exits. benches/run.py times the whole process from outside.

    python benches/cold.py paystar|httpx|aiohttp|requests
"""

from __future__ import annotations

import os
import sys

URL = os.environ["PAYSTAR_BENCH_URL"]
KEY = os.environ.get("PAYSTAR_BENCH_KEY", "sk_mock_paystar_0000")
CA = os.environ.get("PAYSTAR_BENCH_CA") or None
PATH = "/integrations/embedded/initiate-manage-wallet"
BODY = b'{"BusinessUnitSlug":"acme-utilities","ClientUser":{"EmailAddress":"jane@example.com"}}'
HEADERS = {"X-Paystar-Api-Key": KEY, "Content-Type": "application/json"}


def link(answer: bytes) -> str:
    import json

    v = json.loads(answer)
    if v["hasErrors"] is not False:
        raise RuntimeError("the mock refused the call")
    return str(v["data"]["SessionLink"])


def paystar_call() -> str:
    import paystar

    client = paystar.Client(KEY, base_url=URL, **({"ca_bundle": CA} if CA else {}))
    return client.create_wallet_session(
        business_unit_slug="acme-utilities", client_user={"email_address": "jane@example.com"}
    ).url


def httpx_call() -> str:
    import ssl

    import httpx

    verify = ssl.create_default_context(cafile=CA) if CA else True
    with httpx.Client(verify=verify, http2=CA is not None) as client:
        return link(client.post(URL + PATH, content=BODY, headers=HEADERS).content)


def aiohttp_call() -> str:
    import asyncio
    import ssl

    import aiohttp

    async def call() -> str:
        context = ssl.create_default_context(cafile=CA) if CA else True
        connector = aiohttp.TCPConnector(ssl=context)
        async with (
            aiohttp.ClientSession(connector=connector) as s,
            s.post(URL + PATH, data=BODY, headers=HEADERS) as r,
        ):
            return link(await r.read())

    return asyncio.run(call())


def requests_call() -> str:
    import requests

    with requests.Session() as s:
        return link(s.post(URL + PATH, data=BODY, headers=HEADERS, verify=CA or True).content)


CLIENTS = {
    "paystar": paystar_call,
    "httpx": httpx_call,
    "aiohttp": aiohttp_call,
    "requests": requests_call,
}


def peak_rss() -> str:
    """This process's peak resident memory (`VmHWM`): benches/run.py reads it from the last
    line (the kernel's rusage of a child counts its parent's memory at the fork)."""
    with open("/proc/self/status") as status:
        return next(line.strip() for line in status if line.startswith("VmHWM:"))


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CLIENTS:
        sys.exit(f"usage: cold.py {'|'.join(CLIENTS)}")
    print(CLIENTS[sys.argv[1]]())
    print(peak_rss())
