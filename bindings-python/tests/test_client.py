"""The Python surface: results, errors, conversion, options, logging, key hygiene."""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import pickle
from typing import Any

import pytest

import paystar
from conftest import payment, wallet
from paystar.testing import MockGateway, client_for

KEY = "sk_test_very_secret_key_4242"


def test_session_has_typed_attributes_and_a_useful_repr(client: paystar.Client) -> None:
    s = client.create_payment_session(**payment())
    assert s.kind == "payment"
    assert s.id
    assert s.url.startswith(client.base_url.rstrip("/"))
    assert s.status == "RequiresPaymentSource"
    assert isinstance(s.expires_at, datetime.datetime)
    assert s.expires_at.tzinfo is not None
    now = datetime.datetime.now(datetime.timezone.utc)
    assert 25 * 60 < (s.expires_at - now).total_seconds() <= 30 * 60
    assert isinstance(s.raw, dict)
    assert s.raw["PaymentLogInLink"] == s.url
    s.raw["PaymentLogInLink"] = "changed"  # a fresh dict each time
    assert s.raw["PaymentLogInLink"] == s.url
    assert s.attempts == 1
    assert s.request_id
    assert s.loader_call == "completePayment"
    assert repr(s).startswith("Session(kind='payment', id=")
    assert s.url in repr(s)
    assert json.loads(json.dumps(s.to_dict()))["url"] == s.url


def test_every_operation_works_with_keywords_or_one_dict(client: paystar.Client) -> None:
    account = {"account_number": "ACCT-1001", "name": "Jane Doe"}
    user = {"email_address": "jane@example.com"}
    base = {"business_unit_slug": "acme-utilities"}
    calls: list[tuple[Any, dict[str, Any], str]] = [
        (client.create_payment_session, payment(), "payment"),
        (
            client.create_autopay_session,
            {**base, "client_account": account, "client_user": user, "sync_account": True},
            "autopay",
        ),
        (client.create_wallet_session, {**base, "client_user": user}, "wallet"),
        (
            client.create_paperless_session,
            {**base, "client_account": account, "client_user": user, "sync_account": True},
            "paperless",
        ),
        (client.create_notification_session, {**base, "client_user": user}, "notification"),
    ]
    for method, args, kind in calls:
        assert method(**args).kind == kind
        assert method(args).kind == kind
        loader = "completePayment" if kind == "payment" else "startFlow"
        assert method(args).loader_call == loader


def test_params_and_keywords_together_is_a_type_error(client: paystar.Client) -> None:
    with pytest.raises(TypeError, match="not both"):
        client.create_wallet_session(wallet(), business_unit_slug="x")  # type: ignore[call-overload]


def test_a_typo_is_a_validation_error_with_a_hint(
    client: paystar.Client, gateway: MockGateway
) -> None:
    with pytest.raises(paystar.ValidationError) as info:
        client.create_wallet_session(  # type: ignore[call-overload]
            business_unit_slug="acme", client_usr={"email_address": "a@b.co"}
        )
    e = info.value
    assert e.code == "validation_error"
    assert isinstance(e, ValueError)
    paths = {(f.path, f.rule) for f in e.field_errors}
    assert ("client_usr", "unknown_field") in paths
    assert ("ClientUser", "required") in paths
    assert "did you mean client_user?" in str(e)
    assert e.attempts == 0
    assert gateway.requests == []  # nothing was sent


@pytest.mark.parametrize(
    ("amount", "rule"),
    [
        (decimal.Decimal("150.00"), "type"),
        (150.0, "integer"),
        (True, "integer"),
        (float("nan"), "type"),
        (2**70, "integer"),
        (2**60, "max_value"),
        ("150", "integer"),
    ],
)
def test_amounts_must_be_integer_cents(client: paystar.Client, amount: Any, rule: str) -> None:
    args = payment()
    args["charges"][0]["amount"] = amount
    with pytest.raises(paystar.ValidationError) as info:
        client.create_payment_session(**args)
    assert [(f.path, f.rule) for f in info.value.field_errors] == [("Charges[0].Amount", rule)]


def test_datetimes_are_sent_as_iso_strings(client: paystar.Client, gateway: MockGateway) -> None:
    due = datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.timezone.utc)
    args = payment()
    args["charges"][0]["client_account"]["due_date"] = due
    client.create_payment_session(**args)
    sent = gateway.requests[0]["body"]["Charges"][0]["ClientAccount"]["DueDate"]
    assert sent == "2026-12-01T17:00:00Z"  # core normalises to RFC 3339


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", -1.0),
        ("timeout", 0),
        ("timeout", float("nan")),
        ("timeout", 601),
        ("connect_timeout", float("inf")),
        ("max_retries", -1),
        ("max_retries", 100),
        ("base_url", "http://example.com"),
        ("environment", "staging"),
        ("proxy", "not a url"),
    ],
)
def test_bad_options_fail_at_construction(option: str, value: Any) -> None:
    with pytest.raises(paystar.ConfigurationError) as info:
        paystar.Client(KEY, **{option: value})
    assert option in str(info.value)
    assert KEY not in str(info.value)
    assert KEY not in repr(info.value)


def test_bad_per_call_options_are_configuration_errors(client: paystar.Client) -> None:
    with pytest.raises(paystar.ConfigurationError, match="timeout"):
        client.create_wallet_session(timeout=-2, **wallet())
    with pytest.raises(paystar.ConfigurationError, match="max_retries"):
        client.create_wallet_session(max_retries=-1, **wallet())


