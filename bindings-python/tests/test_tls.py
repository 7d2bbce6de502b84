"""HTTPS to the mock (its CA generated at start): HTTP/2 and HTTP/1.1, the trust options, and
certificate failures that are final (one attempt, not retryable, never ambiguous)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import paystar
from conftest import wallet
from paystar.testing import MockGateway, client_for


@pytest.mark.parametrize(("tls", "version"), [(True, "HTTP/2.0"), ("http1", "HTTP/1.1")])
def test_https_calls_with_the_mocks_ca(tls: bool | str, version: str) -> None:
    with MockGateway(tls=tls) as gateway:
        assert gateway.url.startswith("https://localhost:")
        assert gateway.ca_pem is not None
        assert "BEGIN CERTIFICATE" in gateway.ca_pem
        with client_for(gateway) as client:
            for _ in range(3):
                assert client.create_wallet_session(**wallet()).url.startswith("https://")
        seen = {(r["version"], r["tls"]) for r in gateway.requests}
        assert seen == {(version, True)}


def _refused(gateway: MockGateway, base_url: str, trust: bool) -> paystar.ConnectionError:
    options: dict[str, object] = {"base_url": base_url, "max_retries": 3}
    if trust:
        options["ca_certificates"] = gateway.ca_pem
    client = paystar.Client(gateway.api_key, **options)  # type: ignore[arg-type]
    started = time.monotonic()
    with pytest.raises(paystar.ConnectionError) as e:
        client.create_wallet_session(**wallet())
    assert time.monotonic() - started < 2, "a certificate failure was retried with backoff"
    err = e.value
    assert err.attempts == 1, err
    assert not err.retryable, err
    assert not err.ambiguous, err
    assert "not retried" in str(err)
    return err


def test_an_unknown_ca_a_wrong_name_and_an_expired_certificate_are_final() -> None:
    with MockGateway(tls=True) as valid, MockGateway(tls="expired") as expired:
        port = valid.url.rsplit(":", 1)[1]
        assert "issuer is not trusted" in str(_refused(valid, valid.url, trust=False))
        wrong = _refused(valid, f"https://127.0.0.1:{port}", trust=True)
        assert "not valid for the gateway's host name" in str(wrong)
        assert "expired" in str(_refused(expired, expired.url, trust=True))
        assert valid.requests == []
        assert expired.requests == []


def test_ca_bundle_is_a_pem_file(tmp_path: Path) -> None:
    with MockGateway(tls=True) as gateway:
        assert gateway.ca_pem is not None
        bundle = tmp_path / "ca.pem"
        bundle.write_text(gateway.ca_pem)
        client = paystar.Client(gateway.api_key, base_url=gateway.url, ca_bundle=str(bundle))
        assert client.create_wallet_session(**wallet()).attempts == 1
        with pytest.raises(paystar.ConfigurationError) as missing:
            paystar.Client("k", base_url=gateway.url, ca_bundle=str(tmp_path / "nope.pem"))
        assert missing.value.option == "ca_bundle"


def test_ssl_cert_file_is_honoured(tmp_path: Path) -> None:
    """The OS store plus SSL_CERT_FILE (read by a fresh process: the store is loaded once)."""
    with MockGateway(tls=True) as gateway:
        assert gateway.ca_pem is not None
        bundle = tmp_path / "ca.pem"
        bundle.write_text(gateway.ca_pem)
        code = (
            "import paystar, sys\n"
            f"c = paystar.Client({gateway.api_key!r}, base_url={gateway.url!r})\n"
            "s = c.create_wallet_session(business_unit_slug='a', "
            "client_user={'email_address': 'a@b.co'})\n"
            "print(s.url)\n"
        )
        env = {**os.environ, "SSL_CERT_FILE": str(bundle)}
        env.pop("SSL_CERT_DIR", None)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("https://localhost:")


@pytest.mark.parametrize(("tls", "version"), [(True, "HTTP/2.0"), ("http1", "HTTP/1.1")])
def test_warm_up_opens_the_connection_the_first_call_reuses(tls: bool | str, version: str) -> None:
    with MockGateway(tls=tls) as gateway:
        client = client_for(gateway)
        assert 100 <= client.warm_up() < 600
        assert gateway.session_count == 0
        client.create_wallet_session(**wallet())

        async def warm_async() -> int:
            async_client = paystar.AsyncClient(
                gateway.api_key, base_url=gateway.url, ca_certificates=gateway.ca_pem
            )
            return await async_client.warm_up()

        assert 100 <= asyncio.run(warm_async()) < 600
        head, call, async_head = gateway.requests
        assert (head["method"], call["method"], async_head["method"]) == ("HEAD", "POST", "HEAD")
        assert all(r["version"] == version and r["tls"] for r in gateway.requests)
        assert head["connection"] == call["connection"], "the call reuses the warm-up's connection"
        assert not any(k.lower() == "x-paystar-api-key" for k in head["headers"])


def test_warm_up_of_a_closed_client_or_an_unreachable_gateway_raises() -> None:
    with MockGateway() as gateway:
        client = client_for(gateway)
        client.close()
        with pytest.raises(paystar.ConfigurationError):
            client.warm_up()
    unreachable = paystar.Client("sk_test_x", base_url=gateway.url, connect_timeout=2)
    with pytest.raises(paystar.ConnectionError):
        unreachable.warm_up()
