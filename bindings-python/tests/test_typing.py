"""The TypedDicts in paystar.types match core's schema (names, nesting, required-ness)."""

from __future__ import annotations

import re
import typing
from typing import Any

import pytest

import paystar
from paystar import _native, types

PARAMS = {
    "create_payment_session": types.PaymentSessionParams,
    "create_autopay_session": types.AutopaySessionParams,
    "create_wallet_session": types.WalletSessionParams,
    "create_paperless_session": types.PaperlessSessionParams,
    "create_notification_session": types.NotificationSessionParams,
    "update_customer": types.UpdateCustomerParams,
    "send_event": types.SendEventParams,
}


def wire(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


def is_typeddict(hint: Any) -> bool:
    """`typing.is_typeddict` (3.10+), also on 3.9: a dict subclass with TypedDict's keys."""
    return isinstance(hint, type) and issubclass(hint, dict) and hasattr(hint, "__required_keys__")


def typed_paths(td: Any, prefix: str = "") -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    hints = typing.get_type_hints(td)
    for key, hint in hints.items():
        path = f"{prefix}{wire(key)}"
        out.append((path, key in td.__required_keys__))
        if is_typeddict(hint):
            out.extend(typed_paths(hint, path + "."))
        elif typing.get_origin(hint) is list:
            (item,) = typing.get_args(hint)
            if is_typeddict(item):
                out.extend(typed_paths(item, path + "[]."))
    return out


@pytest.mark.parametrize("operation", sorted(PARAMS))
def test_typeddicts_match_core(operation: str) -> None:
    assert set(paystar.OPERATIONS) == set(PARAMS)
    core = sorted(_native._request_fields(operation))
    ours = sorted(typed_paths(PARAMS[operation]))
    assert ours == core


def test_snake_case_round_trips() -> None:
    for op in PARAMS:
        for path, _ in _native._request_fields(op):
            for seg in re.split(r"\[\]\.|\.", path):
                snake = re.sub(r"(?<!^)([A-Z])", r"_\1", seg).lower()
                assert wire(snake) == seg
