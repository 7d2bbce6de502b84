"""Writes endpoint.json: the webhook endpoint's conformance vectors (exactly-once handling).
Run it after changing a case:

    python3 tests/vectors/webhooks/make_endpoint.py

Each case is a sequence of steps against one endpoint and one in-memory store: a delivery (its
body, signed at run time with the step's clock, and what the handler does) with the answer,
handler calls and store state it must end with, or a clock advance. Handler outcomes: `ok`
(returns), `status_NNN` (answers NNN itself), `raise`, and `never_returns` (the process died
inside the handler: nothing after it runs, so neither complete nor release). A delivery may
carry another one `during` its handler (a redelivery while the first is still running).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from make_webhooks import AUTOPAY, DOC, NOW

SECRET = "whsk_live_current"
OLD = "whsk_live_previous"
PREFIX = "paystar:webhook:"
DOC_KEY = PREFIX + "Payment.Succeeded:a6fb5g42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG"
AUTOPAY_KEY = PREFIX + "sha256:" + hashlib.sha256(AUTOPAY.encode()).hexdigest()
TS = {"scheme": "hmac_sha256", "secret": SECRET, "timestamp_header": "X-Paystar-Timestamp"}

DELIVERIES = {
    "doc": {"body": DOC, "sign": TS},
    "doc_old_secret": {"body": DOC, "sign": {**TS, "secret": OLD}},
    "doc_forged": {"body": DOC, "sign": {**TS, "secret": "not-the-secret"}},
    "doc_unsigned": {"body": DOC},
    "autopay": {"body": AUTOPAY, "sign": TS},
    "too_large": {"body": {"repeat": " ", "times": 256 * 1024 + 1}, "sign": TS},
    "not_json": {"body": "action=Payment.Succeeded", "sign": TS},
    "standard": {
        "body": DOC,
        "sign": {"scheme": "standard_webhooks", "secret": "whsec_ZXhhbXBsZS1rZXk="},
    },
}
VERIFIER = {"scheme": "hmac_sha256", "secrets": [SECRET], "timestamp_header": "X-Paystar-Timestamp"}

HANDLED = {"status": 204, "body": None}
DUPLICATE = {"status": 200, "body": {"duplicate": True}}
IN_PROGRESS = {"status": 409, "body": {"error": "in_progress"}}


def deliver(
    what: str,
    handler: str,
    answer: Any,
    calls: int,
    store: dict[str, Any] | None = None,
    store_ops: int | None = None,
    during: dict[str, Any] | None = None,
) -> dict[str, Any]:
    expect: dict[str, Any] = {"answer": answer, "handler_calls": calls}
    if store is not None:
        expect["store"] = store
    if store_ops is not None:
        expect["store_ops"] = store_ops
    step: dict[str, Any] = {"deliver": what, "handler": handler}
    if during is not None:
        step["during"] = during
    step["expect"] = expect
    return step


def advance(seconds: int) -> dict[str, Any]:
    return {"advance_s": seconds}


def case(name: str, description: str, steps: list[Any], **verifier: Any) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "verifier": {**VERIFIER, **verifier},
        "steps": steps,
    }


cases = [
    case(
        "first_delivery_is_handled",
        "The first delivery of an event claims its key, runs the handler once, completes the "
        "key and answers 204.",
        [deliver("doc", "ok", HANDLED, 1, {DOC_KEY: "done"}, store_ops=2)],
    ),
    case(
        "redelivery_after_done_is_a_duplicate",
        "A redelivery of a handled event answers 200 {duplicate: true}; the handler does not run.",
        [
            deliver("doc", "ok", HANDLED, 1),
            deliver("doc", "ok", DUPLICATE, 1, {DOC_KEY: "done"}, store_ops=1),
        ],
    ),
    case(
        "redelivery_while_in_progress_is_409",
        "A redelivery arriving while the first delivery's handler still runs answers 409 "
        "in_progress (the sender retries later), not 200: the first may still fail.",
        [
            deliver(
                "doc",
                "ok",
                HANDLED,
                1,
                {DOC_KEY: "done"},
                during=deliver("doc", "ok", IN_PROGRESS, 1, {DOC_KEY: "pending"}, store_ops=1),
            ),
            deliver("doc", "ok", DUPLICATE, 1),
        ],
    ),
    case(
        "handler_raises_then_redelivery_is_handled",
        "A handler that raises releases the key at once (its exception propagates); the "
        "redelivery runs the handler again.",
        [
            deliver("doc", "raise", "raised", 1, {DOC_KEY: None}, store_ops=2),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
            deliver("doc", "ok", DUPLICATE, 2),
        ],
    ),
    case(
        "a_500_response_releases_then_redelivery_is_handled",
        "A handler that answers 500 itself (Django returning HttpResponse(status=500), Express "
        "res.sendStatus(500)) failed: the key is released and its answer is sent.",
        [
            deliver("doc", "status_500", {"status": 500}, 1, {DOC_KEY: None}, store_ops=2),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
        ],
    ),
    case(
        "a_400_response_releases_too",
        "Any non-2xx answer of the handler is a failure: released, so a fixed handler gets "
        "the redelivery.",
        [
            deliver("doc", "status_400", {"status": 400}, 1, {DOC_KEY: None}),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
        ],
    ),
    case(
        "a_2xx_response_of_its_own_completes",
        "A handler answering 201 itself succeeded: the key is completed and its answer sent.",
        [
            deliver("doc", "status_201", {"status": 201}, 1, {DOC_KEY: "done"}),
            deliver("doc", "ok", DUPLICATE, 1),
        ],
    ),
    case(
        "crash_then_redelivery_after_the_lease",
        "A process that dies inside the handler completes and releases nothing: redeliveries "
        "within the lease (60 s) answer 409, and the first after it runs the handler.",
        [
            deliver("doc", "never_returns", "died", 1, {DOC_KEY: "pending"}),
            deliver("doc", "ok", IN_PROGRESS, 1, {DOC_KEY: "pending"}),
            advance(59),
            deliver("doc", "ok", IN_PROGRESS, 1),
            advance(2),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
        ],
    ),
    case(
        "a_shorter_lease",
        "The lease is configurable: 5 s.",
        [
            deliver("doc", "never_returns", "died", 1),
            advance(6),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
        ],
        lease_s=5,
    ),
    case(
        "two_secrets_one_event",
        "While rotating, a delivery signed with the old secret and one with the new are the "
        "same event: handled once.",
        [
            deliver("doc_old_secret", "ok", HANDLED, 1),
            deliver("doc", "ok", DUPLICATE, 1, {DOC_KEY: "done"}),
        ],
        secrets=[SECRET, OLD],
    ),
    case(
        "a_refused_delivery_touches_no_store",
        "Forged, unsigned, unreadable or too large: the refusal's status and reason, no store "
        "operation, no handler call; an authentic delivery afterwards is handled.",
        [
            deliver(
                "doc_forged",
                "ok",
                {"status": 401, "body": {"error": "signature_mismatch"}},
                0,
                {DOC_KEY: None},
                store_ops=0,
            ),
            deliver(
                "doc_unsigned",
                "ok",
                {"status": 401, "body": {"error": "missing_header"}},
                0,
                store_ops=0,
            ),
            deliver(
                "not_json", "ok", {"status": 400, "body": {"error": "not_json"}}, 0, store_ops=0
            ),
            deliver(
                "too_large", "ok", {"status": 413, "body": {"error": "too_large"}}, 0, store_ops=0
            ),
            deliver("doc", "ok", HANDLED, 1, {DOC_KEY: "done"}),
        ],
    ),
    case(
        "the_done_ttl_expires",
        "A handled key is remembered for done_ttl (here 1 hour): a delivery after it runs the "
        "handler again.",
        [
            deliver("doc", "ok", HANDLED, 1),
            advance(3599),
            deliver("doc", "ok", DUPLICATE, 1),
            advance(2),
            deliver("doc", "ok", HANDLED, 2, {DOC_KEY: "done"}),
        ],
        done_ttl_s=3600,
    ),
    case(
        "different_events_do_not_collide",
        "Two events have two keys (a template without ids is keyed by its body's SHA-256).",
        [
            deliver("doc", "ok", HANDLED, 1),
            deliver("autopay", "ok", HANDLED, 2, {DOC_KEY: "done", AUTOPAY_KEY: "done"}),
            deliver("autopay", "ok", DUPLICATE, 2),
        ],
    ),
    case(
        "standard_webhooks",
        "The same machine under Standard Webhooks.",
        [
            deliver("standard", "raise", "raised", 1, {DOC_KEY: None}),
            deliver("standard", "ok", HANDLED, 2, {DOC_KEY: "done"}),
            deliver("standard", "ok", DUPLICATE, 2),
        ],
        scheme="standard_webhooks",
        secrets=["whsec_ZXhhbXBsZS1rZXk="],
        timestamp_header=None,
    ),
]

for c in cases:
    c["verifier"] = {k: v for k, v in c["verifier"].items() if v is not None}

out = {
    "$schema": "./endpoint.schema.json",
    "description": (
        "Webhook endpoint vectors: exactly-once handling (claim, lease, complete, release) in "
        "every language and framework adapter. Written by make_endpoint.py."
    ),
    "now_default": NOW,
    "deliveries": DELIVERIES,
    "cases": cases,
}
path = Path(__file__).with_name("endpoint.json")
path.write_text(json.dumps(out, indent=2) + "\n")
print(f"{len(cases)} cases -> {path}")
