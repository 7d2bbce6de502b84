"""The billing app."""

from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Pages that open Paystar sessions."""

    name = "billing"
