"""Writes webhooks.json: the webhook conformance vectors, signed here with Python's own hmac and
hashlib (an implementation independent of core's). Run it after changing a case:

    python3 tests/vectors/webhooks/make_webhooks.py
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
DOC = (
    '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"a6fb5g42-4280-46af-b04e-2c58067bc111",'
    '"status":"Succeeded","referenceNumber":"NYDVNT-WSQPG","amount":"300.34","accountNumber":"123-45",'
    '"accountName":"John Smith","paymentIdentifier":"","amountFormatted":"$300.34","serviceFee":"1012"}}'
)
DOC_EVENT = {
    "action": "Payment.Succeeded",
    "session_identifier": "a6fb5g42-4280-46af-b04e-2c58067bc111",
    "status": "Succeeded",
    "reference_number": "NYDVNT-WSQPG",
    "account_number": "123-45",
    "account_name": "John Smith",
    "amount_cents": 30034,
    "service_fee_cents": 1012,
    "idempotency_key": "Payment.Succeeded:a6fb5g42-4280-46af-b04e-2c58067bc111:NYDVNT-WSQPG",
}
AUTOPAY = (
    '{"action":"AutoPay.Enrolled","payload":{"accountName":"John Smith","subAccountNumber":"",'
    '"activityType":"Enroll","paymentSource":"Visa ending in 4242","processingLeadTime":"3"}}'
)
# The Standard Webhooks reference libraries' published test vector.
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_BODY = '{"test": 2432232314}'
SW_ID, SW_TS = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330
SW_SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
SW_OLD = "whsec_" + base64.b64encode(b"an older key, rotated out").decode()


def mac(secret: str, text: str) -> bytes:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()


def sw(secret: str, msg_id: str, ts: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{ts}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sha_key(body: str) -> str:
    return "sha256:" + hashlib.sha256(body.encode()).hexdigest()


HMAC = {"scheme": "hmac_sha256", "secrets": ["whsk_live_current"]}
HMAC_TS = {**HMAC, "header": "X-Paystar-Signature", "timestamp_header": "X-Paystar-Timestamp"}
SHARED = {"scheme": "shared_secret", "secrets": ["token-current-0001"]}
STD = {"scheme": "standard_webhooks", "secrets": [SW_SECRET]}
GOOD = mac("whsk_live_current", DOC).hex()
TAMPERED = DOC.replace("300.34", "900.34")


def ts_sig(ts: int, body: str = DOC) -> dict[str, str]:
    return {
        "X-Paystar-Signature": mac("whsk_live_current", f"{ts}.{body}").hex(),
        "X-Paystar-Timestamp": str(ts),
    }


def verify(
    name: str,
    verifier: dict[str, Any],
    body: Any,
    headers: Any,
    expect: dict[str, Any],
    now: int = NOW,
) -> dict[str, Any]:
    return {
        "name": name,
        "operation": "verify",
        "verifier": verifier,
        "body": body,
        "headers": headers,
        "now": now,
        "expect": expect,
    }


def parse(name: str, body: Any, expect: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "operation": "parse", "body": body, "expect": expect}


def err(reason: str, *contains: str) -> dict[str, Any]:
    e: dict[str, Any] = {"code": "webhook_error", "reason": reason}
    if contains:
        e["message_contains"] = list(contains)
    return {"error": e}


def config(*contains: str) -> dict[str, Any]:
    return {"error": {"code": "configuration_error", "message_contains": list(contains)}}


def amount_case(name: str, amount: str, cents: Any) -> dict[str, Any]:
    body = json.dumps(
        {"action": "Payment.Succeeded", "payload": {"sessionIdentifier": "ps_1", "amount": amount}}
    )
    return parse(
        name,
        body,
        {"event": {"amount_cents": cents}} if not isinstance(cents, str) else err(cents, "amount"),
    )


OK = {"event": DOC_EVENT}
LONG_ID = json.dumps(
    {
        "action": "Payment.Succeeded",
        "payload": {"sessionIdentifier": "s" * 200, "referenceNumber": "R"},
    }
)
big_pad = 256 * 1024 - len('{"pad":""}')
AT_LIMIT = '{"pad":"' + "x" * big_pad + '"}'

cases = [
    # shared_secret
    verify(
        "shared_secret: the default header carries the secret",
        SHARED,
        DOC,
        {"X-Webhook-Secret": "token-current-0001"},
        OK,
    ),
    verify(
        "shared_secret: header names match in any case",
        {**SHARED, "header": "X-Paystar-Token"},
        DOC,
        {"x-paystar-token": "token-current-0001"},
        OK,
    ),
    verify(
        "shared_secret: a wrong secret",
        SHARED,
        DOC,
        {"X-Webhook-Secret": "token-current-0002"},
        err("signature_mismatch", "X-Webhook-Secret"),
    ),
    verify(
        "shared_secret: the header is missing",
        SHARED,
        DOC,
        {"X-Other": "token-current-0001"},
        err("missing_header", "X-Webhook-Secret"),
    ),
    verify(
        "shared_secret: the old secret during rotation",
        {**SHARED, "secrets": ["token-next-0002", "token-current-0001"]},
        DOC,
        {"X-Webhook-Secret": "token-current-0001"},
        OK,
    ),
    verify(
        "shared_secret: a repeated header, one value right",
        SHARED,
        DOC,
        {"X-Webhook-Secret": ["nope", "token-current-0001"]},
        OK,
    ),
    # hmac_sha256
    verify("hmac_sha256: hex of the body", HMAC, DOC, {"X-Webhook-Signature": GOOD}, OK),
    verify("hmac_sha256: upper-case hex", HMAC, DOC, {"X-Webhook-Signature": GOOD.upper()}, OK),
    verify(
        "hmac_sha256: a sha256= prefix", HMAC, DOC, {"X-Webhook-Signature": "sha256=" + GOOD}, OK
    ),
    verify(
        "hmac_sha256: base64",
        {**HMAC, "encoding": "base64"},
        DOC,
        {"X-Webhook-Signature": base64.b64encode(mac("whsk_live_current", DOC)).decode()},
        OK,
    ),
    verify(
        "hmac_sha256: a tampered body",
        HMAC,
        TAMPERED,
        {"X-Webhook-Signature": GOOD},
        err("signature_mismatch"),
    ),
    verify(
        "hmac_sha256: signed with another secret",
        HMAC,
        DOC,
        {"X-Webhook-Signature": mac("whsk_live_other", DOC).hex()},
        err("signature_mismatch"),
    ),
    verify(
        "hmac_sha256: the rotated-out secret still accepted while listed",
        {**HMAC, "secrets": ["whsk_live_next", "whsk_live_current"]},
        DOC,
        {"X-Webhook-Signature": GOOD},
        OK,
    ),
    verify(
        "hmac_sha256: the rotated-out secret refused once removed",
        {**HMAC, "secrets": ["whsk_live_next"]},
        DOC,
        {"X-Webhook-Signature": GOOD},
        err("signature_mismatch"),
    ),
    verify(
        "hmac_sha256: not hex",
        HMAC,
        DOC,
        {"X-Webhook-Signature": "zz" + GOOD[2:]},
        err("malformed_header"),
    ),
    verify(
        "hmac_sha256: the signature header is missing",
        HMAC,
        DOC,
        {},
        err("missing_header", "X-Webhook-Signature"),
    ),
    verify("hmac_sha256 + timestamp: fresh", HMAC_TS, DOC, ts_sig(NOW - 10), OK),
    verify(
        "hmac_sha256 + timestamp: exactly at the tolerance", HMAC_TS, DOC, ts_sig(NOW - 300), OK
    ),
    verify(
        "hmac_sha256 + timestamp: stale by a second",
        HMAC_TS,
        DOC,
        ts_sig(NOW - 301),
        err("timestamp_too_old", "X-Paystar-Timestamp"),
    ),
    verify(
        "hmac_sha256 + timestamp: from the future",
        HMAC_TS,
        DOC,
        ts_sig(NOW + 301),
        err("timestamp_in_future"),
    ),
    verify(
        "hmac_sha256 + timestamp: a wider tolerance",
        {**HMAC_TS, "tolerance_s": 3600},
        DOC,
        ts_sig(NOW - 3000),
        OK,
    ),
    verify(
        "hmac_sha256 + timestamp: the timestamp header is missing",
        HMAC_TS,
        DOC,
        {"X-Paystar-Signature": ts_sig(NOW)["X-Paystar-Signature"]},
        err("missing_header", "X-Paystar-Timestamp"),
    ),
    verify(
        "hmac_sha256 + timestamp: not a number",
        HMAC_TS,
        DOC,
        {**ts_sig(NOW), "X-Paystar-Timestamp": "yesterday"},
        err("malformed_header"),
    ),
    verify(
        "hmac_sha256 + timestamp: a replayed timestamp swapped in",
        HMAC_TS,
        DOC,
        {**ts_sig(NOW - 1000), "X-Paystar-Timestamp": str(NOW)},
        err("signature_mismatch"),
    ),
    verify(
        "hmac_sha256 + timestamp: the body alone signed",
        HMAC_TS,
        DOC,
        {"X-Paystar-Signature": GOOD, "X-Paystar-Timestamp": str(NOW)},
        err("signature_mismatch"),
    ),
    # standard_webhooks
    verify(
        "standard_webhooks: the reference vector",
        STD,
        SW_BODY,
        {"webhook-id": SW_ID, "webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        {"event": {"action": None, "amount_cents": None, "idempotency_key": sha_key(SW_BODY)}},
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: header names in upper case",
        STD,
        SW_BODY,
        {"WEBHOOK-ID": SW_ID, "Webhook-Timestamp": str(SW_TS), "WEBHOOK-SIGNATURE": SW_SIG},
        {"event": {"action": None}},
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: a tampered body",
        STD,
        SW_BODY.replace("2432", "9432"),
        {"webhook-id": SW_ID, "webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        err("signature_mismatch"),
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: another id",
        STD,
        SW_BODY,
        {"webhook-id": "msg_other", "webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        err("signature_mismatch"),
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: stale",
        STD,
        SW_BODY,
        {"webhook-id": SW_ID, "webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        err("timestamp_too_old", "webhook-timestamp"),
        now=SW_TS + 301,
    ),
    verify(
        "standard_webhooks: from the future",
        STD,
        SW_BODY,
        {"webhook-id": SW_ID, "webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        err("timestamp_in_future"),
        now=SW_TS - 301,
    ),
    verify(
        "standard_webhooks: webhook-id missing",
        STD,
        SW_BODY,
        {"webhook-timestamp": str(SW_TS), "webhook-signature": SW_SIG},
        err("missing_header", "webhook-id"),
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: several signatures, one valid",
        STD,
        SW_BODY,
        {
            "webhook-id": SW_ID,
            "webhook-timestamp": str(SW_TS),
            "webhook-signature": "v1,Zm9v v2,abc " + SW_SIG,
        },
        {"event": {"action": None}},
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: only an unknown version",
        STD,
        SW_BODY,
        {
            "webhook-id": SW_ID,
            "webhook-timestamp": str(SW_TS),
            "webhook-signature": "v1a," + SW_SIG[3:],
        },
        err("malformed_header"),
        now=SW_TS,
    ),
    verify(
        "standard_webhooks: rotation (signed with the older secret)",
        {**STD, "secrets": [SW_SECRET, SW_OLD]},
        DOC,
        {
            "webhook-id": "msg_1",
            "webhook-timestamp": str(NOW),
            "webhook-signature": sw(SW_OLD, "msg_1", NOW, DOC),
        },
        OK,
    ),
    # authentication first, then the body
    verify(
        "a body over 256 KiB is refused before anything else",
        HMAC,
        {"repeat": "x", "times": 256 * 1024 + 1},
        {},
        err("too_large"),
    ),
    verify(
        "a body of exactly 256 KiB is accepted",
        SHARED,
        {"prefix": '{"pad":"', "repeat": "x", "times": big_pad, "suffix": '"}'},
        {"X-Webhook-Secret": "token-current-0001"},
        {"event": {"action": None, "idempotency_key": sha_key(AT_LIMIT)}},
    ),
    verify(
        "an unauthenticated body is not parsed",
        HMAC,
        "not json",
        {"X-Webhook-Signature": GOOD},
        err("signature_mismatch"),
    ),
    verify(
        "an authentic body that is not JSON",
        HMAC,
        "not json",
        {"X-Webhook-Signature": mac("whsk_live_current", "not json").hex()},
        err("not_json"),
    ),
    verify(
        "an authentic body that is a JSON list",
        HMAC,
        "[1,2]",
        {"X-Webhook-Signature": mac("whsk_live_current", "[1,2]").hex()},
        err("not_object"),
    ),
    # configuration
    verify(
        "an unknown scheme",
        {"scheme": "md5", "secrets": ["x"]},
        DOC,
        {},
        config("scheme", "hmac_sha256"),
    ),
    verify("no secret", {"scheme": "hmac_sha256", "secrets": []}, DOC, {}, config("secrets")),
    verify(
        "an empty secret", {"scheme": "shared_secret", "secrets": [""]}, DOC, {}, config("secrets")
    ),
    verify(
        "a standard_webhooks secret that is not base64",
        {"scheme": "standard_webhooks", "secrets": ["whsec_not base64!"]},
        DOC,
        {},
        config("secrets", "whsec_"),
    ),
    verify(
        "standard_webhooks names its own headers",
        {**STD, "header": "X-Sig"},
        DOC,
        {},
        config("header"),
    ),
    verify("a header name with a space", {**HMAC, "header": "X Sig"}, DOC, {}, config("header")),
    verify(
        "an unknown verifier option",
        {**HMAC, "secret": "typo"},
        DOC,
        {},
        config("secret", "did you mean"),
    ),
    # parse: the documented templates and custom ones
    parse("parse: the documented Payment.Succeeded example", DOC, OK),
    parse(
        "parse: the documented AutoPay.Enrolled template",
        AUTOPAY,
        {
            "event": {
                "action": "AutoPay.Enrolled",
                "account_name": "John Smith",
                "session_identifier": None,
                "amount_cents": None,
                "service_fee_cents": None,
                "idempotency_key": sha_key(AUTOPAY),
            }
        },
    ),
    parse(
        "parse: a flat custom template",
        '{"event":"paid","sessionIdentifier":"ps_9","amount":"12.00"}',
        {
            "event": {
                "action": None,
                "session_identifier": "ps_9",
                "amount_cents": 1200,
                "idempotency_key": ":ps_9:",
            }
        },
    ),
    parse(
        "parse: every field missing",
        '{"action":"Payment.Succeeded","payload":{}}',
        {
            "event": {
                "action": "Payment.Succeeded",
                "session_identifier": None,
                "status": None,
                "reference_number": None,
                "account_number": None,
                "account_name": None,
                "amount_cents": None,
                "service_fee_cents": None,
                "idempotency_key": sha_key('{"action":"Payment.Succeeded","payload":{}}'),
            }
        },
    ),
    parse(
        "parse: empty variables are absent",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_2","amount":"","serviceFee":"","referenceNumber":""}}',
        {
            "event": {
                "amount_cents": None,
                "service_fee_cents": None,
                "reference_number": None,
                "idempotency_key": "Payment.Succeeded:ps_2:",
            }
        },
    ),
    parse(
        "parse: field names in another case",
        '{"action":"Payment.Succeeded","payload":{"SessionIdentifier":"ps_3","Amount":"1.00"}}',
        {"event": {"session_identifier": "ps_3", "amount_cents": 100}},
    ),
    parse(
        "parse: unquoted numbers",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_4","amount":300.34,"serviceFee":1012}}',
        {"event": {"amount_cents": 30034, "service_fee_cents": 1012}},
    ),
    parse(
        "parse: a JSON-number amount is read from its digits, never through a float",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_4","amount":90071992547409.91}}',
        {"event": {"amount_cents": 9007199254740991}},
    ),
    parse(
        "parse: a JSON-number amount in exponent form is refused",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_4","amount":3.0034e2}}',
        err("invalid_amount", "amount"),
    ),
    parse(
        "parse: a JSON-number amount with a fraction of a cent is refused",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_4","amount":300.345}}',
        err("invalid_amount", "amount"),
    ),
    parse(
        "parse: a JSON-number service fee with decimals is refused",
        '{"action":"Payment.Succeeded","payload":{"sessionIdentifier":"ps_4","serviceFee":10.0}}',
        err("invalid_amount", "serviceFee"),
    ),
    parse(
        "parse: an idempotency key past 184 bytes is hashed (a store or a column holds it)",
        LONG_ID,
        {
            "event": {
                "session_identifier": "s" * 200,
                "idempotency_key": "sha256:"
                + hashlib.sha256(f"Payment.Succeeded:{'s' * 200}:R".encode()).hexdigest(),
            }
        },
    ),
    parse(
        "parse: an idempotency key with a space is hashed",
        '{"action":"Payment Succeeded","payload":{"sessionIdentifier":"ps_6","referenceNumber":"R"}}',
        {
            "event": {
                "idempotency_key": "sha256:"
                + hashlib.sha256(b"Payment Succeeded:ps_6:R").hexdigest()
            }
        },
    ),
    parse(
        "parse: an action that is not text",
        '{"action":7,"payload":{"sessionIdentifier":"ps_5"}}',
        {"event": {"action": None, "session_identifier": "ps_5"}},
    ),
    amount_case("amount: plain dollars and cents", "300.34", 30034),
    amount_case("amount: whole dollars", "300", 30000),
    amount_case("amount: one decimal", "12.5", 1250),
    amount_case("amount: a dollar sign", "$300.34", 30034),
    amount_case("amount: thousands separators", "1,234.50", 123450),
    amount_case("amount: surrounding spaces", " 7.00 ", 700),
    amount_case("amount: negative", "-3.25", -325),
    amount_case("amount: trailing zeros past cents", "300.340", 30034),
    amount_case("amount: the largest exact in JavaScript", "90071992547409.91", 9007199254740991),
    amount_case("amount: too large", "90071992547409.92", "invalid_amount"),
    amount_case("amount: a fraction of a cent", "300.345", "invalid_amount"),
    amount_case("amount: misplaced separators", "1,23.00", "invalid_amount"),
    amount_case("amount: garbage", "three hundred", "invalid_amount"),
    amount_case("amount: exponent", "3e2", "invalid_amount"),
    amount_case("amount: non-ASCII digits", "٣٠٠", "invalid_amount"),
    parse(
        "serviceFee: decimals are not minor units",
        '{"payload":{"serviceFee":"10.12"}}',
        err("invalid_amount", "serviceFee"),
    ),
    parse("parse: not JSON", "action=Payment.Succeeded", err("not_json")),
    parse(
        "parse: not UTF-8",
        {"base64": base64.b64encode(b'{"action":"\xff"}').decode()},
        err("not_json"),
    ),
    parse("parse: a JSON string", '"Payment.Succeeded"', err("not_object")),
    parse("parse: over 256 KiB", {"repeat": " ", "times": 256 * 1024 + 1}, err("too_large")),
    # sign (what the mock sends, and what tests of an endpoint use)
    {
        "name": "sign: hmac_sha256 hex",
        "operation": "sign",
        "sign": {"scheme": "hmac_sha256", "secret": "whsk_live_current"},
        "body": DOC,
        "expect": {"headers": {"X-Webhook-Signature": GOOD}},
    },
    {
        "name": "sign: hmac_sha256 with a timestamp header, base64",
        "operation": "sign",
        "sign": {
            "scheme": "hmac_sha256",
            "secret": "whsk_live_current",
            "header": "X-Paystar-Signature",
            "timestamp_header": "X-Paystar-Timestamp",
            "timestamp": NOW,
            "encoding": "base64",
        },
        "body": DOC,
        "expect": {
            "headers": {
                "X-Paystar-Signature": base64.b64encode(
                    mac("whsk_live_current", f"{NOW}.{DOC}")
                ).decode(),
                "X-Paystar-Timestamp": str(NOW),
            }
        },
    },
    {
        "name": "sign: standard_webhooks, the reference vector",
        "operation": "sign",
        "sign": {
            "scheme": "standard_webhooks",
            "secret": SW_SECRET,
            "id": SW_ID,
            "timestamp": SW_TS,
        },
        "body": SW_BODY,
        "expect": {
            "headers": {
                "webhook-id": SW_ID,
                "webhook-timestamp": str(SW_TS),
                "webhook-signature": SW_SIG,
            }
        },
    },
    {
        "name": "sign: shared_secret",
        "operation": "sign",
        "sign": {
            "scheme": "shared_secret",
            "secret": "token-current-0001",
            "header": "X-Paystar-Token",
        },
        "body": DOC,
        "expect": {"headers": {"X-Paystar-Token": "token-current-0001"}},
    },
]


def main() -> None:
    out = Path(__file__).with_name("webhooks.json")
    out.write_text(
        json.dumps(
            {
                "description": "Webhook conformance vectors (tests/README.md). Generated by make_webhooks.py; signatures computed with Python's hmac.",
                "now_default": NOW,
                "cases": cases,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"{len(cases)} cases -> {out}")


if __name__ == "__main__":
    main()
