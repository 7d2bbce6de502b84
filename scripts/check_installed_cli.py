"""Runs an installed `paystar` command as a user would, without Rust on PATH (run by
`make dist-check`, `make pack-check` and `make kotlin-cli-check` for the wheel's console script,
the npm tarball's `bin` and the JAR's `java -jar`):

1. `paystar --help` succeeds and lists the commands;
2. `paystar mock --json` starts the mock gateway as a process and prints its URL;
3. `paystar sessions create wallet -d ...` against it prints the session's URL on the mock;
4. `paystar webhooks listen` receives `paystar webhooks trigger --redeliver 1`: handled once
   (204), then recognised (200 duplicate); the wrong secret is answered 401 and exits 1;
5. both long-running commands stop on SIGTERM (exit 0, or the host's way: Node by the signal,
   the JVM 143).

Usage: python3 scripts/check_installed_cli.py COMMAND [ARG...]   (e.g. `java -jar x-cli.jar`)
Prints each step; exits 1 at the first step that fails.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from typing import Optional

# Only the system's directories, and CLI_CHECK_PATH (where node or java lives, when elsewhere):
# no cargo, no rustc.
PATH = ":".join(p for p in ("/usr/bin", "/bin", os.environ.get("CLI_CHECK_PATH")) if p)
SECRET = "whsk_cli_check"


def env(extra: Optional[dict[str, str]] = None) -> dict[str, str]:
    base = {"HOME": os.environ.get("HOME", "/tmp"), "PATH": PATH}
    return {**base, **(extra or {})}


def fail(step: str, detail: str) -> None:
    print(f"FAIL {step}: {detail}")
    sys.exit(1)


def run(command: list[str], *args: str, extra: Optional[dict[str, str]] = None) -> tuple[int, str]:
    r = subprocess.run(
        [*command, *args], env=env(extra), capture_output=True, text=True, timeout=120, check=False
    )
    return r.returncode, r.stdout + r.stderr


def start(command: list[str], *args: str) -> tuple[subprocess.Popen[str], str]:
    p = subprocess.Popen(
        [*command, *args],
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert p.stdout is not None
    return p, p.stdout.readline().strip()


def stop(step: str, p: subprocess.Popen[str]) -> None:
    """SIGTERM ends it: exit 0 where the command handles signals (the binary, Python), or the
    host's own way where its handlers end the process: by the signal (Node) or 128 + 15 (the
    JVM's shutdown)."""
    p.send_signal(signal.SIGTERM)
    try:
        code = p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        fail(step, "still running 30 s after SIGTERM")
    ways = {0: "exit 0", -signal.SIGTERM: "by the signal", 128 + signal.SIGTERM: "exit 143"}
    if code not in ways:
        fail(step, f"exited {code} on SIGTERM (expected one of {sorted(ways)})")
    print(f"ok   {step}: stopped on SIGTERM ({ways[code]})")


def main() -> None:
    command = sys.argv[1:]
    if not command:
        sys.exit(__doc__)
    for tool in ("cargo", "rustc"):
        if shutil.which(tool, path=PATH):
            fail("environment", f"{tool} is on {PATH}: this check is for machines without Rust")
    code, text = run(command, "--help")
    if code != 0 or "webhooks" not in text:
        fail("--help", f"exit {code}: {text}")
    print(f"ok   {' '.join(command)} --help")

    mock, first = start(command, "mock", "--json")
    try:
        url = json.loads(first)["url"]
        key = json.loads(first)["api_key"]
    except (ValueError, KeyError):
        fail("mock --json", f"printed {first!r}")
    print(f"ok   mock: {url}")
    code, text = run(
        command,
        *("sessions", "create", "wallet", "-d", "BusinessUnitSlug=acme-utilities"),
        *("-d", "ClientUser.EmailAddress=jane@example.com"),
        extra={"PAYSTAR_BASE_URL": url, "PAYSTAR_API_KEY": key},
    )
    if code != 0 or f"url         {url}/" not in text:
        fail("sessions create wallet", f"exit {code}: {text}")
    print("ok   sessions create wallet: " + text.splitlines()[0].split()[-1])
    stop("mock", mock)

    listen, hook = start(
        command, "webhooks", "listen", "--scheme", "hmac_sha256", "--secret", SECRET
    )
    if not hook.startswith("http://127.0.0.1:"):
        fail("webhooks listen", f"printed {hook!r}")
    trigger = ("webhooks", "trigger", "Payment.Succeeded", "--to", hook, "--scheme", "hmac_sha256")
    code, text = run(command, *trigger, "--secret", SECRET, "--redeliver", "1")
    if code != 0 or "delivery 1/2: 204" not in text or '2/2: 200 {"duplicate":true}' not in text:
        fail("webhooks trigger", f"exit {code}: {text}")
    print("ok   webhooks trigger --redeliver 1: 204, then 200 duplicate")
    code, text = run(command, *trigger, "--secret", "not-the-secret")
    if code != 1 or "delivery 1/1: 401" not in text:
        fail("webhooks trigger (wrong secret)", f"exit {code}: {text}")
    print("ok   webhooks trigger with the wrong secret: 401, exit 1")
    stop("webhooks listen", listen)


if __name__ == "__main__":
    main()
