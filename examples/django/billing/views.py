"""The checkout: a view that creates a payment session for the user and renders a page that
opens it, the webhook endpoint that records the payment once, and the page that shows it."""

from __future__ import annotations

import logging
from typing import Any, Optional

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import paystar
from billing.models import Payment
from billing.paystar_client import get_client
from paystar.django import webhook_view
from paystar.webhooks import WebhookEvent

log = logging.getLogger(__name__)


def bill_for(email: str) -> dict[str, Any]:
    """What this customer owes: replace with your billing data (never the request's say-so)."""
    return dict(settings.PAYSTAR_DEMO_BILL)


def pay(request: HttpRequest) -> HttpResponse:
    """Opens a Paystar payment session for the current user's bill.

    Who pays and how much come from the server's own data, never from the query string or a
    header; where Paystar sends the customer back is ``PAYSTAR_PUBLIC_URL``, never the request's
    Host (a forged one would turn the page after a payment into an open redirect).
    """
    user = request.user
    email = getattr(user, "email", "") or "jane.doe@example.com"
    bill = bill_for(email)
    public = settings.PAYSTAR_PUBLIC_URL.rstrip("/")
    try:
        session = get_client().create_payment_session(
            business_unit_slug=settings.PAYSTAR_BUSINESS_UNIT,
            channel="QuickPay",
            charges=[
                {
                    "amount": bill["amount"],  # integer cents, from the server's own data
                    "description": bill["description"],
                    "client_account": {"account_number": "ACC-12345", "name": "Jane Doe"},
                }
            ],
            client_user={"email_address": email},
            success_url=f"{public}/paid/",
            return_url=f"{public}/pay/",
        )
    except paystar.ValidationError as e:
        log.warning("payment request refused: %s", e)
        message = "We could not prepare this payment: " + "; ".join(
            f.message for f in e.field_errors
        )
        return render(request, "billing/error.html", {"message": message}, status=400)
    except paystar.PaystarError as e:
        if e.retryable:  # an outage, not a mistake: core says which codes these are
            log.error("Paystar is unavailable (%s, request id %s)", e.code, e.request_id)
            message = "Online payments are briefly unavailable. Please try again in a minute."
            return render(request, "billing/error.html", {"message": message}, status=503)
        log.error("Paystar refused the session (%s, request id %s)", e.code, e.request_id)
        message = "Online payments are unavailable right now. Our team has been told."
        return render(request, "billing/error.html", {"message": message}, status=502)
    request.session["paystar_session_id"] = session.id  # the /paid/ page looks it up
    client = get_client()
    return render(
        request,
        "billing/pay.html",
        {
            "session": session,
            "loader_url": client.loader_url,
            "loader_call": session.loader_call,
        },
    )


@webhook_view()  # verifier from settings.PAYSTAR_WEBHOOK; each event handled once
def paystar_webhook(request: HttpRequest, event: WebhookEvent) -> Optional[HttpResponse]:
    """Records a payment. core's endpoint runs this once per event: a redelivery of a recorded
    payment never reaches it, and if it fails (raises, or answers 5xx as below) the event is
    released and Paystar's redelivery runs it again. The webhook is authentic (verified), but
    Paystar documents no API to look a payment up, so treat amounts as what Paystar said and
    reconcile with Paystar's reports before shipping goods."""
    if event.action != "Payment.Succeeded" or event.session_identifier is None:
        log.info("webhook %s ignored", event.action)
        return None
    try:
        _, created = Payment.objects.get_or_create(  # the unique key: the last word on duplicates
            idempotency_key=event.idempotency_key,
            defaults={
                "session_id": event.session_identifier,
                "reference_number": event.reference_number or "",
                "amount_cents": event.amount_cents,
                "account_number": event.account_number or "",
            },
        )
    except DatabaseError:
        # Not recorded: a 5xx releases the event, and Paystar redelivers it later.
        log.exception("could not record payment %s; Paystar will redeliver", event.reference_number)
        return HttpResponse(status=503)
    log.info("payment %s recorded (new: %s)", event.reference_number, created)
    return None


def paid(request: HttpRequest) -> HttpResponse:
    """Where Paystar sends the customer after paying: shows the payment once the webhook has
    recorded it (or says it is on its way)."""
    session_id = request.session.get("paystar_session_id")
    payment = Payment.objects.filter(session_id=session_id).first() if session_id else None
    amount = None
    if payment is not None and payment.amount_cents is not None:
        amount = f"${payment.amount_cents // 100:,}.{payment.amount_cents % 100:02d}"
    return render(request, "billing/paid.html", {"payment": payment, "amount": amount})
