"""What the example keeps: payments Paystar told it about, once each."""

from __future__ import annotations

from django.db import models


class Payment(models.Model):
    """A payment recorded from a ``Payment.Succeeded`` webhook."""

    # At most 184 printable ASCII bytes (core hashes a longer key): 200 leaves room.
    idempotency_key = models.CharField(max_length=200, unique=True)
    session_id = models.CharField(max_length=100, db_index=True)
    reference_number = models.CharField(max_length=100)
    amount_cents = models.BigIntegerField(null=True)
    account_number = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.reference_number}: {self.amount_cents} cents"