def test_per_call_timeout_and_retries_override_the_client(
    client: paystar.Client, gateway: MockGateway
) -> None:
    gateway.script([{"kind": "delay", "ms": 1500}])
    with pytest.raises(paystar.TimeoutError) as info:
        client.create_wallet_session(timeout=0.2, max_retries=0, **wallet())
    assert isinstance(info.value, TimeoutError)  # the builtin
    assert info.value.attempts == 1
    assert info.value.ambiguous


def test_the_key_comes_from_the_environment(
    gateway: MockGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAYSTAR_API_KEY", gateway.api_key)
    client = paystar.Client(base_url=gateway.url)
    assert client.create_wallet_session(**wallet()).attempts == 1
    monkeypatch.delenv("PAYSTAR_API_KEY")
    with pytest.raises(paystar.ConfigurationError, match="PAYSTAR_API_KEY"):
        paystar.Client(base_url=gateway.url)


def test_the_key_never_shows(gateway: MockGateway, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="paystar")
    client = paystar.Client(KEY, base_url=gateway.url, max_retries=0)
    assert KEY not in repr(client)
    assert KEY not in str(client)
    with pytest.raises(paystar.AuthenticationError) as info:
        client.create_wallet_session(**wallet())
    e = info.value
    assert e.status == 401
    for text in (str(e), repr(e), repr(e.__dict__), repr(e.args), pickle.dumps(e).decode("latin1")):
        assert KEY not in text
    assert caplog.records
    assert all(KEY not in r.getMessage() and KEY not in repr(r.__dict__) for r in caplog.records)
    assert gateway.requests[0]["headers"]["x-paystar-api-key"] == "***"


def test_errors_pickle_with_their_attributes(client: paystar.Client) -> None:
    with pytest.raises(paystar.ValidationError) as info:
        client.create_wallet_session(business_unit_slug="")  # type: ignore[call-overload]
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is paystar.ValidationError
    assert copy.field_errors == info.value.field_errors
    assert str(copy) == str(info.value)


def test_one_debug_line_per_attempt_and_a_warning_on_retry(
    client: paystar.Client, gateway: MockGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="paystar")
    gateway.script([{"kind": "status", "status": 503, "retry_after": "0"}])
    session = client.create_wallet_session(**wallet())
    records = [r for r in caplog.records if r.name == "paystar"]
    assert [r.levelname for r in records] == ["WARNING", "DEBUG"]
    retry, ok = (r.getMessage() for r in records)
    path = "/integrations/embedded/initiate-manage-wallet"
    assert retry.startswith(f"POST {path} -> 503 server_error (attempt 1, ")
    assert retry.endswith("; retrying in 0 ms")
    assert ok.startswith(f"POST {path} -> 200 (attempt 2, ")
    assert f"request id {session.request_id})" in ok
    assert records[1].paystar_attempt == 2  # type: ignore[attr-defined]
    assert "jane@example.com" not in retry + ok  # never bodies


def test_nothing_is_logged_above_debug_for_a_clean_call(
    client: paystar.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="paystar")
    client.create_wallet_session(**wallet())
    assert [r for r in caplog.records if r.name == "paystar"] == []


def test_a_closed_client_refuses_calls(gateway: MockGateway) -> None:
    with client_for(gateway) as client:
        client.create_wallet_session(**wallet())
    with pytest.raises(paystar.ConfigurationError, match="closed"):
        client.create_wallet_session(**wallet())
    assert "closed" in repr(client)


def test_the_user_agent_names_python(client: paystar.Client, gateway: MockGateway) -> None:
    client.create_wallet_session(**wallet())
    ua = gateway.requests[0]["headers"]["user-agent"]
    assert ua.startswith(f"paystar/{paystar.__version__} (python 3.")


def test_gateway_errors_keep_the_items(client: paystar.Client) -> None:
    args = payment(client_reference="INV-1")
    client.create_payment_session(**args)
    with pytest.raises(paystar.ApiError) as info:
        client.create_payment_session(**args)
    assert info.value.api_errors
    item = info.value.api_errors[0]
    assert item.property_name == "ClientReference"
    assert isinstance(item.raw, dict)


def test_the_mock_gateway_records_and_stops() -> None:
    gateway = MockGateway(api_key="sk_other", seed=7)
    assert gateway.api_key == "sk_other"
    client = paystar.Client("sk_other", base_url=gateway.url)
    client.create_wallet_session(**wallet())
    assert gateway.session_count == 1
    assert gateway.customer("jane@example.com") is not None
    assert gateway.requests[0]["api_key_valid"] is True
    gateway.stop()
    gateway.stop()  # idempotent
    assert "stopped" in repr(gateway)
    with pytest.raises(paystar.ConfigurationError, match="stopped"):
        gateway.script([])
    with pytest.raises(paystar.ConnectionError):
        client.create_wallet_session(max_retries=0, **wallet())


def test_a_bad_mock_script_is_refused(gateway: MockGateway) -> None:
    with pytest.raises(paystar.ConfigurationError, match="mock script"):
        gateway.script([{"kind": "explode"}])


def test_the_pytest_plugin_fixtures(
    paystar_mock: MockGateway, paystar_client: paystar.Client
) -> None:
    session = paystar_client.create_wallet_session(**wallet())
    assert session.url.startswith(paystar_mock.url)
