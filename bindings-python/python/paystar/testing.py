"""Testing helpers: :class:`MockGateway` and pytest fixtures.

``MockGateway`` is a real HTTP server on ``127.0.0.1`` (port 0) that behaves like Paystar's
gateway: it checks the key, validates on its own, syncs customers and accounts, issues session
links, and can be scripted with faults::

    from paystar.testing import MockGateway

    with MockGateway() as gateway:
        gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
        client = paystar.Client(api_key=gateway.api_key, base_url=gateway.url)
        session = client.create_wallet_session(...)
        assert session.attempts == 2
        assert gateway.requests[0]["headers"]["x-paystar-api-key"] == "***"

With pytest installed, this module is a plugin (entry point ``pytest11``) giving the fixtures
``paystar_mock`` (a fresh gateway per test) and ``paystar_client`` (a ``paystar.Client`` bound
to it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from paystar._native import DEFAULT_MOCK_API_KEY, Client, MockGateway

__all__ = ["DEFAULT_MOCK_API_KEY", "MockGateway", "client_for", "paystar_client", "paystar_mock"]


def client_for(gateway: MockGateway, **options: object) -> Client:
    """A :class:`paystar.Client` that talks to ``gateway`` (options as for ``Client``); a
    gateway started with ``tls=True`` has its CA trusted (``ca_certificates``)."""
    if gateway.ca_pem is not None:
        options.setdefault("ca_certificates", gateway.ca_pem)
    return Client(gateway.api_key, base_url=gateway.url, **options)  # type: ignore[arg-type]


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is optional
    if not TYPE_CHECKING:
        paystar_mock = paystar_client = None
else:

    @pytest.fixture
    def paystar_mock() -> Iterator[MockGateway]:
        """A fresh :class:`MockGateway` per test, stopped afterwards."""
        with MockGateway() as gateway:
            yield gateway

    @pytest.fixture
    def paystar_client(paystar_mock: MockGateway) -> Iterator[Client]:
        """A :class:`paystar.Client` bound to the test's ``paystar_mock``."""
        with client_for(paystar_mock) as client:
            yield client
