"""Several processes, one real Redis: two gunicorn instances of the webhook endpoint
(billing/multiprocess_site.py) on Django's Redis cache. The same delivery posted to both at once
is handled exactly once; a worker SIGKILLed inside the handler leaves a lease that expires, after
which the redelivery is handled. Needs Debian's redis-server and gunicorn (.ci/run installs them;
PAYSTAR_REQUIRE_REDIS=1 makes their absence a failure, not a skip)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from unittest import SkipTest

from django.test import SimpleTestCase

from paystar.webhooks import sign

SECRET = "whsk_multiprocess_test"
SITE = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


def body(reference: str) -> bytes:
    return (
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_multi",'
        f'"referenceNumber":"{reference}","amount":"150.00"}}}}'
    ).encode()


def post(port: int, data: bytes) -> int:
    headers = sign(
        data,
        "hmac_sha256",
        SECRET,
        header="X-Paystar-Signature",
        timestamp_header="X-Paystar-Timestamp",
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/paystar/webhook/", data=data, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return int(e.code)
    except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
        return 0  # no answer: the worker died


class MultiprocessTests(SimpleTestCase):
    def setUp(self) -> None:
        redis = shutil.which("redis-server")
        if redis is None or not GUNICORN.exists():
            if os.environ.get("PAYSTAR_REQUIRE_REDIS"):
                raise AssertionError("redis-server and gunicorn are required here")
            raise SkipTest("needs Debian's redis-server and gunicorn (.ci/run installs them)")
        self.dir = Path(tempfile.mkdtemp(prefix="paystar-multi-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.log = self.dir / "handlers.log"
        self.log.touch()
        redis_port = free_port()
        self.spawn(
            [
                redis,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]
        )
        wait_for_port(redis_port)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PAYSTAR_", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "billing.multiprocess_site",
            "DJANGO_SECRET_KEY": "multiprocess-test",
            "PAYSTAR_API_KEY": "sk_unused",
            "PAYSTAR_WEBHOOK_SECRETS": SECRET,
            "PAYSTAR_TEST_HANDLER_LOG": str(self.log),
            "PAYSTAR_TEST_LEASE": "3",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        }
        self.ports = [free_port(), free_port()]
        self.workers = [self.gunicorn(port) for port in self.ports]
        for port in self.ports:
            wait_for_port(port)

    def spawn(self, command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
        )
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.kill)
        return process

    def gunicorn(self, port: int) -> subprocess.Popen[bytes]:
        command = [str(GUNICORN), "-w", "1", "-b", f"127.0.0.1:{port}", "-t", "120"]
        return self.spawn([*command, "checkout_site.wsgi"], cwd=SITE, env=self.env)

    def lines(self, word: str) -> list[str]:
        return [line for line in self.log.read_text().splitlines() if line.startswith(word)]

    def test_one_delivery_posted_to_two_workers_at_once_is_handled_once(self) -> None:
        data = body("R-ONCE")
        with ThreadPoolExecutor(4) as pool:
            statuses = sorted(pool.map(lambda p: post(p, data), self.ports * 2))
        self.assertEqual(statuses.count(204), 1, statuses)
        self.assertTrue(set(statuses) <= {204, 409, 200}, statuses)
        self.assertEqual(len(self.lines("start")), 1, self.log.read_text())
        # Afterwards every worker knows it: a redelivery is a duplicate on both.
        self.assertEqual([post(p, data) for p in self.ports], [200, 200])
        self.assertEqual(len(self.lines("done")), 1)

    def test_a_worker_killed_in_the_handler_leaves_a_lease_that_expires(self) -> None:
        data = body("SLOW-1")
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(post, self.ports[0], data)
            deadline = time.monotonic() + 20
            while not self.lines("start") and time.monotonic() < deadline:
                time.sleep(0.05)
            (started,) = self.lines("start")
            worker_pid = int(started.split()[1])
            os.kill(worker_pid, signal.SIGKILL)  # the OOM killer, a deploy
            self.assertEqual(post(self.ports[1], data), 409)  # its lease still holds
            self.assertEqual(first.result(timeout=60), 0)  # its connection died with it
        time.sleep(3.5)  # the 3 s lease expires
        # The redelivery runs the handler again, on the other worker, and completes.
        self.assertEqual(post(self.ports[1], data), 204)
        self.assertEqual(len(self.lines("start")), 2, self.log.read_text())
        self.assertEqual(len(self.lines("done")), 1, self.log.read_text())
        self.assertEqual([post(p, data) for p in self.ports], [200, 200])
