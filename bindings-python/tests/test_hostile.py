# ruff: noqa: E501  (a table: one row a line reads best)
"""Hostile input (RELIABILITY.md): each row is a typed error naming the field, nothing is sent,
and the interpreter lives on."""

from __future__ import annotations

import decimal
import math
from typing import Any, Callable

import pytest

import paystar
from conftest import payment
from paystar.testing import MockGateway

MB = "x" * 1_000_000


def charge(**over: Any) -> dict[str, Any]:
    c: dict[str, Any] = {"amount": 15000, "description": "Bill"}
    c.update(over)
    return c


def cyclic() -> dict[str, Any]:
    d: dict[str, Any] = {}
    d["d"] = d
    return d


def deep(n: int) -> dict[str, Any]:
    root: dict[str, Any] = {}
    node = root
    for _ in range(n):
        node["d"] = node = {}
    return root


# (name, overrides of a valid payment, the path named, the rule)
ROWS: list[tuple[str, Callable[[], dict[str, Any]], str, str]] = [
    ("amount as text", lambda: {"charges": [charge(amount="150")]}, "Charges[0].Amount", "integer"),
    ("amount as float", lambda: {"charges": [charge(amount=150.5)]}, "Charges[0].Amount", "integer"),
    ("amount NaN", lambda: {"charges": [charge(amount=math.nan)]}, "Charges[0].Amount", "type"),
    ("amount Infinity", lambda: {"charges": [charge(amount=math.inf)]}, "Charges[0].Amount", "type"),
    ("amount bool", lambda: {"charges": [charge(amount=True)]}, "Charges[0].Amount", "integer"),
    ("amount Decimal", lambda: {"charges": [charge(amount=decimal.Decimal("1.5"))]}, "Charges[0].Amount", "type"),
    ("amount 2**53", lambda: {"charges": [charge(amount=2**53)]}, "Charges[0].Amount", "max_value"),
    ("amount 10**30", lambda: {"charges": [charge(amount=10**30)]}, "Charges[0].Amount", "integer"),
    ("amount negative", lambda: {"charges": [charge(amount=-1)]}, "Charges[0].Amount", "positive_integer"),
    ("None where required", lambda: {"business_unit_slug": None}, "BusinessUnitSlug", "required"),
    ("unknown key", lambda: {"amout": 1}, "amout", "unknown_field"),
    ("1 MB description", lambda: {"charges": [charge(description=MB)]}, "Charges[0].Description", "max_length"),
    ("1 MB extra value", lambda: {"extra": {"Blob": MB}}, "Extra.Blob", "max_length"),
    ("lone surrogate", lambda: {"charges": [charge(description="a\ud800b")]}, "Charges[0].Description", "type"),
    ("control character", lambda: {"client_reference": "INV\x00-1"}, "ClientReference", "control_characters"),
    ("bidi override", lambda: {"client_reference": "INV\u202e1-VNI"}, "ClientReference", "control_characters"),
    ("10,000 charges", lambda: {"charges": [charge() for _ in range(10_000)]}, "Charges", "max_items"),
    ("cyclic extra", lambda: {"extra": {"Deep": cyclic()}}, "Extra.Deep", "max_depth"),
    ("100k-deep extra", lambda: {"extra": {"Deep": deep(100_000)}}, "Extra.Deep", "max_depth"),
    ("javascript: URL", lambda: {"success_url": "javascript:alert(1)"}, "SuccessUrl", "url"),
    ("relative URL", lambda: {"return_url": "/pay"}, "ReturnUrl", "url"),
    ("wrong type for an object", lambda: {"client_user": "jane"}, "ClientUser", "type"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "overrides", "path", "rule"), ROWS, ids=[r[0] for r in ROWS])
def test_hostile_input_is_a_typed_error_naming_the_field(
    client: paystar.Client,
    gateway: MockGateway,
    name: str,
    overrides: Callable[[], dict[str, Any]],
    path: str,
    rule: str,
) -> None:
    with pytest.raises(paystar.ValidationError) as info:
        client.create_payment_session(**payment(**overrides()))
    # A nesting error names the level where it stopped (Extra.Deep.D.D...): compare its root.
    found = {(f.path.split(".D.")[0].removesuffix(".D"), f.rule) for f in info.value.field_errors}
    assert (path, rule) in found, info.value.field_errors
    assert gateway.requests == []
    assert client.create_wallet_session(  # the process and the client live on
        business_unit_slug="acme", client_user={"email_address": "a@b.co"}
    ).url
