"""The checkout's webhook endpoint as several gunicorn workers on one Redis cache, for
test_multiprocess.py: settings (the example's, with Django's Redis cache from REDIS_URL, a
short lease and a handler log), the URLconf and an instrumented view, in one module.

Each handler run appends `start <pid> <key>` and, when it returns, `done <pid> <key>` to
HANDLER_LOG; the first run of an event whose referenceNumber starts with SLOW sleeps 30 s in
between (the test SIGKILLs the worker there), every other run 0.5 s.
"""

from __future__ import annotations

import os
import time
from typing import Optional

from django.http import HttpRequest, HttpResponse
from django.urls import path

from checkout_site.settings import *  # noqa: F403
from checkout_site.settings import PAYSTAR_WEBHOOK
from paystar.django import webhook_view
from paystar.webhooks import WebhookEvent

ROOT_URLCONF = __name__
PAYSTAR_WEBHOOK = {**PAYSTAR_WEBHOOK, "lease": float(os.environ.get("PAYSTAR_TEST_LEASE", "60"))}
HANDLER_LOG = os.environ["PAYSTAR_TEST_HANDLER_LOG"]


def _log(line: str) -> None:
    with open(HANDLER_LOG, "a") as f:
        f.write(line + "\n")


@webhook_view()
def hook(request: HttpRequest, event: WebhookEvent) -> Optional[HttpResponse]:
    with open(HANDLER_LOG) as f:
        first = not any(line.endswith(f" {event.idempotency_key}\n") for line in f)
    _log(f"start {os.getpid()} {event.idempotency_key}")
    slow = first and (event.reference_number or "").startswith("SLOW")
    time.sleep(30 if slow else 0.5)
    _log(f"done {os.getpid()} {event.idempotency_key}")
    return None


urlpatterns = [path("paystar/webhook/", hook)]
