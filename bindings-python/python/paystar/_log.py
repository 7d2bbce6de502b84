"""Core's log events onto the ``paystar`` logger, on the caller's thread, after each call.

Core formats the line and collects the events at the level asked for (nothing at all when the
logger is off); this module only asks for the level and hands the events to ``logging``.
"""

from __future__ import annotations

import logging
from typing import Any

_LOGGER = logging.getLogger("paystar")
_LEVELS = {"debug": logging.DEBUG, "warn": logging.WARNING}


def _level() -> int:
    """2 to collect every attempt, 1 for retries only, 0 for nothing."""
    if _LOGGER.isEnabledFor(logging.DEBUG):
        return 2
    return 1 if _LOGGER.isEnabledFor(logging.WARNING) else 0


def _emit(events: list[dict[str, Any]]) -> None:
    """Logs each event: the message as core wrote it, its fields as ``paystar_<name>``."""
    for event in events:
        extra = {f"paystar_{k}": v for k, v in event["fields"].items()}
        _LOGGER.log(_LEVELS[event["level"]], "%s", event["message"], extra=extra)
