"""URLs of the checkout example."""

from django.urls import path

from billing import views

urlpatterns = [
    path("pay/", views.pay, name="pay"),
    path("paid/", views.paid, name="paid"),
    path("paystar/webhook/", views.paystar_webhook, name="paystar-webhook"),
]
