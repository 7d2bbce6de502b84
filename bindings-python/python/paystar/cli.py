"""The ``paystar`` command: the mock gateway, sessions, webhooks and events from a shell.

Installed with the package as the ``paystar`` console script (also ``python -m paystar``).
The command is written once in the Rust core; this passes ``argv`` to it and exits with the
code it returns: 0 ok, 1 a Paystar error, 2 a usage error. See docs/cli.md.
"""

from __future__ import annotations

import sys
from typing import NoReturn, Optional

from paystar import _native

__all__ = ["main"]


def main(argv: Optional[list[str]] = None) -> NoReturn:
    """Runs ``paystar`` with ``argv`` (default: ``sys.argv[1:]``) and exits with its code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = _native.cli_main(["paystar", *args])
    except KeyboardInterrupt:  # Ctrl-C while Python held the GIL: the usual 128 + SIGINT.
        code = 130
    sys.exit(code)
